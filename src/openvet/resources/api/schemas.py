"""Schemas of the resource libraries' API: explicit, one-directional."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from openvet.resources.models import LibraryLevel, Licence, ResourceType


class LibraryFileOut(Schema):
    id: int
    filename: str
    size: int = Field(validation_alias="blob.size")
    mime_type: str = Field(validation_alias="blob.mime_type")
    sha256: str = Field(validation_alias="blob.sha256")


class LibraryContributorOut(Schema):
    name: str
    organisation: str
    share: float


class LibraryResourceOut(Schema):
    id: int
    title: str
    description: str
    resource_type: str
    major_code: str
    keywords: list[str] = Field(validation_alias="keyword_list")
    licence: str
    status: str
    level: str
    certified_level: str
    school_id: int = Field(validation_alias="org_id")
    updated_at: datetime


class LibraryResourceDetailOut(LibraryResourceOut):
    files: list[LibraryFileOut]
    contributors: list[LibraryContributorOut]


class LibrarySearchIn(Schema):
    q: str = Field("", max_length=100, description="Words to find (Chinese or English).")
    resource_type: Literal[tuple(ResourceType.values)] | None = None  # type: ignore[valid-type]
    major_code: str | None = Field(None, pattern=r"^\d{6}$")
    level: Literal[tuple(LibraryLevel.values)] | None = None  # type: ignore[valid-type]
    licence: Literal[tuple(Licence.values)] | None = None  # type: ignore[valid-type]
    certified: bool | None = None


class LearningPathOut(Schema):
    id: int
    title: str
    description: str
    major_code: str
    school_id: int = Field(validation_alias="org_id")
    is_published: bool


class LearningPathFilterIn(Schema):
    major_code: str | None = Field(None, pattern=r"^\d{6}$")


class PathStepOut(Schema):
    position: int
    resource_id: int
    resource_title: str
    heading: str
    note: str
    done: bool = Field(description="The caller has opened the resource's page or a file.")
    locked: bool = Field(description="A paid resource the caller holds no licence for.")
    available: bool = Field(description="The caller can still open the resource's page.")


class LearningPathDetailOut(LearningPathOut):
    steps: list[PathStepOut]
    done: int
    percent: int
    next_position: int | None = Field(
        description="Where the caller continues: the first step not done that they can open."
    )
