"""A library-building project (共建共享) in the browser: the lead school's administrator starts
a project with a member school and a work package; a teacher of the member school contributes
a resource; the lead accepts it and the statistics count it. Then a teacher adds a library
resource to an online course by reference: a new version of the resource shows in the course."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy
from playwright.sync_api import Page, expect

from openvet.identity.models import User
from openvet.learning import services as learning
from openvet.resources import services
from openvet.resources.models import Contribution, ContributionStatus, Project
from openvet.resources.services import projects as project_services
from openvet.resources.tests.factories import MAJOR, make_resource, pdf_bytes, upload
from openvet.teaching.models import TeachingTask
from openvet.teaching.services import tasks
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading
from tests.e2e.teaching_support import demo_term, student_record

PROJECT = "计算机应用技术专业国家级资源库"
PACKAGE = "子项目一：程序设计基础"
CONTRIBUTED = "循环结构微课"
LIBRARY = "网页布局案例库"


def _user(username: str) -> User:
    return User.objects.select_related("home_org").get(username=username)


def _signed_in(page: Page, campus: Campus, username: str) -> None:
    sign_in(page, username, campus.password)
    expect(welcome_heading(page, _user(username).full_name)).to_be_visible()


def test_a_project_collects_contributions_the_lead_reviews(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    campus = teaching
    member = _user("teacher2")
    member_school = member.home_org
    assert member_school is not None
    while member_school.kind != "school" and member_school.parent is not None:
        member_school = member_school.parent
    make_resource(member, title=CONTRIBUTED)

    _signed_in(page, campus, "admin1")
    open_nav(page, tr("Library projects"))
    page.get_by_label(tr("Project name")).fill(PROJECT)
    page.get_by_label(tr("Major")).select_option(MAJOR)
    page.get_by_label(tr("Member schools and enterprises")).select_option(str(member_school.pk))
    checkpoint(page, "project-form")
    page.get_by_role("button", name=tr("Create project")).click()
    expect(page.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
    # A work package with a deadline in the past is refused, and the form keeps what was typed.
    page.get_by_label(tr("Name of the work package")).fill(PACKAGE)
    page.get_by_label(tr("Owner")).select_option(str(member.pk))
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label(tr("Deadline")).fill(yesterday.isoformat())
    page.get_by_label(tr("Planned resources")).fill("2")
    page.get_by_role("button", name=tr("Add work package")).click()
    expect(page.get_by_text(tr("The deadline cannot be in the past."))).to_be_visible()
    expect(page.get_by_label(tr("Name of the work package"))).to_have_value(PACKAGE)
    later = timezone.localdate() + timedelta(days=60)
    page.get_by_label(tr("Deadline")).fill(later.isoformat())
    page.get_by_role("button", name=tr("Add work package")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("The work package was added."))
    checkpoint(page, "project-created")
    sign_out(page, campus.full_name("admin1"))

    _signed_in(page, campus, "teacher2")
    open_nav(page, tr("Library projects"))
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_label(tr("Work package"), exact=True).select_option(label=PACKAGE)
    page.get_by_label(tr("My resource")).select_option(label=CONTRIBUTED)
    page.get_by_role("button", name=tr("Send for review")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("Your resource was sent to the lead school for review.")
    )
    checkpoint(page, "contributed")
    sign_out(page, member.full_name)

    _signed_in(page, campus, "admin1")
    open_nav(page, tr("Library projects"))
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_role("button", name=f"{tr('Accept')} {CONTRIBUTED}").click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("Accepted."))
    project = Project.objects.get(title=PROJECT)
    package = project.packages.get()
    expect(page.get_by_test_id(f"package-{package.pk}").get_by_test_id("progress")).to_have_text(
        tr("%(accepted)s of %(planned)s accepted", accepted=1, planned=2)
    )
    expect(
        page.get_by_test_id(f"member-{member_school.pk}").get_by_test_id("accepted")
    ).to_have_text("1")
    checkpoint(page, "accepted")
    assert Contribution.objects.get().status == ContributionStatus.ACCEPTED
    with page.expect_download() as download:
        page.get_by_role("link", name=tr("Download the statistics (xlsx)")).click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_teacher_adds_a_library_resource_to_a_course_by_reference(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    campus = teaching
    teacher = campus.user("teacher1")
    resource = make_resource(teacher, publish=True, title=LIBRARY)
    student = student_record(campus.user("student1"))
    task = (
        TeachingTask.objects.filter(
            term=demo_term(campus.home("admin1")), classes=student.class_unit
        )
        .order_by("course__code")
        .first()
    )
    assert task is not None
    task = tasks.task_update(actor=campus.user("admin1"), task=task, teachers=[teacher])
    course = learning.course_create(actor=teacher, task=task, title="网页设计", description="")
    learning.chapter_add(actor=teacher, course=course, title="第一章 页面布局")

    _signed_in(page, campus, "teacher1")
    open_nav(page, tr("My online courses"))
    page.get_by_role("link", name="网页设计").first.click()
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="第一章 页面布局"))
    card.get_by_role("button", name=tr("Add a unit")).click()
    card.get_by_role(
        "link", name=tr(pgettext_lazy("unit kind", "From the resource library"))
    ).click()
    expect(
        page.get_by_role("heading", level=1, name=tr("Add from the resource library"))
    ).to_be_visible()
    page.get_by_label(tr("Search the library")).fill("布局案例")
    page.get_by_role("button", name=tr("Search"), exact=True).click()
    checkpoint(page, "from-library")
    page.get_by_role("button", name=f"{tr('Add by reference')} {LIBRARY}").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The resource was added to the course by reference.")
    )
    page.get_by_role("link", name=LIBRARY).click()
    expect(page.get_by_test_id("library-version")).to_have_text(tr("Version %(n)s", n=1))

    # A new version in the library shows in the course: a reference, not a copy.
    key = upload(teacher, "布局案例-修订.pdf", pdf_bytes("revised"))
    services.resource_add_version(actor=teacher, resource=resource, upload_keys=[key])
    page.reload()
    expect(page.get_by_test_id("library-version")).to_have_text(tr("Version %(n)s", n=2))
    expect(page.get_by_role("link", name="布局案例-修订.pdf")).to_be_visible()
    checkpoint(page, "library-unit")


ENTERPRISE_PROJECT = "数控技术专业共建资源库"
ENTERPRISE_PACKAGE = "子项目二：企业真实案例"
ENTERPRISE_RESOURCE = "五轴加工中心故障排除案例"


def test_the_lead_adds_an_enterprise_which_contributes_and_the_lead_accepts(
    page: Page, teaching: Campus, checkpoint: Checkpoint
) -> None:
    campus = teaching
    mentor = _user("mentor1")
    enterprise = campus.home("mentor1")
    project = project_services.project_create(
        actor=campus.user("admin1"), title=ENTERPRISE_PROJECT, major_code=MAJOR, member_ids=[]
    )

    # The lead school adds the partner enterprise and gives one of its people a package.
    _signed_in(page, campus, "admin1")
    open_nav(page, tr("Library projects"))
    page.get_by_role("link", name=ENTERPRISE_PROJECT).click()
    page.get_by_label(tr("School or enterprise")).select_option(str(enterprise.pk))
    page.get_by_role("button", name=tr("Add member")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("The member was added; its people now see the project.")
    )
    page.get_by_label(tr("Name of the work package")).fill(ENTERPRISE_PACKAGE)
    page.get_by_label(tr("Owner")).select_option(str(mentor.pk))
    later = timezone.localdate() + timedelta(days=60)
    page.get_by_label(tr("Deadline")).fill(later.isoformat())
    page.get_by_label(tr("Planned resources")).fill("3")
    page.get_by_role("button", name=tr("Add work package")).click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("The work package was added."))
    expect(page.get_by_test_id("members")).to_contain_text(enterprise.name)
    checkpoint(page, "enterprise-added")
    sign_out(page, campus.full_name("admin1"))

    # The enterprise's person sees the project and uploads a resource into the package.
    _signed_in(page, campus, "mentor1")
    open_nav(page, tr("Library projects"))
    page.get_by_role("link", name=ENTERPRISE_PROJECT).click()
    page.get_by_role("link", name=tr("Upload a resource into a work package")).click()
    expect(
        page.get_by_role("heading", level=1, name=tr("Upload a resource into a work package"))
    ).to_be_visible()
    page.get_by_label(tr("Work package"), exact=True).select_option(label=ENTERPRISE_PACKAGE)
    page.get_by_label(tr("Title")).fill(ENTERPRISE_RESOURCE)
    page.get_by_label(tr("Type")).select_option("document")
    page.get_by_label(tr("Licence")).select_option("cc-by")
    expect(page.get_by_label(tr("Contributor %(number)s", number=1), exact=True)).to_have_value(
        mentor.full_name
    )
    page.get_by_label(tr("Files")).set_input_files(
        {"name": "故障排除案例.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("案例")}
    )
    expect(page.get_by_role("status")).to_have_text(tr("Upload finished. The files are ready."))
    checkpoint(page, "enterprise-upload")
    page.get_by_role("button", name=tr("Upload and send for review")).click()
    expect(page.get_by_role("alert").first).to_contain_text(
        tr("Your resource was uploaded and sent to the lead school for review.")
    )
    contribution = Contribution.objects.get(package__project=project)
    assert contribution.org == enterprise
    assert contribution.resource.contributors.get().organisation == enterprise.name
    sign_out(page, mentor.full_name)

    # The lead opens the draft, accepts it, and the statistics count the enterprise.
    _signed_in(page, campus, "admin1")
    open_nav(page, tr("Library projects"))
    page.get_by_role("link", name=ENTERPRISE_PROJECT).click()
    page.get_by_role("link", name=ENTERPRISE_RESOURCE).click()
    expect(page.get_by_role("heading", level=1, name=ENTERPRISE_RESOURCE)).to_be_visible()
    page.go_back()
    page.get_by_role("button", name=f"{tr('Accept')} {ENTERPRISE_RESOURCE}").click()
    expect(page.get_by_role("alert").first).to_contain_text(tr("Accepted."))
    row = page.get_by_test_id(f"member-{enterprise.pk}")
    expect(row.get_by_test_id("accepted")).to_have_text("1")
    expect(row).to_contain_text(tr("Enterprise"))
    checkpoint(page, "enterprise-accepted")
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.ACCEPTED
