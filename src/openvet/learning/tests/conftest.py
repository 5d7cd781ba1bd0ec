import struct
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from openvet.core.roles import Role
from openvet.identity.tests.factories import UserFactory, grant, user_with_role
from openvet.learning import services
from openvet.learning.models import QuestionKind, UnitKind
from openvet.records.tests.factories import Campus, student
from openvet.teaching.tests.factories import TeachingTaskFactory, TermFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def mp4_bytes(seconds: int = 60) -> bytes:
    """A minimal MP4: an ``ftyp`` box and a ``moov`` box holding a version-0 ``mvhd``."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"mp42", 0, b"mp42", b"isom")
    mvhd_body = b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    return ftyp + moov + bytes(64)


def video_file(seconds: int = 60) -> SimpleUploadedFile:
    return SimpleUploadedFile("lesson.mp4", mp4_bytes(seconds), content_type="video/mp4")


def pdf_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("handout.pdf", PDF, content_type="application/pdf")


class World:
    """A school with a class, its teacher and a student, a teaching task of the class with an
    online course of one chapter, and a student of another class of the same school."""

    def __init__(self, name: str = "School A") -> None:
        self.campus = Campus(name)
        self.admin = user_with_role(Role.SCHOOL_ADMIN, self.campus.school, full_name="Admin")
        self.teacher = user_with_role(Role.TEACHER, self.campus.department, full_name="Teacher")
        self.other_teacher = user_with_role(
            Role.TEACHER, self.campus.department, full_name="Other teacher"
        )
        self.student_user = self._student(self.campus.klass, "Stu")
        self.outsider = self._student(self.campus.other_klass, "Out")
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday() + 14)
        self.term = TermFactory(org=self.campus.school, start_date=monday, academic_year=2026)
        self.task = TeachingTaskFactory(
            term=self.term, classes=[self.campus.klass], teachers=[self.teacher]
        )
        self.course = services.course_create(
            actor=self.teacher, task=self.task, title="CNC basics", description=""
        )
        self.chapter = services.chapter_add(actor=self.teacher, course=self.course, title="Ch 1")

    def _student(self, klass: Any, full_name: str) -> Any:
        user = UserFactory(home_org=klass, full_name=full_name)
        grant(user, Role.STUDENT, klass)
        student(self.campus, user=user, class_unit=klass, grade_year=2024)
        return user

    def text_unit(self, **extra: Any) -> Any:
        return services.unit_add(
            actor=self.teacher,
            chapter=self.chapter,
            kind=UnitKind.TEXT,
            title="Safety",
            body="<p>Wear goggles.</p>",
            **extra,
        )

    def video_unit(self, seconds: int = 60, **extra: Any) -> Any:
        return services.unit_add(
            actor=self.teacher,
            chapter=self.chapter,
            kind=UnitKind.VIDEO,
            title="Setting the tool",
            file=video_file(seconds),
            **extra,
        )

    def quiz_unit(self, **extra: Any) -> Any:
        q1 = services.question_add(
            actor=self.teacher,
            course=self.course,
            kind=QuestionKind.SINGLE,
            text="Which axis is the spindle?",
            choices=["X", "Z"],
            answer=[1],
            points=2,
        )
        q2 = services.question_add(
            actor=self.teacher,
            course=self.course,
            kind=QuestionKind.MULTIPLE,
            text="Which are protective?",
            choices=["Goggles", "Gloves near the chuck", "Safety shoes"],
            answer=[0, 2],
            points=4,
        )
        values: dict[str, Any] = {
            "actor": self.teacher,
            "chapter": self.chapter,
            "kind": UnitKind.QUIZ,
            "title": "Check",
            "question_ids": [q1.pk, q2.pk],
        }
        values.update(extra)
        unit = services.unit_add(**values)
        return unit, q1, q2


@pytest.fixture
def world(db: None) -> World:
    return World()


@pytest.fixture
def other_world(db: None, world: World) -> World:
    return World("School B")


__all__ = ["PDF", "World", "date", "mp4_bytes", "pdf_file", "video_file"]
