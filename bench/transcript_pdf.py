"""Measure the transcript PDF: parsing the embedded CJK font once, then each PDF.

Usage (from the repository root):
    .venv/bin/python bench/transcript_pdf.py [--pdfs 20]

Builds a transcript of six terms of ten courses for a student named 买买提·艾力 (no database)
and prints figures only; it asserts nothing about time. The last line sums it up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from openvet.teaching.grades.pdf import transcript_pdf  # noqa: E402
from openvet.teaching.grades.pdf_font import transcript_font  # noqa: E402
from openvet.teaching.grades.selectors import Transcript, TranscriptRow, totals_of  # noqa: E402

COURSES = ["机械制图", "电工电子技术", "数控编程与加工", "液压与气动", "职业素养", "岗位实习"]


def _transcript() -> Transcript:
    rows = [
        TranscriptRow(
            term=f"{2023 + t // 2}-{2024 + t // 2}-{t % 2 + 1}",
            course_code=f"C{t}{c:02d}",
            course_name=COURSES[c % len(COURSES)] + f"（{c + 1}）",
            course_type="major_core",
            credits=Decimal("3.0"),
            attempt="regular",
            total=Decimal(55 + (t * 7 + c * 5) % 45),
            level="",
            grade_point=Decimal(3),
            passed=True,
        )
        for t in range(6)
        for c in range(10)
    ]
    totals = totals_of(rows)
    return Transcript(
        rows=rows,
        credits_earned=totals.credits_earned,
        credits_attempted=totals.credits_attempted,
        gpa=totals.gpa,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", type=int, default=20)
    args = parser.parse_args()
    student = SimpleNamespace(
        name="买买提·艾力",
        student_number="2023010101",
        class_unit_id=1,
        class_unit=SimpleNamespace(name="数控2301班"),
        major=SimpleNamespace(name="数控技术"),
        department=SimpleNamespace(name="智能制造学院"),
        grade_year=2023,
    )
    transcript = _transcript()
    with translation.override("zh-hans"):
        started = time.perf_counter()
        transcript_font()
        load = time.perf_counter() - started
        timings, size = [], 0
        for _ in range(args.pdfs):
            started = time.perf_counter()
            content = transcript_pdf(
                student=student,
                transcript=transcript,
                school_name="示例职业技术学院",
                today=date(2026, 12, 7),
            )
            timings.append(time.perf_counter() - started)
            size = len(content)
    print(f"font parse (once per process): {load * 1000:.0f} ms")
    print(f"pdfs: {args.pdfs}, 60 rows each, {size / 1024:.0f} KiB each")
    print(
        f"transcript_pdf: font {load * 1000:.0f} ms once, "
        f"median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms, "
        f"{size / 1024:.0f} KiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
