"""Schemas of the org tree API."""

from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from openvet.core.api.schemas import LocalDatetime, name_check
from openvet.core.api.types import BoolField, IdField, IdParam, InputSchema, IntField
from openvet.core.models import OrgKind, SchoolType

# Each writable field's limits, defined once for the create and the update schema.
OrgName = Annotated[str, Field(max_length=120), name_check(_("Name"))]
OrgNameEn = Annotated[str, Field(max_length=200), name_check(_("English name"), required=False)]
OrgCode = Annotated[str, Field(max_length=32)]
GradeYear = Annotated[IntField, Field(ge=1900, le=2100)]


class OrgOut(Schema):
    id: int
    kind: OrgKind
    name: str
    name_en: str
    code: str
    parent_id: int | None
    depth: int
    school_type: SchoolType | None = Field(description="Schools only; null otherwise.")
    grade_year: int | None
    is_active: bool
    created_at: LocalDatetime
    updated_at: LocalDatetime

    @staticmethod
    def resolve_school_type(obj: object) -> str | None:
        return getattr(obj, "school_type", "") or None


class OrgFilterIn(Schema):
    kind: OrgKind | None = None
    parent_id: IdParam | None = None
    search: str = Field("", max_length=100, description="Part of the name or the code.")


class OrgCreateIn(InputSchema):
    """A new node. Top-level nodes (the nation) are made by setup commands, not the API."""

    parent_id: IdField
    kind: OrgKind
    name: OrgName
    name_en: OrgNameEn = ""
    code: OrgCode = ""
    school_type: SchoolType | None = None
    grade_year: GradeYear | None = None

    def service_values(self) -> dict[str, Any]:
        """Keyword arguments for ``core.services.org_create`` besides parent and kind."""
        values = self.model_dump(exclude={"parent_id", "kind"})
        values["school_type"] = values["school_type"] or ""
        return values


class OrgUpdateIn(InputSchema):
    """Only the fields sent are changed; kind and parent cannot change here."""

    name: OrgName | None = None
    name_en: OrgNameEn | None = None
    code: OrgCode | None = None
    school_type: SchoolType | None = None
    grade_year: GradeYear | None = None
    is_active: BoolField | None = None

    def service_values(self) -> dict[str, Any]:
        """The fields sent, for ``core.services.org_update``; null clears only nullables."""
        values = self.model_dump(exclude_unset=True)
        if "school_type" in values:
            values["school_type"] = values["school_type"] or ""
        return {
            key: value
            for key, value in values.items()
            if value is not None or key in ("grade_year", "school_type")
        }
