"""Pages completing the enterprise library (contacts, documents, ratings, on-site assessment),
the archiving of an internship (R23) and the graduate and employer surveys (ADR 0620–0623)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import Conflict, NotFound, PermissionDenied
from openvet.core.exports import xlsx_bytes
from openvet.core.models import OrgUnit
from openvet.core.view_helpers import form_page, page, service_call
from openvet.industry import archive_zip, forms_library, permissions, selectors, services_library
from openvet.industry import selectors_library as lib
from openvet.industry import services_surveys as surveys
from openvet.industry.codes import SalaryBand
from openvet.industry.models_surveys import SurveyRound
from openvet.teaching.selectors import schools_for

FORM_TEMPLATE = "industry/library_form_page.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def library_context(request: HttpRequest, enterprise: OrgUnit) -> dict[str, Any]:
    """What the enterprise page shows of contacts, documents, ratings and assessments."""
    schools = lib.rating_schools_for(actor=request.user)
    return {
        "contacts": lib.contacts_of(enterprise),
        "can_reveal": permissions.can_reveal_contact(request.user, enterprise),
        "documents": lib.documents_of(enterprise, timezone.localdate()),
        "rating": lib.rating_summary(enterprise),
        "ratings": lib.ratings_of(enterprise),
        "can_rate": bool(schools),
        "assessments": lib.assessments_of(actor=request.user, enterprise=enterprise),
        "can_assess": bool(
            schools_for(actor=request.user, capability=permissions.ASSESS_ENTERPRISE)
        ),
    }


def _enterprise(request: HttpRequest, enterprise_id: int) -> OrgUnit:
    return selectors.enterprise_get_for(actor=request.user, enterprise_id=enterprise_id)


def _back(enterprise: OrgUnit) -> str:
    return reverse("industry:enterprise-detail", args=[enterprise.pk])


@page
def contact_new(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise(request, enterprise_id)
    if not permissions.can_change_enterprise(request.user, enterprise):
        raise PermissionDenied()
    form = forms_library.ContactForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services_library.contact_add(
            actor=request.user, enterprise=enterprise, **form.cleaned_data
        ),
        done=lambda _c: redirect("industry:enterprise-detail", enterprise_id=enterprise.pk),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("Add a contact of %(name)s") % {"name": enterprise.name},
            "submit": _("Add the contact"),
            "back": _back(enterprise),
        },
        success=_("The contact was added."),
    )


@require_POST
@page
def contact_reveal(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The clear phone of a contact as an htmx fragment; the service audits the reveal."""
    contact = lib.contact_get_for(actor=request.user, contact_id=contact_id)
    phone = services_library.contact_reveal_phone(actor=request.user, contact=contact)
    return render(
        request, "industry/partials/_contact_phone.html", {"phone": phone, "contact": contact}
    )


def _confirm_remove(
    request: HttpRequest, enterprise: OrgUnit, *, title: str, what: str
) -> HttpResponse:
    return render(
        request,
        "industry/confirm_remove.html",
        {"title": title, "what": what, "back": _back(enterprise)},
    )


def _removal(request: HttpRequest, enterprise_id: int) -> OrgUnit:
    """The enterprise whose entry is removed, when the caller keeps it (else 404 or 403)."""
    enterprise = _enterprise(request, enterprise_id)
    if not permissions.can_change_enterprise(request.user, enterprise):
        raise PermissionDenied()
    return enterprise


def _remove_after_asking(
    request: HttpRequest,
    enterprise: OrgUnit,
    remove: Callable[[], object],
    *,
    done: str,
    title: str,
    what: str,
) -> HttpResponse:
    """GET asks first (what is removed, from which enterprise); POST removes and goes back."""
    if request.method == "POST":
        remove()
        messages.success(request, done)
        return redirect(_back(enterprise))
    return _confirm_remove(request, enterprise, title=title, what=what)


@page
def contact_delete(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The removal is audited by the service."""
    contact = lib.contact_get_for(actor=request.user, contact_id=contact_id)
    enterprise = _removal(request, contact.enterprise_id)
    return _remove_after_asking(
        request,
        enterprise,
        lambda: services_library.contact_remove(actor=request.user, contact=contact),
        done=_("The contact was removed."),
        title=_("Remove a contact of %(name)s") % {"name": enterprise.name},
        what=f"{contact.name} · {contact.role}",
    )


@page
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    """The removal is audited and takes the file with it."""
    document = lib.document_get_for(actor=request.user, document_id=document_id)
    enterprise = _removal(request, document.enterprise_id)
    return _remove_after_asking(
        request,
        enterprise,
        lambda: services_library.document_remove(actor=request.user, document=document),
        done=_("The document was removed."),
        title=_("Remove a qualification document of %(name)s") % {"name": enterprise.name},
        what=f"{document.title} · {document.get_kind_display()}",
    )


@page
def document_new(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise(request, enterprise_id)
    if not permissions.can_change_enterprise(request.user, enterprise):
        raise PermissionDenied()
    form = forms_library.DocumentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda: services_library.document_add(
            actor=request.user, enterprise=enterprise, **form.cleaned_data
        ),
        done=lambda _d: redirect("industry:enterprise-detail", enterprise_id=enterprise.pk),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("Add a qualification document"),
            "submit": _("Upload"),
            "back": _back(enterprise),
        },
        success=_("The document was uploaded."),
    )


@page
def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    document = lib.document_get_for(actor=request.user, document_id=document_id)
    # Only PDFs are accepted (checked by content at upload), so the type is fixed.
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.title}.pdf"
    )


@page
def rating_new(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise(request, enterprise_id)
    schools = {s.pk: s for s in lib.rating_schools_for(actor=request.user)}
    if not schools:
        raise PermissionDenied()
    form = forms_library.RatingForm(
        request.POST or None, initial={"year": timezone.localdate().year}
    )
    form.fields["school"].choices = [(pk, s.name) for pk, s in schools.items()]  # type: ignore[attr-defined]

    def rate() -> Any:
        data = dict(form.cleaned_data)
        school = schools.get(data.pop("school"))
        if school is None:
            raise PermissionDenied()
        return services_library.rating_save(
            actor=request.user, enterprise=enterprise, school=school, **data
        )

    return form_page(
        request,
        form,
        rate,
        done=lambda _r: redirect("industry:enterprise-detail", enterprise_id=enterprise.pk),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("Rate %(name)s") % {"name": enterprise.name},
            "intro": _("Scores from 1 (poor) to 5 (excellent); one rating a school a year."),
            "submit": _("Save the rating"),
            "back": _back(enterprise),
        },
        success=_("The rating was saved."),
    )


@page
def assessment_new(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise(request, enterprise_id)
    schools = list(schools_for(actor=request.user, capability=permissions.ASSESS_ENTERPRISE))
    if not schools:
        raise PermissionDenied()
    form = forms_library.AssessmentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda: services_library.assessment_record(
            actor=request.user, school=schools[0], enterprise=enterprise, **form.cleaned_data
        ),
        done=lambda _a: redirect("industry:enterprise-detail", enterprise_id=enterprise.pk),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("On-site assessment of %(name)s") % {"name": enterprise.name},
            "intro": _(
                "A new internship unit is visited and assessed with a written report, then put "
                "on the school's published list (《职业学校学生实习管理规定》)."
            ),
            "submit": _("Record the assessment"),
            "back": _back(enterprise),
        },
        success=_("The assessment was recorded."),
    )


@require_POST
@page
def placement_archive(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = selectors.placement_get_for(actor=request.user, placement_id=placement_id)
    service_call(
        request,
        lambda: services_library.placement_archive(actor=request.user, placement=placement),
        success=_("The internship's papers were archived."),
    )
    return redirect("industry:placement-detail", placement_id=placement.pk)


@page
def placement_archive_download(request: HttpRequest, placement_id: int) -> HttpResponse:
    """The archived papers as one .zip for the staff who arrange placements (audited)."""
    placement = selectors.placement_get_for(actor=request.user, placement_id=placement_id)
    org = OrgUnit.objects.get(pk=placement.org_id)
    if not permissions.can_manage_placements(request.user, org):
        raise PermissionDenied()
    try:
        content = archive_zip.archive_zip(placement)
    except Conflict as exc:  # only a typed address gets here: the page offers no link yet
        messages.error(request, str(exc.message))
        return redirect("industry:placement-detail", placement_id=placement.pk)
    audit_record(
        action=AuditAction.EXPORT,
        obj=placement,
        org=org,
        actor=request.user,
        changes={"archive": "zip"},
    )
    response = HttpResponse(content, content_type="application/zip")
    filename = archive_zip.archive_filename(placement)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Surveys --------------------------------------------------------------------------------


@page
def survey_list(request: HttpRequest) -> HttpResponse:
    rounds = list(lib.round_list_for(actor=request.user))
    to_answer = lib.surveys_to_answer(actor=request.user, today=timezone.localdate())
    can_create = bool(schools_for(actor=request.user, capability=permissions.MANAGE_SURVEY))
    return render(
        request,
        "industry/survey_list.html",
        {"rounds": rounds, "to_answer": to_answer, "can_create": can_create},
    )


@page
def survey_new(request: HttpRequest) -> HttpResponse:
    schools = list(schools_for(actor=request.user, capability=permissions.MANAGE_SURVEY))
    if not schools:
        raise PermissionDenied()
    today = timezone.localdate()
    form = forms_library.RoundForm(
        request.POST or None,
        initial={"graduation_year": today.year, "closes_on": today.replace(day=28)},
    )
    return form_page(
        request,
        form,
        lambda: surveys.round_create(actor=request.user, school=schools[0], **form.cleaned_data),
        done=lambda r: redirect("industry:survey-detail", round_id=r.pk),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("Open a survey round"),
            "intro": _(
                "The school's graduates of the year answer on their phones; the mentors of their "
                "employers rate them."
            ),
            "submit": _("Open the round"),
            "back": reverse("industry:survey-list"),
        },
        success=_("The survey round is open."),
    )


@page
def survey_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = lib.round_get_for(actor=request.user, round_id=round_id)
    rows = lib.survey_results(survey)
    return render(
        request,
        "industry/survey_detail.html",
        {
            "survey": survey,
            "rows": rows,
            "graduates": sum(r.graduates for r in rows),
            "answers": sum(r.graduate_answers for r in rows),
            "employer_answers": sum(r.employer_answers for r in rows),
        },
    )


@page
def survey_export(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = lib.round_get_for(actor=request.user, round_id=round_id)
    headers = [
        _("Major"),
        _("Graduate"),
        _("By"),
        _("Job satisfaction"),
        _("Relevance of the job to the major"),
        _("Salary band"),
        _("Rating of the graduate's skills"),
        _("Would hire again"),
        _("Comment"),
        _("Submitted at"),
    ]

    def yes_no(value: bool | None) -> str:
        return "" if value is None else (_("Yes") if value else _("No"))

    rows = (
        [
            r.student.major.name if r.student.major_id else "",
            r.student.name,
            str(r.get_side_display()),
            r.job_satisfaction or "",
            r.major_relevance or "",
            str(SalaryBand(r.salary_band).label) if r.salary_band else "",
            r.skills_rating or "",
            yes_no(r.would_hire_again),
            r.comment,
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for r in lib.responses_of(survey)
    )
    content = xlsx_bytes(headers, rows)
    audit_record(action=AuditAction.EXPORT, actor=request.user, object_label="survey export")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.graduation_year}-{survey.milestone}.xlsx"'
    )
    return response


def _open_round(round_id: int) -> SurveyRound:
    survey = SurveyRound.objects.select_related("org").filter(pk=round_id).first()
    if survey is None:
        raise NotFound()
    return survey


@page
def survey_answer(request: HttpRequest, round_id: int) -> HttpResponse:
    """The graduate's own answer (404 to anyone outside the round's cohort)."""
    survey = _open_round(round_id)
    if not surveys.cohort_of(survey).filter(student__user_id=int(request.user.pk or 0)).exists():
        raise NotFound()
    form = forms_library.GraduateAnswerForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: surveys.graduate_answer(actor=request.user, survey=survey, **form.cleaned_data),
        done=lambda _r: redirect("industry:survey-list"),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("Graduate survey: %(round)s") % {"round": survey},
            "intro": _("Your answers help the school improve its teaching. You answer once."),
            "submit": _("Send my answers"),
            "back": reverse("industry:survey-list"),
        },
        success=_("Thank you, your answers were sent."),
    )


@page
def survey_employer(request: HttpRequest, round_id: int, student_id: int) -> HttpResponse:
    """An employer's mentor rates a graduate the enterprise employs (404 otherwise)."""
    survey = _open_round(round_id)
    destination = (
        surveys.cohort_of(survey)
        .filter(student_id=student_id)
        .select_related("student", "employer_unit")
        .first()
    )
    if destination is None or not surveys.employed_by(request.user, destination):
        raise NotFound()
    form = forms_library.EmployerAnswerForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: surveys.employer_answer(
            actor=request.user, survey=survey, student_id=student_id, **form.cleaned_data
        ),
        done=lambda _r: redirect("industry:survey-list"),
        template=FORM_TEMPLATE,
        context=lambda: {
            "title": _("Employer survey: %(name)s") % {"name": destination.student.name},
            "intro": str(survey),
            "submit": _("Send the rating"),
            "back": reverse("industry:survey-list"),
        },
        success=_("Thank you, your rating was sent."),
    )
