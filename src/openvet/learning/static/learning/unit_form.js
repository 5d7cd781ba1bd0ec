// The new-unit form shows only the fields of the chosen kind of unit.
(() => {
  const form = document.querySelector("form[data-unit-form]");
  const kind = form && form.querySelector("select[name=kind]");
  if (!kind) return;
  const FIELDS = {
    text: ["body"],
    video: ["file", "min_watched_percent"],
    document: ["file"],
    link: ["url"],
    image: ["file"],
    scorm: ["file"],
    h5: ["file"],
    quiz: [
      "question_ids", "draw_count", "draw_pool", "draw_difficulty",
      "pass_percent", "time_limit_minutes", "max_attempts",
    ],
    assignment: ["body", "due_at", "late_until", "late_penalty_percent", "accepts_text",
      "accepts_file", "peer_reviews"],
  };
  const ALL = new Set(Object.values(FIELDS).flat());
  function container(name) {
    const field = form.querySelector(`[name=${name}]`);
    return field && (field.closest("fieldset") || field.closest(".mb-3") || field.closest(".form-check"));
  }
  function update() {
    const shown = new Set(FIELDS[kind.value] || []);
    for (const name of ALL) {
      const box = container(name);
      if (box) box.hidden = !shown.has(name);
    }
    for (const note of document.querySelectorAll("[data-for-kind]")) {
      note.hidden = note.dataset.forKind !== kind.value;
    }
  }
  kind.addEventListener("change", update);
  update();
})();
