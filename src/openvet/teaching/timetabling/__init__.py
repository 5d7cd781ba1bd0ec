"""Curriculum-based course timetabling (排课) solver, benchmarked on ITC-2007 Track 3.

No Django imports here: the platform builds a :class:`Problem` from its own teaching tasks
and calls :func:`solve`; ``.ctt`` files are read with :func:`load_ctt`.
"""

from openvet.teaching.timetabling.errors import InstanceError, SolutionError
from openvet.teaching.timetabling.model import (
    Assignment,
    Course,
    Curriculum,
    FixedLecture,
    Problem,
    Room,
    Weights,
)
from openvet.teaching.timetabling.parser import load_ctt, parse_ctt
from openvet.teaching.timetabling.score import Report, score
from openvet.teaching.timetabling.search import SearchParams, SolveResult, solve
from openvet.teaching.timetabling.solution_io import (
    format_solution,
    parse_solution,
    read_solution,
    write_solution,
)

__all__ = [
    "Assignment",
    "Course",
    "Curriculum",
    "FixedLecture",
    "InstanceError",
    "Problem",
    "Report",
    "Room",
    "SearchParams",
    "SolutionError",
    "SolveResult",
    "Weights",
    "format_solution",
    "load_ctt",
    "parse_ctt",
    "parse_solution",
    "read_solution",
    "score",
    "solve",
    "write_solution",
]
