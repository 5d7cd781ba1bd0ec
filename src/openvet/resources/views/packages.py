"""Importing a SCORM or IMS Common Cartridge package as a resource (ADR 0513)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from openvet.core.view_helpers import form_page
from openvet.resources.forms import PackageImportForm
from openvet.resources.services.packages import package_import
from openvet.resources.services.resources import major_choices, require_add
from openvet.resources.views.common import page


@page
def package_import_page(request: HttpRequest) -> HttpResponse:
    require_add(request.user)
    form = PackageImportForm(request.POST or None, majors=major_choices())
    return form_page(
        request,
        form,
        lambda: package_import(
            actor=request.user,
            upload_key=form.upload_key(),
            major_code=form.cleaned_data["major_code"],
            licence=form.cleaned_data["licence"],
            title=form.cleaned_data["title"],
        ),
        done=lambda resource: redirect("resources:detail", resource_id=resource.pk),
        template="resources/package_import.html",
        context=dict,
        success=_("The package was imported as a draft; check it and publish it."),
    )
