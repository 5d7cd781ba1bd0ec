"""``service_call``: how a page shows a service's refusal, once."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.view_helpers import service_call


class NameForm(forms.Form):
    name = forms.CharField()


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _shown(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _refuse(exc: Exception) -> None:
    raise exc


def test_success_returns_the_value_and_says_so() -> None:
    request = _request()
    outcome = service_call(request, lambda: 42, success="Saved.")
    assert (outcome.ok, outcome.value, _shown(request)) == (True, 42, [("success", "Saved.")])


def test_a_refusal_becomes_one_error_message_and_nothing_else() -> None:
    request = _request()
    outcome = service_call(request, lambda: _refuse(Conflict("Already taken.")), success="Saved.")
    assert (outcome.ok, outcome.value, _shown(request)) == (
        False,
        None,
        [("error", "Already taken.")],
    )


def test_field_messages_replace_the_generic_message() -> None:
    request = _request()
    outcome = service_call(
        request, lambda: _refuse(ValidationFailed(details={"name": "名称不能为空。"}))
    )
    assert (outcome.errors, _shown(request)) == (
        {"name": "名称不能为空。"},
        [("error", "名称不能为空。")],
    )


def test_on_a_form_details_go_to_their_fields_and_the_rest_to_the_form() -> None:
    request = _request()
    form = NameForm({"name": "x"})
    assert form.is_valid()
    service_call(
        request,
        lambda: _refuse(ValidationFailed(details={"name": "Taken.", "other": "Too late."})),
        form=form,
    )
    assert (form.errors["name"], form.non_field_errors(), _shown(request)) == (
        ["Taken."],
        ["Too late."],
        [],
    )


def test_on_a_form_a_named_field_takes_the_message() -> None:
    request = _request()
    form = NameForm({"name": "x"})
    assert form.is_valid()
    outcome = service_call(
        request, lambda: _refuse(Conflict("Signed in already.")), form=form, field="name"
    )
    assert (outcome.ok, form.errors["name"]) == (False, ["Signed in already."])


def test_show_false_leaves_the_errors_to_the_page() -> None:
    request = _request()
    outcome = service_call(request, lambda: _refuse(Conflict("No.")), show=False)
    assert (outcome.errors, _shown(request)) == ({"": "No."}, [])


@pytest.mark.parametrize("error", [NotFound(), PermissionDenied()])
def test_not_found_and_forbidden_stay_errors_of_the_page(error: Exception) -> None:
    with pytest.raises(type(error)):
        service_call(_request(), lambda: _refuse(error))
