"""Password rules of GB/T 22239-2019 8.1.4.1 a) (复杂度要求并定期更换)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator:
    """At least ``min_length`` characters.

    Replaces Django's validator of the same name, whose message (``%d`` since Django 5.2) no
    longer matches the msgid in Django's zh_Hans catalogue and so reached zh-hans users in
    English. The message is built when a password is checked, in the request's language.
    """

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "The password must have at least %(count)d character.",
                    "The password must have at least %(count)d characters.",
                    self.min_length,
                )
                % {"count": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Use at least %(count)d character.",
            "Use at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, other characters."""

    required = 3

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required:
            raise ValidationError(
                _(
                    "Use at least three of: lower-case letters, upper-case letters, digits, "
                    "symbols."
                ),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("Use at least three of: lower-case letters, upper-case letters, digits, symbols.")


class NotUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(
                _("The password must not contain the username."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("The password must not contain the username.")


class PasswordHistoryValidator:
    """None of the user's last N passwords (``PASSWORD_HISTORY_LENGTH``) may be reused."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        length = int(settings.PASSWORD_HISTORY_LENGTH)
        recent = [user.password, *user.password_history.values_list("password", flat=True)]
        if any(encoded and check_password(password, encoded) for encoded in recent[:length]):
            raise ValidationError(
                _("Choose a password you have not used for your last %(count)d passwords.")
                % {"count": length},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Do not reuse one of your recent passwords.")
