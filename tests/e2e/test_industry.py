"""Internships in the browser: an enterprise mentor publishes a post for a school, the school
approves it from its approvals; the school plans a post internship and places a student (a
placement below the pay floor is refused citing Art. 18); an intern checks in on the phone and
writes the week's journal; both mentors evaluate and the placement gets its grade; the
employment dashboard shows the cohort's destinations."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openvet.demo.seed_industry import seed_industry
from openvet.industry.models import (
    CheckIn,
    InternshipPlan,
    InternshipPost,
    JobStandard,
    Journal,
    Placement,
    PostApproval,
)
from openvet.industry.tests.conftest import PDF
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, tr, welcome_heading


@pytest.fixture
def internships(campus: Campus, settings: Any, tmp_path: Path) -> Campus:
    settings.MEDIA_ROOT = str(tmp_path)
    assert seed_industry() is not None
    return campus


def test_enterprise_publishes_and_school_places(
    page: Page, internships: Campus, checkpoint: Checkpoint, tmp_path: Path
) -> None:
    sign_in(page, "mentor1", internships.password)
    expect(welcome_heading(page, internships.full_name("mentor1"))).to_be_visible()
    open_nav(page, tr("Partner enterprises"))
    enterprise = internships.home("mentor1")
    page.get_by_role("link", name=enterprise.name).click()
    page.get_by_role("link", name=tr("Publish an internship post")).click()
    school = Placement.objects.select_related("student__school").first().student.school  # type: ignore[union-attr]
    page.get_by_label(tr("School"), exact=True).select_option(label=school.name)
    page.get_by_label(tr("Post"), exact=True).fill("数控加工操作员")
    page.get_by_label(tr("Workplace")).fill("杭州市西湖区文三路 90 号二号车间")
    page.get_by_label(tr("Latitude")).fill("30.274085")
    page.get_by_label(tr("Longitude")).fill("120.155070")
    page.get_by_label(tr("Openings")).fill("4")
    page.get_by_label(tr("Staff in the same post")).fill("40")
    page.get_by_label(tr("Monthly wage of staff in this post (yuan)")).fill("6000")
    page.get_by_label(tr("Monthly pay offered to interns (yuan)")).fill("4800")
    page.get_by_label(tr("Working hours and shifts")).fill("工作日 8:30–17:30，白班")
    page.get_by_label(tr("Skills practised")).fill("数控编程、对刀、首件检验")
    checkpoint(page, "post-form")
    page.get_by_role("button", name=tr("Publish")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr("The internship post was sent to the school for approval.")
    )
    expect(page.get_by_role("heading", level=1, name="数控加工操作员")).to_be_visible()
    expect(page.get_by_text(tr(PostApproval.PENDING.label))).to_be_visible()
    checkpoint(page, "post-published")
    post = InternshipPost.objects.get(title="数控加工操作员")
    assert post.approval == "pending"

    page.context.clear_cookies()
    sign_in(page, "admin1", internships.password)
    expect(welcome_heading(page, internships.full_name("admin1"))).to_be_visible()
    open_nav(page, tr("My approvals"))
    waiting = page.get_by_role("list", name=tr("Requests awaiting your decision"))
    card = waiting.get_by_role("listitem").filter(has_text="数控加工操作员")
    expect(card).to_contain_text(tr("Internship post under the school's name"))
    expect(card).to_contain_text(enterprise.name)
    checkpoint(page, "post-approval-card")
    card.get_by_role("button", name=tr("Approve")).click()
    expect(card).to_contain_text(tr("Approved"))
    post.refresh_from_db()
    assert post.approval == "approved"

    open_nav(page, tr("Internships"))
    page.get_by_role("link", name=tr("New internship plan")).click()
    demo_plan = InternshipPlan.objects.get()
    # The next internship of the class, after the demo's (a student is placed once at a time).
    start = demo_plan.end_date + timedelta(days=1)
    end = start + timedelta(days=90)
    page.get_by_label(tr("Class"), exact=True).select_option(str(demo_plan.org_id))
    page.get_by_label(tr("Plan name")).fill("数控岗位实习")
    page.get_by_label(tr("Kind of internship")).select_option("post")
    page.get_by_label(tr("Start date"), exact=True).fill(start.isoformat())
    page.get_by_label(tr("End date"), exact=True).fill(end.isoformat())
    page.get_by_label(tr("Learning objectives")).fill("掌握数控车床的编程与加工。")
    page.get_by_label(tr("Filing number with the education authority")).fill(
        "浙教职成备〔2027〕3号"
    )
    page.get_by_label(tr("Safety training held on")).fill((start - timedelta(days=2)).isoformat())
    page.get_by_label(tr("Emergency plan for incidents")).fill("先拨打120，再报告学校指导教师。")
    page.get_by_role("button", name=tr("Create plan")).click()
    expect(page.get_by_role("heading", level=1, name="数控岗位实习")).to_be_visible()

    new_plan = InternshipPlan.objects.get(name="数控岗位实习")
    form = page.get_by_role("region", name=tr("Place a student"))
    student_id = form.get_by_label(tr("Student"), exact=True).input_value()
    form.get_by_label(tr("Post"), exact=True).select_option(
        label=f"{enterprise.name} · 数控加工操作员"
    )
    form.get_by_label(tr("Enterprise mentor")).select_option(index=1)
    form.get_by_label(tr("Monthly pay (yuan)")).fill("3000")
    agreement = tmp_path / "三方协议.pdf"
    agreement.write_bytes(PDF)
    form.get_by_label(tr("Three-party agreement (PDF)")).set_input_files(str(agreement))
    form.get_by_label(tr("Informed consent of the student and guardian (PDF)")).set_input_files(
        str(agreement)
    )
    form.get_by_label(tr("Liability insurance policy number")).fill("PICC2026E2E01")
    form.get_by_label(tr("Insurance from")).fill(start.isoformat())
    form.get_by_label(tr("Insurance until")).fill(end.isoformat())
    form.get_by_role("button", name=tr("Place the student")).click()
    refusal = page.get_by_role("region", name=tr("Place a student"))
    expect(refusal).to_contain_text("《职业学校学生实习管理规定》第十八条")
    expect(refusal.get_by_label(tr("Monthly pay (yuan)"))).to_have_value("3000")
    checkpoint(page, "placement-refused")
    assert not Placement.objects.filter(plan=new_plan).exists()

    refusal.get_by_label(tr("Monthly pay (yuan)")).fill("4800")
    refusal.get_by_label(tr("Three-party agreement (PDF)")).set_input_files(str(agreement))
    refusal.get_by_label(tr("Informed consent of the student and guardian (PDF)")).set_input_files(
        str(agreement)
    )
    refusal.get_by_role("button", name=tr("Place the student")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The student was placed."))
    checkpoint(page, "placed")
    assert Placement.objects.filter(plan=new_plan, student_id=int(student_id)).exists()


def test_intern_checks_in_and_writes_a_journal(
    page: Page, internships: Campus, checkpoint: Checkpoint
) -> None:
    placement = Placement.objects.select_related("student__user", "post").order_by("pk").first()
    assert placement is not None
    user = placement.student.user
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(
        {
            "latitude": float(placement.post.latitude) + 0.0004,
            "longitude": float(placement.post.longitude),
            "accuracy": 20,
        }
    )
    sign_in(page, user.username, internships.password)
    expect(welcome_heading(page, user.full_name)).to_be_visible()
    open_nav(page, tr("My internship"))
    expect(page.get_by_role("heading", level=1, name=tr("My internship"))).to_be_visible()
    checkpoint(page, "before")
    page.get_by_role("button", name=tr("Check in here")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("You have checked in."))
    today = timezone.localdate()
    checkin = CheckIn.objects.filter(placement=placement, at__date__gte=today).get()
    assert 30 <= checkin.distance_m <= 60  # 0.0004° of latitude is ~44 m
    assert checkin.device

    journal = page.get_by_role("region", name=tr("Weekly journal"))
    journal.get_by_label(tr("What I did and learned this week")).fill("太短")
    journal.get_by_role("button", name=tr("Submit journal")).click()
    expect(page.get_by_text(tr("Write at least 20 characters about the week."))).to_be_visible()
    text = "本周在导师指导下完成了数控车床的对刀与首件加工，学会了用千分尺检验零件尺寸。"
    journal = page.get_by_role("region", name=tr("Weekly journal"))
    journal.get_by_label(tr("What I did and learned this week")).fill(text)
    journal.get_by_role("button", name=tr("Submit journal")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("Your journal was submitted."))
    checkpoint(page, "after")
    assert Journal.objects.filter(placement=placement, text=text).exists()


def test_mentors_evaluate_and_the_dashboard_shows_destinations(
    page: Page, internships: Campus, checkpoint: Checkpoint
) -> None:
    placement = Placement.objects.select_related("school_mentor").order_by("pk").first()
    assert placement is not None
    for username in (placement.school_mentor.username, "mentor1"):
        page.context.clear_cookies()
        sign_in(page, username, internships.password)
        open_nav(page, tr("My interns"))
        page.get_by_role("link", name=placement.student.name).first.click()
        section = page.get_by_role("region", name=tr("End evaluation"))
        section.get_by_label(tr("Score (0–100)")).fill("91" if username == "mentor1" else "87")
        section.get_by_label(tr("Comment on the internship")).fill("实习认真，技能提升明显。")
        section.get_by_role("button", name=tr("Submit evaluation")).click()
        expect(page.get_by_role("alert")).to_contain_text(tr("Your evaluation was recorded."))
        checkpoint(page, f"evaluated-{'enterprise' if username == 'mentor1' else 'school'}")
    placement.refresh_from_db()
    assert placement.grade == "good"  # (87 + 91) / 2 = 89
    expect(page.get_by_text(tr("Grade: %(grade)s", grade=tr("Good")))).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "admin1", internships.password)
    open_nav(page, tr("Graduate employment"))
    expect(page.get_by_role("heading", level=1, name=tr("Graduate employment"))).to_be_visible()
    rates = page.get_by_role("region", name=tr("Destination rate by major"))
    expect(rates.get_by_role("row")).not_to_have_count(1)
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    checkpoint(page, "dashboard")


def test_school_keeps_a_job_skill_standard_and_sees_the_gaps(
    page: Page, internships: Campus, checkpoint: Checkpoint
) -> None:
    standard = JobStandard.objects.get()
    sign_in(page, "admin1", internships.password)
    expect(welcome_heading(page, internships.full_name("admin1"))).to_be_visible()
    open_nav(page, tr("Job-skill standards"))
    page.get_by_role("link", name=standard.name).click()
    expect(page.get_by_role("heading", level=1, name=standard.name)).to_be_visible()
    form = page.get_by_role("region", name=tr("Add a skill"))
    form.get_by_label(tr("Skill"), exact=True).fill("设备日常点检")
    form.get_by_label(tr("Work task")).select_option(label="质量检验")
    checkpoint(page, "standard")
    form.get_by_role("button", name=tr("Add skill")).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("The skill was added."))
    expect(page.get_by_role("cell", name="设备日常点检")).to_be_visible()

    open_nav(page, tr("Job-skill standards"))
    page.get_by_role("link", name=tr("Skill coverage by major")).click()
    gaps = page.get_by_role("region", name=tr("Required skills no course teaches"))
    expect(gaps).to_contain_text("设备日常点检")
    expect(gaps).to_contain_text("编写检验报告")
    checkpoint(page, "coverage")
