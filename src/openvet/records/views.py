"""Pages of records: parse, call a selector or service, render."""

from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import DomainError, NotFound, PermissionDenied
from openvet.core.models import OrgUnit
from openvet.core.pii import REVEAL_CAPABILITY, reveal_asked
from openvet.core.view_helpers import domain_errors
from openvet.records import selectors, services
from openvet.records.bulk.selectors import schools_for
from openvet.records.codes import ChangeType, ethnicity_names, political_status_names
from openvet.records.forms import (
    ChangeForm,
    StaffFilterForm,
    StudentFilterForm,
    StudentForm,
    change_form,
)
from openvet.records.models import ChangeState, StatusChange, Student
from openvet.records.permissions import (
    can_apply_change,
    can_change_student,
    can_reveal_pii,
)
from openvet.records.presenters import change_detail_lines, history_lines

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def _show_errors(form: forms.Form, exc: DomainError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for field, message in details.items():
        text = "; ".join(message) if isinstance(message, list) else str(message)
        if field in form.fields:
            form.add_error(field, text)
            placed = True
        else:
            form.add_error(None, text)
            placed = True
    if not placed or not details:
        form.add_error(None, str(exc.message))


def _sent(form: ChangeForm, send: Callable[..., StatusChange]) -> StatusChange | None:
    """The change ``send`` made from the form's reason, note and details; ``None`` when the
    service refused it, the reasons then shown on the form beside what the user typed."""
    try:
        return send(
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
            details=form.details(),
        )
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        _show_errors(form, exc)
        return None


@login_required
@domain_errors
def student_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, "records.view_student"):
        own = selectors.student_of_user(user=request.user)
        if own is None:
            raise PermissionDenied()
        return redirect("records:student-detail", own.pk)
    form = StudentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    students = selectors.student_list_for(
        actor=request.user,
        search=filters.get("q") or "",
        status=filters.get("status") or "",
        grade_year=filters.get("grade_year"),
    )
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "records/student_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": policy.has_capability(request.user, "records.add_student"),
            "can_reveal": policy.has_capability(request.user, REVEAL_CAPABILITY),
        },
    )


def _creatable_school(request: HttpRequest) -> OrgUnit:
    """The school a new record goes to: the one asked for, else the first the user may fill."""
    schools = schools_for(actor=request.user, capabilities=("records.add_student",))
    wanted = request.GET.get("school", "")
    school: OrgUnit | None = next(
        (s for s in schools if str(s.pk) == wanted), schools[0] if schools else None
    )
    if school is None:
        raise PermissionDenied()
    return school


def _saved_or_none(form: StudentForm, save: Callable[[], Student]) -> Student | None:
    """Run ``save``; a rule it refuses shows on the form (None), not-found and permission
    errors go on to the 404 and 403 pages."""
    try:
        return save()
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        _show_errors(form, exc)
        return None


@login_required
@domain_errors
def student_create(request: HttpRequest) -> HttpResponse:
    school = _creatable_school(request)
    form = StudentForm(request.POST or None, request.FILES or None, school=school)
    if request.method == "POST" and form.is_valid():
        student = _saved_or_none(
            form,
            lambda: services.student_create(
                actor=request.user,
                school=school,
                photo=form.cleaned_data.get("photo"),
                **form.values(),
            ),
        )
        if student is not None:
            messages.success(request, _("The student record was created."))
            return redirect("records:student-detail", student.pk)
    context = {"form": form, "school": school, "student": None}
    return render(request, "records/student_form.html", context)


@login_required
@domain_errors
def student_edit(request: HttpRequest, student_id: int) -> HttpResponse:
    student = selectors.student_get_for(
        actor=request.user, student_id=student_id, capability="records.change_student"
    )
    if not can_change_student(request.user, student):
        raise NotFound()  # a student sees their own record but does not edit it
    form = StudentForm(
        request.POST or None,
        request.FILES or None,
        school=student.school,
        student=student,
        initial=StudentForm.initial_of(student),
    )
    if request.method == "POST" and form.is_valid():
        saved = _saved_or_none(
            form,
            lambda: services.student_update(
                actor=request.user,
                student=student,
                photo=form.cleaned_data.get("photo"),
                **form.values(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The student record was saved."))
            return redirect("records:student-detail", student.pk)
    context = {"form": form, "school": student.school, "student": student}
    return render(request, "records/student_form.html", context)


@login_required
@domain_errors
def student_photo(request: HttpRequest, student_id: int) -> HttpResponse:
    """The photo, only to those who may see the record; never cached by shared caches."""
    student = selectors.student_get_for(actor=request.user, student_id=student_id)
    if not student.photo:
        raise NotFound()
    content_type = "image/png" if student.photo.name.endswith(".png") else "image/jpeg"
    with student.photo.open("rb") as handle:  # at most 2 MB, re-encoded small (``clean_photo``)
        response = HttpResponse(handle.read(), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@domain_errors
def my_record(request: HttpRequest) -> HttpResponse:
    own = selectors.student_of_user(user=request.user)
    if own is None:
        raise NotFound(_("No student record is linked to your account."))
    return redirect("records:student-detail", own.pk)


@login_required
@domain_errors
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    student = selectors.student_get_for(actor=request.user, student_id=student_id)
    revealed = None
    if reveal_asked(request) and can_reveal_pii(request.user, student.org):
        revealed = services.student_reveal_pii(actor=request.user, student=student)
    return render(
        request,
        "records/student_detail.html",
        {
            "student": student,
            "ethnicity": ethnicity_names().get(student.ethnicity, student.ethnicity),
            "political_status": political_status_names().get(
                student.political_status, student.political_status
            ),
            "history": [
                (entry, history_lines(entry)) for entry in selectors.student_history(student)
            ],
            "changes": selectors.status_change_list_for(actor=request.user, student=student),
            "change_types": selectors.change_types_for(actor=request.user, student=student),
            "open_change": selectors.open_change_of(student),
            "can_reveal": can_reveal_pii(request.user, student.org),
            "can_edit": can_change_student(request.user, student),
            "revealed": revealed,
        },
    )


@login_required
@domain_errors
def change_apply(request: HttpRequest, student_id: int) -> HttpResponse:
    student = selectors.student_get_for(actor=request.user, student_id=student_id)
    change_type = request.GET.get("type") or request.POST.get("change_type") or ""
    if change_type not in ChangeType.values or not can_apply_change(
        request.user, student, change_type
    ):
        raise PermissionDenied()
    # The detail page offers only possible kinds; an old link or a changed status still
    # reaches the form, which then says why it cannot be sent (and the service refuses it).
    refusal = services.status_refusal(student, change_type)
    # A major chosen on the page (htmx asks for the form again) narrows the class list.
    initial = {"target_major_id": request.GET.get("target_major_id")}
    form = change_form(change_type, student, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        change = _sent(
            form,
            partial(
                services.status_change_apply,
                actor=request.user,
                student=student,
                change_type=change_type,
            ),
        )
        if change is not None:
            messages.success(request, _("Your application was sent for approval."))
            return redirect("records:change-detail", change.pk)
    return render(
        request,
        "records/change_form.html",
        {
            "student": student,
            "form": form,
            "change_type": change_type,
            "change_label": ChangeType(change_type).label,
            "refusal": refusal,
            "action": request.path + f"?type={change_type}",
        },
    )


@login_required
@domain_errors
def change_detail(request: HttpRequest, change_id: int) -> HttpResponse:
    change = selectors.status_change_get_for(actor=request.user, change_id=change_id)
    is_applicant = change.applicant_id == request.user.pk
    form = None
    if is_applicant and change.state == ChangeState.RETURNED:
        form = change_form(
            change.change_type,
            change.student,
            initial={"reason": change.reason, "note": change.note, **change.details},
        )
    return render(
        request,
        "records/change_detail.html",
        {
            "change": change,
            "details": change_detail_lines(change),
            "trail": selectors.status_change_trail(change),
            "is_applicant": is_applicant,
            "form": form,
            "can_withdraw": is_applicant
            and change.state in (ChangeState.PENDING, ChangeState.RETURNED),
        },
    )


@login_required
@domain_errors
@require_POST
def change_withdraw(request: HttpRequest, change_id: int) -> HttpResponse:
    change = selectors.status_change_get_for(actor=request.user, change_id=change_id)
    try:
        services.status_change_withdraw(actor=request.user, change=change)
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("records:change-detail", change.pk)


@login_required
@domain_errors
@require_POST
def change_resubmit(request: HttpRequest, change_id: int) -> HttpResponse:
    change = selectors.status_change_get_for(actor=request.user, change_id=change_id)
    form = change_form(change.change_type, change.student, request.POST)
    if form.is_valid() and _sent(
        form, partial(services.status_change_resubmit, actor=request.user, change=change)
    ):
        messages.success(request, _("Your application was sent for approval again."))
        return redirect("records:change-detail", change.pk)
    return render(
        request,
        "records/change_detail.html",
        {
            "change": change,
            "details": change_detail_lines(change),
            "trail": selectors.status_change_trail(change),
            "is_applicant": True,
            "form": form,
            "can_withdraw": True,
        },
    )


@login_required
@domain_errors
def staff_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, "records.view_staff"):
        raise PermissionDenied()
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    staff = selectors.staff_list_for(
        actor=request.user,
        search=filters.get("q") or "",
        post_type=filters.get("post_type") or "",
        dual_only=bool(filters.get("dual")),
    )
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "records/staff_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
@domain_errors
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = selectors.staff_get_for(actor=request.user, staff_id=staff_id)
    return render(
        request,
        "records/staff_detail.html",
        {
            "staff": staff,
            "qualifications": staff.qualifications.all(),
            "practices": staff.practices.select_related("enterprise"),
            "trainings": staff.trainings.all(),
            "dual_reasons": services.dual_qualification_reasons(staff),
        },
    )
