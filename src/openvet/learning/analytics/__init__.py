"""Learning analytics: a teacher's course dashboard and the dashboards of a school, department
or province, with their exports (ADR 0409–0414).

The statements come from the learning record store (``lrs.analytics``, grouped in SQL); what
a course is, who learns in it and how they attend and score come from ``teaching``'s selectors
and this app's online courses.
"""
