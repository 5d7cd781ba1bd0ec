"""Shared helpers for the timetabling tests (no fixtures with side effects)."""

from __future__ import annotations

import os
from pathlib import Path

# tests -> timetabling -> teaching -> openvet -> src -> repository; `shared` sits beside it
_DEFAULT_SHARED = Path(__file__).resolve().parents[5] / ".." / "shared"
SHARED = Path(os.environ.get("OPENVET_SHARED", _DEFAULT_SHARED))
CBCTT = SHARED / "benchmarks" / "cbctt" / "itc2007"

# 2 days x 3 periods, two rooms; penalties of SOLUTION are worked out in test_score.py
TINY = """Name: Tiny
Courses: 3
Rooms: 2
Days: 2
Periods_per_day: 3
Curricula: 2
Constraints: 1

COURSES:
c1 t1 2 2 20
c2 t2 2 1 10
c3 t1 1 1 5

ROOMS:
rA 10
rB 30

CURRICULA:
q1 2 c1 c2
q2 1 c3

UNAVAILABILITY_CONSTRAINTS:
c2 1 2

END.
"""

SOLUTION = """c1 rB 0 0
c1 rA 0 1
c2 rA 0 2
c2 rB 1 0
c3 rA 1 2
"""
