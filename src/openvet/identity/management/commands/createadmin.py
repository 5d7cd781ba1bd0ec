"""`openvet createadmin`: the first platform administrator of a new installation.

A production install ships no built-in account (GB/T 22239-2019 access control: no default
accounts or passwords). This command creates one, under the password policy, grants it
platform_admin on the nation node (created if missing) and leaves TOTP enrolment to the
first sign-in. Non-interactive use: --username, --full-name and the password in the
OPENVET_ADMIN_PASSWORD environment variable.
"""

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from openvet.core import codetables, services
from openvet.core.errors import DomainError
from openvet.core.roles import Role
from openvet.identity import services as identity

PASSWORD_VARIABLE = "OPENVET_ADMIN_PASSWORD"  # noqa: S105 the variable's name, not a secret


class Command(BaseCommand):
    help = "Create the first platform administrator (interactive, or with --no-input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--full-name", dest="full_name")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"take the password from ${PASSWORD_VARIABLE}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interactive"]:
            username, full_name, password = self._ask(options)
        else:
            username, full_name, password = self._from_options(options)
        try:
            with transaction.atomic():
                self._create(username, full_name, password)
        except DomainError as exc:
            raise CommandError(f"{exc.message} {exc.details or ''}".strip()) from exc
        self.stdout.write(
            f"Platform administrator {username!r} created. "
            "Authenticator (TOTP) enrolment is required at first sign-in."
        )

    def _from_options(self, options: dict[str, Any]) -> tuple[str, str, str]:
        username = (options["username"] or "").strip()
        full_name = (options["full_name"] or "").strip()
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not username or not full_name:
            raise CommandError("--username and --full-name are required with --no-input.")
        if not password:
            raise CommandError(f"Set the password in ${PASSWORD_VARIABLE}.")
        self._check_username(username)
        problems = _password_problems(password, username, full_name)
        if problems:
            raise CommandError(" ".join(problems))
        return username, full_name, password

    def _ask(self, options: dict[str, Any]) -> tuple[str, str, str]:
        username = (options["username"] or "").strip() or _ask_text("Username: ")
        self._check_username(username)
        full_name = (options["full_name"] or "").strip() or _ask_text("Full name: ")
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match.")
                continue
            problems = _password_problems(password, username, full_name)
            if not problems:
                return username, full_name, password
            for problem in problems:
                self.stderr.write(problem)

    def _check_username(self, username: str) -> None:
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} already exists.")

    def _create(self, username: str, full_name: str, password: str) -> None:
        nation = services.org_ensure_nation(**codetables.nation_defaults())
        user = identity.user_create(
            actor=None, username=username, full_name=full_name, home_org=nation
        )
        identity.user_set_password(actor=None, user=user, password=password, must_change=False)
        identity.role_grant(actor=None, user=user, role=Role.PLATFORM_ADMIN, org=nation)


def _ask_text(prompt: str) -> str:
    while True:
        value = input(prompt).strip()
        if value:
            return value


def _password_problems(password: str, username: str, full_name: str) -> list[str]:
    """The policy's objections, checked before anything is written."""
    candidate = get_user_model()(username=username, full_name=full_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        return [str(message) for message in exc.messages]
    return []
