"""Sign in with a username, a student/staff number (学号/工号) or a mobile number."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from openvet.core.pii import digest
from openvet.identity.models import User


def find_user_by_identifier(identifier: str) -> User | None:
    """The one active account the identifier names, or None when none or several match."""
    identifier = identifier.strip()
    if not identifier:
        return None
    for lookup in (
        {"username": identifier},
        {"person_number": identifier},
        {"mobile_digest": digest(identifier)},
    ):
        matches = list(User.objects.filter(**lookup)[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return None
    return None


class IdentifierBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = find_user_by_identifier(username)
        if user is None:
            # Spend the same time as a real check so that timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
