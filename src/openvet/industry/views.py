"""Pages of industry: the enterprise library, posts, internship plans and placements, the
student's check-in and journals, mentors' evaluations and the employment dashboard."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.dashboard import bar_chart, chart, pie_chart
from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.models import OrgUnit
from openvet.core.pii import PiiKind, mask
from openvet.core.roles import Role
from openvet.core.view_helpers import form_page, page, service_call
from openvet.identity.selectors import users_holding_role_over
from openvet.industry import exports, forms, permissions, selectors, services
from openvet.industry.codes import Destination
from openvet.industry.evidence import FLAG_LABELS
from openvet.industry.models import EvaluationSide, Placement, PlacementStatus
from openvet.industry.views_library import library_context
from openvet.records.selectors import student_of_user, students_of_classes
from openvet.teaching.selectors import course_list_for, majors_for, schools_for, teachers_of

# --- Enterprise library ----------------------------------------------------------------------


@page
def enterprise_list(request: HttpRequest) -> HttpResponse:
    enterprises = list(selectors.enterprise_list_for(actor=request.user))
    if not enterprises and not policy.has_capability(request.user, permissions.VIEW_ENTERPRISE):
        raise PermissionDenied()
    profiles = selectors.profiles_by_enterprise([e.pk for e in enterprises])
    rows = [(e, profiles.get(e.pk)) for e in enterprises]
    return render(request, "industry/enterprise_list.html", {"rows": rows})


@page
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for(actor=request.user, enterprise_id=enterprise_id)
    profile = selectors.profile_of(enterprise)
    return render(
        request,
        "industry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "profile": profile,
            "contact_phone": mask(PiiKind.MOBILE, profile.contact_phone) if profile else "",
            "posts": selectors.posts_of_enterprise_for(actor=request.user, enterprise=enterprise),
            "can_edit": permissions.can_change_enterprise(request.user, enterprise),
            "can_publish": permissions.can_publish_post(request.user, enterprise),
            **library_context(request, enterprise),
        },
    )


@page
def enterprise_edit(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for(actor=request.user, enterprise_id=enterprise_id)
    if not permissions.can_change_enterprise(request.user, enterprise):
        raise PermissionDenied()
    profile = selectors.profile_of(enterprise)
    initial = {f: getattr(profile, f) for f in forms.ProfileForm.base_fields} if profile else {}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.enterprise_profile_save(
            actor=request.user, enterprise=enterprise, **form.cleaned_data
        ),
        done=lambda _saved: redirect("industry:enterprise-detail", enterprise_id=enterprise.pk),
        template="industry/form_page.html",
        context=lambda: {
            "title": _("Profile of %(name)s") % {"name": enterprise.name},
            "submit": _("Save profile"),
            "back": enterprise,
        },
        success=_("The enterprise's profile was saved."),
    )


@page
def post_new(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get_for(actor=request.user, enterprise_id=enterprise_id)
    if not permissions.can_publish_post(request.user, enterprise):
        raise PermissionDenied()
    schools = {s.pk: s for s in selectors.schools_for_posts()}
    form = forms.PostForm(request.POST or None)
    form.fields["school"].choices = [(pk, s.name) for pk, s in schools.items()]  # type: ignore[attr-defined]

    def publish() -> Any:
        data = {**form.cleaned_data, "school": schools.get(form.cleaned_data["school"])}
        return services.post_publish(actor=request.user, enterprise=enterprise, **data)

    return form_page(
        request,
        form,
        publish,
        done=lambda post: redirect("industry:post-detail", post_id=post.pk),
        template="industry/form_page.html",
        context=lambda: {
            "title": _("Publish an internship post"),
            "submit": _("Publish"),
            "back": enterprise,
        },
        success=_("The internship post was sent to the school for approval."),
    )


@page
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_get_for(actor=request.user, post_id=post_id)
    return render(
        request,
        "industry/post_detail.html",
        {"post": post, "can_edit": permissions.can_publish_post(request.user, post.org)},
    )


# --- Plans and placements ------------------------------------------------------------------


def _watch_rows(watches: list[selectors.Watch]) -> list[dict[str, Any]]:
    return [
        {
            "watch": w,
            "flags": [FLAG_LABELS[f] for f in sorted(w.flags)],
            "silent": "silent" in w.alerts,
        }
        for w in watches
    ]


@page
def placement_list(request: HttpRequest) -> HttpResponse:
    placements = list(
        selectors.placement_list_for(actor=request.user).order_by("student__student_number")
    )
    if (
        not placements
        and not policy.has_capability(request.user, permissions.VIEW_PLACEMENT)
        and student_of_user(user=request.user) is not None
    ):
        return redirect("industry:my-internship")
    watches = selectors.work_list([p for p in placements if p.status == PlacementStatus.ACTIVE])
    return render(
        request,
        "industry/placement_list.html",
        {
            "plans": selectors.plan_list_for(actor=request.user),
            "rows": _watch_rows(watches),
            "can_plan": selectors.classes_for_plans(actor=request.user).exists(),
            "can_export": policy.has_capability(request.user, permissions.VIEW_PLACEMENT),
        },
    )


@page
def plan_new(request: HttpRequest) -> HttpResponse:
    classes = {c.pk: c for c in selectors.classes_for_plans(actor=request.user)}
    if not classes:
        raise PermissionDenied()
    form = forms.PlanForm(request.POST or None)
    form.fields["class_unit"].choices = [(pk, c.name) for pk, c in classes.items()]  # type: ignore[attr-defined]

    def create() -> Any:
        data = {**form.cleaned_data, "class_unit": classes[form.cleaned_data["class_unit"]]}
        return services.plan_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        create,
        done=lambda plan: redirect("industry:plan-detail", plan_id=plan.pk),
        template="industry/form_page.html",
        context=lambda: {"title": _("New internship plan"), "submit": _("Create plan")},
        success=_("The internship plan was created."),
    )


def _placement_form(request: HttpRequest, plan: Any) -> tuple[forms.PlacementForm, dict[str, Any]]:
    students = {s.pk: s for s in students_of_classes(class_ids=[plan.org_id])}
    school = OrgUnit.objects.get(pk=next(iter(students.values())).school_id) if students else None
    posts = {p.pk: p for p in selectors.open_posts(school_id=school.pk if school else -1)}
    mentors = {u.pk: u for u in teachers_of(school)} if school else {}
    enterprise_mentors: dict[int, Any] = {}
    for post in posts.values():
        for user in users_holding_role_over(role=Role.ENTERPRISE_MENTOR, org_path=post.org.path):
            enterprise_mentors[user.pk] = user
    form = forms.PlacementForm(request.POST or None, request.FILES or None)
    form.fields["student"].choices = [(pk, str(s)) for pk, s in students.items()]  # type: ignore[attr-defined]
    form.fields["post"].choices = [(pk, str(p)) for pk, p in posts.items()]  # type: ignore[attr-defined]
    form.fields["school_mentor"].choices = [(pk, u.full_name) for pk, u in mentors.items()]  # type: ignore[attr-defined]
    form.fields["enterprise_mentor"].choices = [("", "—")] + [  # type: ignore[attr-defined]
        (pk, u.full_name) for pk, u in enterprise_mentors.items()
    ]
    if not form.is_bound:
        form.initial.update({"start_date": plan.start_date, "end_date": plan.end_date})
    return form, {
        "students": students,
        "posts": posts,
        "mentors": mentors,
        "enterprise_mentors": enterprise_mentors,
    }


@page
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_for(actor=request.user, plan_id=plan_id)
    can_place = permissions.can_manage_placements(request.user, plan.org)
    form, choices = _placement_form(request, plan) if can_place else (None, {})
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["student"] = choices["students"][data["student"]]
            data["post"] = choices["posts"][data["post"]]
            data["school_mentor"] = choices["mentors"][data["school_mentor"]]
            data["enterprise_mentor"] = choices["enterprise_mentors"].get(data["enterprise_mentor"])
            outcome = service_call(
                request,
                lambda: services.placement_create(actor=request.user, plan=plan, **data),
                form=form,
                success=_("The student was placed."),
            )
            if outcome.ok:
                return redirect("industry:plan-detail", plan_id=plan.pk)
        status = 422
    placements = selectors.placement_list_for(actor=request.user).filter(plan=plan)
    return render(
        request,
        "industry/plan_detail.html",
        {"plan": plan, "placements": placements, "form": form},
        status=status,
    )


@page
def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = selectors.placement_get_for(actor=request.user, placement_id=placement_id)
    is_mentor = permissions.is_school_mentor(request.user, placement) or (
        permissions.is_enterprise_mentor(request.user, placement)
    )
    evaluations = {e.side: e for e in placement.evaluations.all()}
    my_side = (
        EvaluationSide.SCHOOL
        if permissions.is_school_mentor(request.user, placement)
        else EvaluationSide.ENTERPRISE
    )
    form = forms.EvaluationForm(request.POST or None) if is_mentor else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            outcome = service_call(
                request,
                lambda: services.evaluation_record(
                    actor=request.user, placement=placement, **form.cleaned_data
                ),
                form=form,
                success=_("Your evaluation was recorded."),
            )
            if outcome.ok:
                return redirect("industry:placement-detail", placement_id=placement.pk)
        status = 422
    watch = selectors.work_list([placement])[0]
    manages = permissions.can_manage_placements(request.user, placement.org)
    return render(
        request,
        "industry/placement_detail.html",
        {
            "placement": placement,
            "journals": selectors.journals_of(placement),
            "checkins": placement.checkins.all()[:14],
            "evaluations": evaluations,
            "form": form if my_side not in evaluations else None,
            "can_cosign": permissions.is_enterprise_mentor(request.user, placement),
            "can_archive": placement.archived_at is None and manages,
            "can_download_archive": placement.archived_at is not None and manages,
            "row": _watch_rows([watch])[0],
        },
        status=status,
    )


@page
@require_POST
def journal_cosign(request: HttpRequest, journal_id: int) -> HttpResponse:
    journal = selectors.journal_get_for(actor=request.user, journal_id=journal_id)
    service_call(
        request,
        lambda: services.journal_cosign(actor=request.user, journal=journal),
        success=_("The journal was co-signed."),
    )
    return redirect("industry:placement-detail", placement_id=journal.placement_id)


# --- The student's internship -----------------------------------------------------------------


@page
def my_internship(request: HttpRequest) -> HttpResponse:
    student = student_of_user(user=request.user)
    if student is None:
        raise NotFound()
    placement = services.active_placement_of(student, timezone.localdate())
    checkin_form = forms.CheckInForm(request.POST if "check_in" in request.POST else None)
    journal_form = forms.JournalForm(
        request.POST if "journal" in request.POST else None,
        initial={"week_start": timezone.localdate()},
    )
    change_form = forms.ChangeRequestForm(
        request.POST if "change_request" in request.POST else None, prefix="change"
    )
    status = 200
    if request.method == "POST" and placement is not None:
        if checkin_form.is_bound and checkin_form.is_valid():
            outcome = service_call(
                request,
                lambda: services.checkin_record(
                    actor=request.user, student=student, **checkin_form.cleaned_data
                ),
                success=_("You have checked in."),
            )
            if outcome.ok:
                return redirect("industry:my-internship")
        elif checkin_form.is_bound:
            messages.error(request, _("Your location could not be read; allow location access."))
        if journal_form.is_bound and journal_form.is_valid():
            written = service_call(
                request,
                lambda: services.journal_submit(
                    actor=request.user, placement=placement, **journal_form.cleaned_data
                ),
                form=journal_form,
                success=_("Your journal was submitted."),
            )
            if written.ok:
                return redirect("industry:my-internship")
        if change_form.is_bound and change_form.is_valid():
            asked = service_call(
                request,
                lambda: services.placement_change_request(
                    actor=request.user, placement=placement, **change_form.cleaned_data
                ),
                form=change_form,
                success=_("Your request was sent for approval."),
            )
            if asked.ok:
                return redirect("industry:my-internship")
        status = 422
    return render(
        request,
        "industry/my_internship.html",
        {
            "placement": placement,
            "checkin_form": checkin_form,
            "journal_form": journal_form,
            "change_form": change_form,
            "last_checkin": selectors.last_checkin_of(placement) if placement else None,
            "journals": selectors.journals_of(placement) if placement else [],
        },
        status=status,
    )


# --- Employment ---------------------------------------------------------------------------


@page
def employment(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, permissions.VIEW_EMPLOYMENT):
        raise PermissionDenied()
    rows = selectors.destination_rates(actor=request.user, by="major")
    counts: dict[str, int] = {}
    for destination in selectors.destination_list_for(actor=request.user).values_list(
        "destination", flat=True
    ):
        label = str(Destination(destination).label)
        counts[label] = counts.get(label, 0) + 1
    charts = [
        chart(
            "rate",
            _("Destination rate by major (%)"),
            bar_chart(
                [r.label for r in rows], [round(r.rate) for r in rows], series=_("Destination rate")
            ),
        ),
        chart(
            "destinations",
            _("Destinations"),
            pie_chart(sorted(counts.items()), series=_("Graduates")),
        ),
    ]
    from openvet.core.selectors import code_items
    from openvet.industry import selectors_library as lib

    regions = dict(code_items("region").values_list("code", "name"))
    by_region = lib.flows_by_region(actor=request.user, region_names=regions)
    by_industry = lib.flows_by_industry(actor=request.user)
    if by_region:
        charts.append(
            chart(
                "regions",
                _("Where placed graduates work (province)"),
                bar_chart(
                    [r.label for r in by_region],
                    [r.graduates for r in by_region],
                    series=_("Graduates"),
                ),
            )
        )
    if by_industry:
        charts.append(
            chart(
                "industries",
                _("Industries of the employers"),
                pie_chart([(r.label, r.graduates) for r in by_industry], series=_("Graduates")),
            )
        )
    surveys = list(lib.round_list_for(actor=request.user)[:3])
    return render(
        request,
        "industry/employment.html",
        {
            "rows": rows,
            "charts": charts,
            "schools": lib.rates_by_school(actor=request.user),
            "by_region": by_region,
            "by_industry": by_industry,
            "surveys": [(survey, lib.survey_results(survey)) for survey in surveys],
            "can_record": policy.has_capability(request.user, permissions.RECORD_EMPLOYMENT),
        },
    )


# --- Exports ------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request: HttpRequest, content: bytes, name: str, label: str) -> HttpResponse:
    audit_record(action=AuditAction.EXPORT, actor=request.user, object_label=label)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def placement_export(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, permissions.VIEW_PLACEMENT):
        raise PermissionDenied()
    try:
        month = date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        month = timezone.localdate()
    placements = policy.scope(Placement.objects.all(), request.user, permissions.VIEW_PLACEMENT)
    content = exports.internship_month_xlsx(placements, month)
    return _download(request, content, f"internships-{month:%Y-%m}.xlsx", "internship export")


@page
def employment_export(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, permissions.VIEW_EMPLOYMENT):
        raise PermissionDenied()
    content = exports.destinations_xlsx(selectors.destination_list_for(actor=request.user))
    return _download(request, content, "graduate-destinations.xlsx", "destination export")


# --- Job-skill standards ------------------------------------------------------------------


@page
def standard_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, permissions.VIEW_STANDARD):
        raise PermissionDenied()
    return render(
        request,
        "industry/standard_list.html",
        {
            "standards": selectors.standard_list_for(actor=request.user).order_by("org", "name"),
            "can_create": schools_for(
                actor=request.user, capability=permissions.CHANGE_STANDARD
            ).exists(),
        },
    )


@page
def standard_new(request: HttpRequest) -> HttpResponse:
    schools = {
        s.pk: s for s in schools_for(actor=request.user, capability=permissions.CHANGE_STANDARD)
    }
    if not schools:
        raise PermissionDenied()
    majors = {m.pk: m for m in majors_for(actor=request.user, capability=permissions.VIEW_STANDARD)}
    enterprises = {e.pk: e for e in selectors.enterprise_list_for(actor=request.user)}
    form = forms.StandardForm(request.POST or None)
    form.fields["school"].choices = [(pk, s.name) for pk, s in schools.items()]  # type: ignore[attr-defined]
    form.fields["majors"].choices = [(pk, m.name) for pk, m in majors.items()]  # type: ignore[attr-defined]
    form.fields["enterprise"].choices = [("", "—")] + [  # type: ignore[attr-defined]
        (pk, e.name) for pk, e in enterprises.items()
    ]

    def create() -> Any:
        data = dict(form.cleaned_data)
        data["school"] = schools[data["school"]]
        data["majors"] = [majors[pk] for pk in data["majors"]]
        data["enterprise"] = enterprises.get(data["enterprise"] or 0)
        return services.standard_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        create,
        done=lambda standard: redirect("industry:standard-detail", standard_id=standard.pk),
        template="industry/form_page.html",
        context=lambda: {"title": _("New job-skill standard"), "submit": _("Save standard")},
        success=_("The job-skill standard was saved."),
    )


def _skill_form(request: HttpRequest, standard: Any) -> tuple[forms.SkillForm, dict[int, Any]]:
    courses = {c.pk: c for c in course_list_for(actor=request.user, school=standard.org)}
    form = forms.SkillForm(request.POST if "skill" in request.POST else None, prefix="skill")
    form.fields["task"].choices = [("", "—")] + [(t.pk, t.name) for t in standard.tasks.all()]  # type: ignore[attr-defined]
    form.fields["courses"].choices = [(pk, str(c)) for pk, c in courses.items()]  # type: ignore[attr-defined]
    return form, courses


@page
def standard_detail(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_get_for(actor=request.user, standard_id=standard_id)
    can_edit = permissions.can_change_standard(request.user, standard.org)
    task_form = forms.TaskForm(request.POST if "task" in request.POST else None, prefix="task")
    skill_form, courses = _skill_form(request, standard)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied()
        if task_form.is_bound and task_form.is_valid():
            outcome = service_call(
                request,
                lambda: services.standard_task_add(
                    actor=request.user, standard=standard, **task_form.cleaned_data
                ),
                form=task_form,
                success=_("The work task was added."),
            )
            if outcome.ok:
                return redirect("industry:standard-detail", standard_id=standard.pk)
        if skill_form.is_bound and skill_form.is_valid():
            data = dict(skill_form.cleaned_data)
            data["task"] = standard.tasks.filter(pk=data["task"] or 0).first()
            data["courses"] = [courses[pk] for pk in data["courses"]]
            added = service_call(
                request,
                lambda: services.standard_skill_add(actor=request.user, standard=standard, **data),
                form=skill_form,
                success=_("The skill was added."),
            )
            if added.ok:
                return redirect("industry:standard-detail", standard_id=standard.pk)
        status = 422
    return render(
        request,
        "industry/standard_detail.html",
        {
            "standard": standard,
            "tasks": standard.tasks.all(),
            "skills": selectors.standard_skills(standard),
            "can_edit": can_edit,
            "task_form": task_form,
            "skill_form": skill_form,
        },
        status=status,
    )


@page
def standard_coverage(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, permissions.VIEW_STANDARD):
        raise PermissionDenied()
    majors = majors_for(actor=request.user, capability=permissions.VIEW_STANDARD)
    chosen = request.GET.get("major", "")
    major = next((m for m in majors if str(m.pk) == chosen), majors[0] if majors else None)
    coverage = selectors.coverage_of_major(actor=request.user, major=major) if major else None
    return render(
        request,
        "industry/standard_coverage.html",
        {"majors": majors, "major": major, "coverage": coverage},
    )
