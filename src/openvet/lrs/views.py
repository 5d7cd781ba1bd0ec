"""The xAPI clients page: a school's clients, and a new client's key and secret shown once."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.view_helpers import domain_errors, service_call
from openvet.lrs import selectors, services
from openvet.lrs.forms import ClientForm


@login_required
@domain_errors
def client_list(request: HttpRequest) -> HttpResponse:
    viewable = list(selectors.client_schools_for(actor=request.user))
    if not viewable:
        raise PermissionDenied()
    addable = list(
        selectors.client_schools_for(actor=request.user, capability=selectors.ADD_CLIENT)
    )
    choices = [(school.pk, school.name) for school in addable]
    form = ClientForm(request.POST or None, schools=choices)
    made = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            school = next((s for s in addable if s.pk == data["school"]), None)
            if school is None:
                raise NotFound()
            made = service_call(
                request,
                lambda: services.client_create(
                    actor=request.user,
                    name=data["name"],
                    school=school,
                    can_read=data["can_read"],
                    can_write=data["can_write"],
                ),
                form=form,
            ).value
        if made is None:
            status = 422
        else:
            form = ClientForm(schools=choices)
    context = {
        "clients": selectors.client_list_for(actor=request.user),
        "form": form,
        "can_add": bool(addable),
        "made": made,
        "endpoint": request.build_absolute_uri("/xapi/"),
    }
    return render(request, "lrs/client_list.html", context, status=status)
