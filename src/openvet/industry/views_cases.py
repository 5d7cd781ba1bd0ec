"""Pages of the innovation and entrepreneurship case library (ADR 0613)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import form_page, page, service_call
from openvet.industry import forms_cooperation as forms
from openvet.industry import permissions_cooperation as perms
from openvet.industry import selectors_cooperation as coop
from openvet.industry import services_cooperation as services


@page
def case_list(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.VIEW_CASE):
        raise PermissionDenied()
    tag = request.GET.get("tag", "").strip()
    return render(
        request,
        "industry/case_list.html",
        {
            "cases": coop.case_list_for(actor=request.user, tag=tag),
            "tag": tag,
            "can_create": bool(coop.case_keepers_for(actor=request.user)),
        },
    )


def _case_form(request: HttpRequest, initial: dict[str, Any]) -> tuple[Any, dict[int, Any]]:
    keepers = {o.pk: o for o in coop.case_keepers_for(actor=request.user)}
    if not keepers:
        raise PermissionDenied()
    form = forms.CaseForm(request.POST or None, initial=initial)
    form.fields["org"].choices = [(pk, o.name) for pk, o in keepers.items()]  # type: ignore[attr-defined]
    return form, keepers


@page
def case_new(request: HttpRequest) -> HttpResponse:
    form, keepers = _case_form(request, {"year": timezone.localdate().year})

    def save() -> Any:
        data = dict(form.cleaned_data)
        org = keepers[data.pop("org")]
        return services.case_save(actor=request.user, org=org, **data)

    return form_page(
        request,
        form,
        save,
        done=lambda case: redirect("industry:case-detail", case_id=case.pk),
        template="industry/coop_form_page.html",
        context=lambda: {
            "title": _("New case"),
            "submit": _("Save case"),
            "back_url": "industry:case-list",
        },
        success=_("The case was saved."),
    )


CASE_FORMS: dict[str, Any] = {"file": forms.CaseFileForm, "award": forms.CaseAwardForm}


@page
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = coop.case_get_for(actor=request.user, case_id=case_id)
    can_keep = perms.can_keep_case(request.user, case.org)
    posted = request.POST.get("form", "")
    bound = {
        name: cls(
            request.POST if posted == name else None,
            request.FILES if posted == name else None,
            prefix=name,
        )
        for name, cls in CASE_FORMS.items()
    }
    status = 200
    if request.method == "POST":
        if not can_keep or posted not in bound:
            raise PermissionDenied()
        form = bound[posted]
        if form.is_valid():
            add = services.case_file_add if posted == "file" else services.case_award_add
            outcome = service_call(
                request,
                lambda: add(actor=request.user, case=case, **form.cleaned_data),
                form=form,
                success=_("The case was updated."),
            )
            if outcome.ok:
                return redirect("industry:case-detail", case_id=case.pk)
        status = 422
    return render(
        request,
        "industry/case_detail.html",
        {"case": case, "forms": bound, "can_keep": can_keep, "files": case.files.all()},
        status=status,
    )
