"""The destination page (ADR 0627) and the class sheet (ADR 0628): a counsellor records
their classes' graduates, the employment office its school's."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.models import OrgUnit
from openvet.core.view_helpers import form_page, page, refusal_text
from openvet.industry import forms, selectors, services
from openvet.industry import selectors_destinations as sel
from openvet.industry import services_destinations as sheet
from openvet.industry.codes import NOT_PLACED

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _class_id(request: HttpRequest) -> int | None:
    value = request.GET.get("class", "")
    return int(value) if value.isdigit() else None


def _chosen_class(request: HttpRequest, classes: list[OrgUnit]) -> OrgUnit:
    """The class of ``?class=`` (404 outside the actor's), else the first of theirs."""
    if not classes:
        raise PermissionDenied()
    wanted = _class_id(request)
    if wanted is None:
        return classes[0]
    return sel.recording_class_get_for(actor=request.user, class_id=wanted)


@page
def destination_list(request: HttpRequest) -> HttpResponse:
    classes = list(sel.recording_classes_for(actor=request.user))
    klass = _chosen_class(request, classes)
    roster = sel.roster_of(actor=request.user, klass=klass)
    placed = sum(1 for _s, d in roster if d is not None and d.destination not in NOT_PLACED)
    return render(
        request,
        "industry/destination_list.html",
        {
            "classes": classes,
            "klass": klass,
            "roster": roster,
            "recorded": sum(1 for _s, d in roster if d is not None),
            "placed": placed,
        },
    )


@page
def destination_edit(request: HttpRequest, student_id: int) -> HttpResponse:
    student = sel.graduate_get_for(actor=request.user, student_id=student_id)
    current = sel.destination_of(student)
    enterprises = list(selectors.enterprise_list_for(actor=request.user))
    form = forms.DestinationForm(
        request.POST or None, initial=_initial(current), enterprises=enterprises
    )
    back = f"{reverse('industry:destination-list')}?class={student.class_unit_id or ''}"

    def save() -> Any:
        data = dict(form.cleaned_data)
        unit_id = data.pop("employer_unit")
        unit = next((e for e in enterprises if e.pk == unit_id), None)
        return services.destination_record(
            actor=request.user,
            student=student,
            graduation_year=sel.graduation_year_of(student),
            employer_unit=unit,
            **data,
        )

    return form_page(
        request,
        form,
        save,
        done=lambda _saved: redirect(back),
        template="industry/destination_edit.html",
        context=lambda: {
            "student": student,
            "current": current,
            "revisions": sel.revisions_of(current),
            "back": back,
        },
        success=_("The destination of %(name)s is saved.") % {"name": student.name},
    )


def _initial(current: Any) -> dict[str, Any]:
    if current is None:
        return {}
    related = current.related_to_major
    return {
        "destination": current.destination,
        "employer_unit": current.employer_unit_id,
        "employer": "" if current.employer_unit_id else current.employer,
        "employer_code": "" if current.employer_unit_id else current.employer_code,
        "region_code": current.region_code,
        "industry": current.industry,
        "salary_band": current.salary_band,
        "related_to_major": "" if related is None else ("yes" if related else "no"),
        "placed_on": current.placed_on,
    }


@page
def destination_import(request: HttpRequest) -> HttpResponse:
    klass = _chosen_class(request, list(sel.recording_classes_for(actor=request.user)))
    form = forms.DestinationImportForm(request.POST or None, request.FILES or None)
    bad_rows: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = sheet.destinations_import(
                actor=request.user, klass=klass, upload=form.cleaned_data["file"]
            )
        except sheet.SheetRefused as exc:
            bad_rows = exc.rows
            form.add_error("file", str(exc.message))
        except ValidationFailed as exc:
            form.add_error("file", refusal_text(exc))
        else:
            messages.success(request, _("%(count)s destinations imported.") % {"count": count})
            return redirect(f"{reverse('industry:destination-list')}?class={klass.pk}")
    return render(
        request,
        "industry/destination_import.html",
        {"klass": klass, "form": form, "bad_rows": bad_rows},
        status=422 if form.errors else 200,
    )


@page
def destination_template(request: HttpRequest) -> HttpResponse:
    if not sel.recording_classes_for(actor=request.user).exists():
        raise PermissionDenied()
    audit_record(action=AuditAction.EXPORT, actor=request.user, object_label="destination sheet")
    response = HttpResponse(sheet.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="graduate-destinations-sheet.xlsx"'
    return response
