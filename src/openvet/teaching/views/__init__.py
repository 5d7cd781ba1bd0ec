"""Pages of the teaching app by area (terms and set-up, programmes, tasks, timetables,
adjustments, solver, feeds): parse → call a selector or service → render. ``common`` holds
what the areas and the sub-packages' pages share."""
