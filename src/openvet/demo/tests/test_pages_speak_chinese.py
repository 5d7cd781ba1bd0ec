"""Every page of every role speaks the user's words in zh-hans.

The demo is seeded at a small scale on a fixed school day (with an attendance session, a
leave request, a grade sheet and the status changes and approvals the demo brings), then
every named route of the site is rendered for each featured demo account and anonymously
with ``Accept-Language: zh-hans``. The visible text must hold no English words (beyond brand
and standard names and the seeded data's own values), no raw field names
(``target_major_id``) and no internal renderings (``∅``). One failure lists every page and
string found. The import templates are read the same way.
"""

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from openvet.core.models import OrgKind, OrgUnit
from openvet.demo.plan import FEATURED_ACCOUNTS
from openvet.demo.seed import demo_seed
from openvet.demo.seed_industry import seed_industry
from openvet.demo.seed_industry_library import seed_industry_library
from openvet.demo.seed_learning import seed_learning
from openvet.demo.seed_resources import seed_resources
from openvet.demo.seed_teaching import seed_teaching
from openvet.demo.tests.page_words import (
    ALLOWED_WORDS,
    named_routes,
    offending_strings,
    visible_text,
)
from openvet.identity.models import RoleAssignment, User
from openvet.industry.models import (
    CooperationProject,
    InnovationCase,
    InternshipPlan,
    InternshipPost,
    JobStandard,
    Journal,
    Placement,
    TalentDemand,
)
from openvet.learning.assignments.models import PeerReview, Submission
from openvet.learning.collab.models import CourseGroup, GroupDocument
from openvet.learning.discussions.models import Post as DiscussionPost
from openvet.learning.discussions.models import Topic
from openvet.learning.live.models import LiveSession
from openvet.learning.models import Attempt, Chapter, LessonPlan, OnlineCourse, Unit, UnitKind
from openvet.learning.space.models import Certificate as LearningCertificate
from openvet.learning.space.models import PortfolioLink
from openvet.lrs.models import AcademicWarning
from openvet.lrs.selectors import can_handle_warning
from openvet.lrs.services import warnings_evaluate
from openvet.records.bulk.models import ImportJob, ImportKind
from openvet.records.bulk.workbook import template_workbook
from openvet.records.codes import ChangeType
from openvet.records.models import Staff, StatusChange, Student
from openvet.resources.models import (
    Certification,
    Invoice,
    LearningPath,
    Offer,
    Order,
    Resource,
    ResourceFile,
    WorkPackage,
)
from openvet.resources.models import Project as ResourceProject
from openvet.teaching import selectors as teaching_selectors
from openvet.teaching.attendance import services as attendance
from openvet.teaching.attendance.models import AttendanceSession, AttendanceStatus, LeaveRequest
from openvet.teaching.evaluation.models import EvaluationWindow
from openvet.teaching.grades import services as grades
from openvet.teaching.grades.models import GradeSheet
from openvet.teaching.models import CalendarDay, Programme, TeachingTask, Term, TimetableEntry
from openvet.teaching.selection.models import Offering, Selection, SelectionRound
from openvet.teaching.students import task_roster
from openvet.workflow.models import ProcessInstance, StepDefinition, Task
from openvet.workflow.registry import process_kinds

SMALL = 0.05
# A Wednesday of week 12 of the demo's autumn term: lectures in the past month, rounds open.
A_SCHOOL_DAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# Routes that never answer a GET with a page: actions (POST only), a redirect, downloads
# and feeds, the API and the health probe.
NOT_PAGES = frozenset(
    {
        "identity:logout",
        "lrs:client-deactivate",
        "lrs:partitions-make",
        "records:change-resubmit",
        "records:my-record",
        "teaching:attempt-create",
        "teaching:change-create",
        "teaching:entry-create",
        "teaching:import-solution",
        "teaching:leave-create",
        "teaching:programme-new-version",
        "teaching:session-open",
        "teaching:sheet-open",
        "teaching:sheet-upload",
        "teaching:sheet-weights",
        "teaching:term-create",
        "workflow:task-decide",
        "healthz",
        "set_language",
        "identity:user-deactivate",
        "identity:user-reveal",
        "identity:user-password-reset",
        "identity:role-grant",
        "identity:role-revoke",
        "identity:lockout-unlock",
        "teaching:feed-reset",
        "teaching:feed",
        "teaching:calendar-day-delete",
        "teaching:task-generate",
        "teaching:export-ctt",
        "teaching:entry-delete",
        "teaching:solver-publish",
        "teaching:offering-select",
        "teaching:selection-drop",
        "teaching:lottery-run",
        "teaching:round-close",
        "teaching:session-close",
        "teaching:session-mark",
        "teaching:transcript-pdf",
        "teaching:sheet-submit",
        "workflow:delegation-revoke",
        "records-bulk:job-error-file",
        "records-bulk:template",
        "records-bulk:export-students",
        "records-bulk:export-staff",
        "records:student-photo",
        "records:change-withdraw",
        "industry:journal-cosign",
        "industry:monthly-cosign",
        "industry:leave-decide",
        "industry:leave-withdraw",
        "industry:incident-escalate",
        "industry:incident-close",
        "industry:evidence-file",
        "industry:placement-export",
        "industry:employment-export",
        "industry:destination-template",
        "industry:demand-export",
        "resources:publish",
        "resources:add-version",
        "resources:file",
        "resources:certify",
        "resources:nominate",
        "resources:upload-create",
        "resources:upload-chunk",
        "resources:nomination-decide",
        "resources:offer-create",
        "resources:order-place",
        "resources:order-cancel",
        "resources:order-refund",
        "resources:harvest-run",
        "oai-pmh",
        "learning:unit-file",
        "learning:video-play",
        "learning:video-heartbeat",
        "learning:attempt-start",
        "learning:plan-copy",
        "learning:package-launch",
        "learning:package-file",
        "learning:package-commit",
        "learning:analytics-home",  # a redirect to the reader's dashboard
        "learning:analytics-course-export",
        "learning:analytics-course-statements",
        "learning:analytics-org-export",
        "learning:analytics-org-statements",
        "learning:live-start",
        "industry:contact-reveal",
        "industry:document-file",
        "industry:placement-archive",
        "industry:placement-archive-zip",
        "industry:survey-export",
        "learning:checkpoint-answer",
        "learning:checkpoint-delete",
        "learning:favourite-set",
        "learning:live-slide",
        "learning:note-save",
        "learning:points-apply",
        "learning:portfolio-revoke",
        "learning:pwa-manifest",
        "learning:pwa-worker",
        "learning:question-image",
        "learning:submission-file",
        "learning:certificate-claim",
        "resources:contribution-decide",
        "resources:file-preview",
        "resources:file-thumbnail",
        "resources:invoice-issue",
        "resources:project-xlsx",
        "learning:live-slides",
        "learning:live-follow",  # joins a running class and redirects to the phone page
        "learning:course-unenrol",
        "learning:enrolment-remove",
        "resources:contribute",
        "resources:package-create",
        "resources:package-status",
        "resources:path-publish",
        "resources:path-step-add",
        "resources:path-step-describe",
        "resources:path-step-move",
        "resources:path-step-remove",
        "resources:member-add",
    }
)

# Pages of objects the small demo does not hold: an import job, a solver run, an evaluation
# window. They are not examined here.
UNOPENED = frozenset(
    {
        "records-bulk:job-detail",
        "records-bulk:job-progress",
        "records-bulk:job-students",
        "teaching:evaluate",
        "teaching:evaluation-results",
        "teaching:solver-run",
        # A survey round's pages take the round and the answering graduate or employer, which
        # this walk does not pick; their browser journeys read them in Chinese.
        "industry:survey-answer",
        "industry:survey-detail",
        "industry:survey-employer",
        # Removal questions: read in Chinese by the enterprise's removal journey.
        "industry:contact-delete",
        "industry:document-delete",
        "learning:teacher-profile",  # shown only once a teacher turns it on; read by its journey
        # Shown only once a teacher opens a course to self-enrolment; read by its journey.
        "learning:course-public",
        # Only the buyer asks for an invoice, and the demo's buyers (of the second college)
        # are not featured accounts.
        "resources:invoice-request",
    }
)
# Query strings a page needs besides its path.
QUERIES = {"records:change-apply": f"?type={ChangeType.SUSPEND}"}


def _first(model: Any, **filters: Any) -> int:
    row = model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()
    return int(row) if row is not None else 0


def _seed_attendance() -> None:
    """teacher1 opens the sign-in of a lecture they give and marks each status once."""
    teacher = User.objects.get(username="teacher1")
    # The demo's current term: the one around the pinned day (earlier terms have a past).
    term = Term.objects.filter(start_date__lte=timezone.localdate()).latest("start_date")
    entry = (
        TimetableEntry.objects.filter(task__term=term, task__teachers=teacher)
        .select_related("task")
        .order_by("pk")
        .first()
    )
    assert entry is not None
    today = timezone.localdate()
    days = [
        o.date
        for o in teaching_selectors.occurrences(term, [entry])
        if today - timedelta(days=30) <= o.date <= today
    ]
    session = attendance.session_open(
        actor=teacher, task=entry.task, day=days[-1], period_start=entry.period_start
    )
    roster = task_roster(entry.task)
    for student, status in zip(roster, AttendanceStatus.values, strict=False):
        attendance.mark(actor=teacher, session=session, student_id=student.pk, status=status)
    grades.sheet_open(actor=teacher, task=entry.task)


def _seed_leave() -> None:
    student = User.objects.get(username="student1")
    today = timezone.localdate()
    attendance.leave_request(
        actor=student, date_from=today, date_to=today + timedelta(days=1), reason="Fever"
    )


def _counselled_warning() -> int:
    """An early warning about a student of counsellor1's classes."""
    counsellor = User.objects.get(username="counsellor1")
    warnings = AcademicWarning.objects.select_related("learner__home_org").order_by("pk")
    return next((w.pk for w in warnings if can_handle_warning(counsellor, w)), 0)


def _path_values() -> dict[str, Callable[[], dict[str, Any]]]:
    """Path parameters of each route, from the seeded data."""
    school = _first(OrgUnit, kind=OrgKind.SCHOOL, code__isnull=False)
    term = _first(Term)
    student_user = User.objects.get(username="student1")
    teacher = User.objects.get(username="teacher1")
    return {
        "user_id": lambda: {"user_id": student_user.pk},
        "warning_id": lambda: {"warning_id": _counselled_warning()},
        "assignment_id": lambda: {"assignment_id": _first(RoleAssignment)},
        "term_id": lambda: {"term_id": term},
        "day_id": lambda: {"day_id": _first(CalendarDay)},
        "entry_id": lambda: {"entry_id": _first(TimetableEntry)},
        "run_id": lambda: {"run_id": 0},
        "school_id": lambda: {"school_id": school},
        "programme_id": lambda: {"programme_id": _first(Programme)},
        "offering_id": lambda: {"offering_id": _first(Offering)},
        "selection_id": lambda: {"selection_id": _first(Selection)},
        "round_id": lambda: {"round_id": _first(SelectionRound)},
        "session_id": lambda: {"session_id": _first(AttendanceSession)},
        "live_id": lambda: {"live_id": _first(LiveSession, ended_at__isnull=True)},
        "student_id": lambda: {"student_id": _first(Student, user=student_user)},
        "change_id": lambda: {"change_id": _first(StatusChange)},
        "staff_id": lambda: {"staff_id": _first(Staff, user=teacher)},
        "org_id": lambda: {"org_id": school},
        "instance_id": lambda: {"instance_id": _first(ProcessInstance)},
        "sheet_id": lambda: {"sheet_id": _first(GradeSheet)},
        "window_id": lambda: {"window_id": _first(EvaluationWindow)},
        "job_id": lambda: {"job_id": _first(ImportJob)},
        "enterprise_id": lambda: {
            "enterprise_id": RoleAssignment.objects.filter(role="enterprise_mentor")
            .values_list("org_id", flat=True)
            .first()
        },
        "plan_id": lambda: {"plan_id": _first(InternshipPlan)},
        "post_id": lambda: {"post_id": _first(InternshipPost)},
        "standard_id": lambda: {"standard_id": _first(JobStandard)},
        "placement_id": lambda: {"placement_id": _first(Placement)},
        "journal_id": lambda: {"journal_id": _first(Journal)},
        "demand_id": lambda: {"demand_id": _first(TalentDemand)},
        "project_id": lambda: {"project_id": _first(CooperationProject)},
        "case_id": lambda: {"case_id": _first(InnovationCase)},
        "resource_id": lambda: {"resource_id": _first(Resource, title="数控车床对刀操作演示")},
        "order_id": lambda: {"order_id": _first(Order, status="awaiting_payment")},
        "offer_id": lambda: {"offer_id": _first(Offer)},
        "certification_id": lambda: {"certification_id": _first(Certification, status="in_review")},
        "course_id": lambda: {"course_id": _first(OnlineCourse)},
        "chapter_id": lambda: {"chapter_id": _first(Chapter)},
        "unit_id": lambda: {"unit_id": _first(Unit)},
        "group_id": lambda: {"group_id": _first(CourseGroup)},
        "document_id": lambda: {"document_id": _first(GroupDocument)},
        "number": lambda: {"number": 1},
        "attempt_id": lambda: {"attempt_id": _first(Attempt)},
        "lesson_plan_id": lambda: {"lesson_plan_id": _first(LessonPlan)},
        "submission_id": lambda: {"submission_id": _first(Submission)},
        "review_id": lambda: {"review_id": _first(PeerReview, reviewer=student_user)},
        "topic_id": lambda: {"topic_id": _first(Topic, pinned=True)},
        "package_id": lambda: {"package_id": _first(WorkPackage)},
        "path_id": lambda: {"path_id": _first(LearningPath)},
        "invoice_id": lambda: {"invoice_id": _first(Invoice)},
        "code": lambda: {"code": LearningCertificate.objects.values_list("code", flat=True)[0]},
        "token": lambda: {"token": PortfolioLink.objects.values_list("token", flat=True)[0]},
        "certificate_id": lambda: {
            "certificate_id": Certification.objects.exclude(certificate_id=None)
            .values_list("certificate_id", flat=True)
            .first()
        },
    }


def _kwargs_of(name: str, converters: list[str]) -> dict[str, Any]:
    values = _path_values()
    kwargs: dict[str, Any] = {}
    special = {
        "teaching:timetable": {"kind": "class", "target_id": _first(OrgUnit, kind=OrgKind.CLASS)},
        "core:org-create": {"kind": "department"},
        "records-bulk:quality-records": {"check": "missing_ethnicity"},
        "workflow:definition-detail": {"code": "records.status_change"},
        "workflow:definition-create": {"code": "records.status_change"},
        "workflow:task-decide": {"task_id": _first(Task)},
        "learning:course-create": {
            "task_id": OnlineCourse.objects.values_list("task_id", flat=True).first()
        },
        "learning:assignment-rubric": {"unit_id": _first(Unit, kind=UnitKind.ASSIGNMENT)},
        "learning:assignment-submissions": {"unit_id": _first(Unit, kind=UnitKind.ASSIGNMENT)},
        "learning:checkpoint-list": {"unit_id": _first(Unit, kind=UnitKind.VIDEO)},
        # teacher1's own reply (a teacher changes their own posts at any time).
        "learning:post-edit": {
            "post_id": _first(DiscussionPost, author__username="teacher1", hidden_at=None)
        },
        "resources:project": {"project_id": _first(ResourceProject)},
        "resources:package-upload": {"project_id": _first(ResourceProject)},
        "teaching:evaluate": {
            "window_id": _first(EvaluationWindow),
            "task_id": _first(TeachingTask),
        },
    }
    kwargs.update(special.get(name, {}))
    for converter in converters:
        if converter in kwargs:
            continue
        if converter == "task_id":
            kwargs["task_id"] = _first(TeachingTask)
        elif converter in values:
            kwargs.update(values[converter]())
        else:
            kwargs[converter] = 0
    return kwargs


def _client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(
        User.objects.get(username=username), backend="openvet.identity.backends.IdentifierBackend"
    )
    return client


def _data_words() -> frozenset[str]:
    """Words that are values of the seeded records: account names, org codes and English
    names, and the request fields administrators type into a step's condition."""
    words = set(User.objects.values_list("username", flat=True))
    words |= set(OrgUnit.objects.exclude(code="").values_list("code", flat=True))
    for text in LeaveRequest.objects.values_list("reason", flat=True):
        words |= set(re.findall(r"[A-Za-z]+", text))
    for name in OrgUnit.objects.exclude(name_en="").values_list("name_en", flat=True):
        words |= set(re.findall(r"[A-Za-z]+", name))
    for condition in StepDefinition.objects.exclude(condition={}).values_list(
        "condition", flat=True
    ):
        words.add(str(condition.get("field", "")))
    for name in ResourceFile.objects.values_list("filename", flat=True):
        words |= set(re.findall(r"[A-Za-z]+", name))
    for kind in process_kinds():
        words |= {str(step.condition.get("field", "")) for step in kind.default_steps}
    return frozenset(words)


@pytest.fixture
def seeded(db: None, settings: Any) -> Iterator[None]:
    settings.REQUIRE_ADMIN_TOTP = False
    with time_machine.travel(A_SCHOOL_DAY, tick=True):
        demo_seed(scale=SMALL)
        seed_teaching()
        seed_industry()
        seed_industry_library()
        seed_resources()
        seed_learning()
        _seed_attendance()
        _seed_leave()
        warnings_evaluate()
        yield


def test_every_page_of_every_role_speaks_chinese(seeded: None) -> None:
    allowed = ALLOWED_WORDS | _data_words()
    problems: list[str] = []
    pages: set[str] = set()
    rendered: set[str] = set()
    clients = {username: _client_for(username) for username in FEATURED_ACCOUNTS}
    clients["anonymous"] = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for name, pattern in named_routes():
        if name in NOT_PAGES or name.startswith("api:"):
            continue
        kwargs = _kwargs_of(name, list(pattern.pattern.converters))
        pages.add(name)
        url = reverse(name, kwargs=kwargs) + QUERIES.get(name, "")
        if url.startswith("/api/"):
            continue
        for username, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            rendered.add(name)
            for found in offending_strings(
                visible_text(response.content.decode()), allowed=allowed
            ):
                problems.append(f"{url} ({username}): {found}")

    listing = "\n".join(sorted(set(problems)))
    assert not problems, f"{len(set(problems))} strings not in the user's words:\n{listing}"
    unopened = sorted(pages - rendered - UNOPENED)
    assert not unopened, "pages no account could open: " + ", ".join(unopened)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ImportKind.values)
def test_import_templates_speak_chinese(kind: str) -> None:
    """The headers of a template and of its hidden sheet of choices, and every choice."""
    translation.activate("zh-hans")
    book = load_workbook(BytesIO(template_workbook(kind)))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]

    assert offending_strings(cells, allowed=ALLOWED_WORDS) == []
