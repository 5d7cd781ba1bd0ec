"""Pages of a teacher's learning space (ADR 0758): my courses with what waits for me, my
lesson plans and resources, my public page's settings; and the public page itself."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from openvet.core import policy
from openvet.core.errors import PermissionDenied
from openvet.core.view_helpers import domain_errors, page, service_call
from openvet.learning import permissions as perms
from openvet.learning.forms import StyledForm
from openvet.learning.space import teacher_selectors as selectors
from openvet.learning.space import teacher_services as services


class ProfileForm(StyledForm):
    shown = forms.BooleanField(label=gettext_lazy("Show my public teaching page"), required=False)
    bio = forms.CharField(
        label=gettext_lazy("About me"),
        required=False,
        max_length=services.MAX_BIO,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What anyone with the address reads: your subjects, qualifications, what your "
            "courses offer. Do not write phone numbers or addresses."
        ),
    )


@page
def teacher_space(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, perms.TEACH):
        raise PermissionDenied()
    space = selectors.teaching_space(actor=request.user)
    initial = {"shown": space.profile.shown, "bio": space.profile.bio} if space.profile else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = service_call(
            request,
            lambda: services.profile_save(actor=request.user, shown=data["shown"], bio=data["bio"]),
            form=form,
            success=_("Your public page settings were saved."),
        )
        if outcome.ok:
            return redirect("learning:teacher-space")
    return render(
        request,
        "learning/space/teacher.html",
        {"space": space, "form": form},
        status=422 if form.errors else 200,
    )


@require_GET
@domain_errors
def teacher_profile(request: HttpRequest, token: str) -> HttpResponse:
    """Public while the teacher shows it: name, school, what they wrote, courses taught."""
    response = render(
        request,
        "learning/space/teacher_profile.html",
        {"profile": selectors.profile_public(token=token)},
    )
    response["Cache-Control"] = "no-store"
    return response
