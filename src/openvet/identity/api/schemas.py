"""Schemas of the identity API: accounts, role grants, tokens and sign-in."""

from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AwareDatetime, Field

from openvet.core.api.schemas import LocalDatetime, mobile_check, name_check
from openvet.core.api.types import BoolField, IdField, InputSchema
from openvet.core.roles import Role
from openvet.identity.models import User

# GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 not stated; "" when not recorded.
Gender = Literal["", "0", "1", "2", "9"]
Language = Literal["", "zh-hans", "en"]
Scope = Literal["read", "write", "pii"]
# Each writable field's limits, defined once for the create and the update schema.
FullName = Annotated[str, Field(max_length=100), name_check(_("Full name"))]
PersonNumber = Annotated[str, Field(max_length=32, description="Student or staff number.")]
Email = Annotated[str, Field(max_length=254)]
Mobile = Annotated[str, Field(max_length=20), mobile_check(_("Mobile number"))]
IdNumber = Annotated[str, Field(max_length=18)]


def _read_only() -> list[Scope]:
    return ["read"]


class UserOut(Schema):
    """An account. ``mobile`` and ``id_number`` are masked unless ``pii_revealed``."""

    id: int
    username: str
    full_name: str
    person_number: str
    home_org_id: int | None
    email: str
    mobile: str = Field(description="Masked (138****5678) unless pii_revealed.")
    id_number: str = Field(description="Masked (110105********0023) unless pii_revealed.")
    gender: str
    is_active: bool
    must_change_password: bool
    language: str
    date_joined: LocalDatetime
    pii_revealed: bool = False

    @staticmethod
    def resolve_mobile(obj: User) -> str:
        return obj.masked_mobile

    @staticmethod
    def resolve_id_number(obj: User) -> str:
        return obj.masked_id_number


class UserFilterIn(Schema):
    search: str = Field(
        "", max_length=100, description="Part of the name or username, or an exact number."
    )
    role: Role | None = Field(None, description="Only accounts holding this role.")


class UserRevealIn(Schema):
    reveal: str = Field(
        "",
        max_length=8,
        description="pii (or true): show mobile and ID number in clear. Needs "
        "identity.reveal_pii for the account's organisation and, with a token, the pii scope; "
        "every reveal is audited.",
    )


class UserCreateIn(InputSchema):
    username: str = Field(max_length=64)
    full_name: FullName
    home_org_id: IdField
    person_number: PersonNumber = ""
    email: Email = ""
    mobile: Mobile = ""
    id_number: IdNumber = ""
    gender: Gender = ""
    language: Language = ""
    password: str | None = Field(
        None,
        max_length=128,
        description="Initial password; without one the account cannot sign in until reset.",
    )

    def service_values(self) -> dict[str, Any]:
        return self.model_dump(exclude={"home_org_id"})


class UserUpdateIn(InputSchema):
    """Only the fields sent are changed."""

    full_name: FullName | None = None
    person_number: PersonNumber | None = None
    email: Email | None = None
    mobile: Mobile | None = None
    id_number: IdNumber | None = None
    gender: Gender | None = None
    language: Language | None = None
    is_active: BoolField | None = None

    def service_values(self) -> dict[str, Any]:
        # A null means "not sent": every field here has an empty value of its own.
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if v is not None}


class RoleAssignmentOut(Schema):
    id: int
    user_id: int
    role: Role
    org_id: int
    org_name: str
    expires_at: LocalDatetime | None
    granted_at: LocalDatetime
    granted_by_id: int | None

    @staticmethod
    def resolve_org_name(obj: Any) -> str:
        return str(obj.org.name)


class RoleGrantIn(InputSchema):
    role: Role
    org_id: IdField
    expires_at: AwareDatetime | None = Field(
        None, description="Required for evaluators; ISO 8601 with an offset."
    )


class MeOut(Schema):
    user: UserOut
    roles: list[RoleAssignmentOut]


class TokenOut(Schema):
    """A token as listed: never its secret."""

    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it.")
    scopes: list[Scope]
    created_at: LocalDatetime
    expires_at: LocalDatetime | None
    last_used_at: LocalDatetime | None
    revoked_at: LocalDatetime | None
    is_usable: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret, shown only in this response.")


class TokenCreateIn(InputSchema):
    """Create a token with the session, or send ``username`` and ``password`` (scripts).

    Administrators signing in with a password also send ``totp_code``.
    """

    name: Annotated[str, Field(max_length=100), name_check(_("Name"))]
    scopes: list[Scope] = Field(
        default_factory=_read_only,
        description="read; write (implies read); pii: clear personal data on ?reveal=pii.",
    )
    expires_at: AwareDatetime | None = None
    username: str | None = Field(None, max_length=150)
    password: str | None = Field(None, max_length=128)
    totp_code: str = Field("", max_length=8)


class LoginIn(InputSchema):
    username: str = Field(max_length=150, description="Username, staff/student number or mobile.")
    password: str = Field(max_length=128)
    totp_code: str = Field("", max_length=8, description="Administrators: the one-time code.")


class CsrfOut(Schema):
    csrf_token: str = Field(description="Send it back in the X-CSRFToken header.")
