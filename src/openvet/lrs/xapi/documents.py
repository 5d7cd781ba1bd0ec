"""State, Activity Profile and Agent Profile documents with ETag concurrency."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openvet.lrs.models import Document
from openvet.lrs.xapi.errors import Conflict, NotFound, PreconditionFailed, XapiInvalid


@dataclass(frozen=True)
class Key:
    """Where a document lives; ``document_id`` '' addresses the whole set."""

    school_id: int
    kind: str
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""
    document_id: str = ""

    def filters(self) -> dict[str, Any]:
        found = {
            "school_id": self.school_id,
            "kind": self.kind,
            "activity_id": self.activity_id,
            "agent_key": self.agent_key,
            "registration": self.registration,
        }
        if self.document_id:
            found["document_id"] = self.document_id
        return found


@dataclass(frozen=True)
class Preconditions:
    if_match: str | None
    if_none_match: str | None
    required: bool  # a PUT over an existing document needs one of them (409 without)
    always: bool = False  # 1.0.3 profiles: a PUT needs one even for a new document (400)


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _check(existing: Document | None, pre: Preconditions, *, writing: bool) -> None:
    unconditional = pre.if_match is None and pre.if_none_match is None
    if writing and pre.always and unconditional and existing is None:
        raise XapiInvalid("send If-None-Match: * to create the document, If-Match to change it")
    current = f'"{existing.etag}"' if existing is not None else None
    if pre.if_match is not None:
        tags = [tag.strip() for tag in pre.if_match.split(",")]
        if current is None or ("*" not in tags and current not in tags):
            raise PreconditionFailed("If-Match does not match the document's ETag")
    if pre.if_none_match is not None:
        tags = [tag.strip() for tag in pre.if_none_match.split(",")]
        if current is not None and ("*" in tags or current in tags):
            raise PreconditionFailed("If-None-Match: the document exists")
    if (
        writing
        and pre.required
        and existing is not None
        and pre.if_match is None
        and pre.if_none_match is None
    ):
        raise Conflict(
            "The document exists: send If-Match with its ETag (or If-None-Match: *) to "
            "change it, so that no one else's change is lost."
        )


def get(key: Key) -> Document:
    found = Document.objects.filter(**key.filters()).first()
    if found is None:
        raise NotFound("no such document")
    return found


def ids(key: Key, since: datetime | None) -> list[str]:
    rows = Document.objects.filter(**key.filters())
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("document_id").values_list("document_id", flat=True))


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(content)
    except ValueError as exc:
        raise XapiInvalid(f"{what} is not valid JSON") from exc
    if not isinstance(value, dict):
        raise XapiInvalid(f"{what} is not a JSON object")
    return value


def put(key: Key, content: bytes, content_type: str, pre: Preconditions, *, merge: bool) -> None:
    """Store a document (PUT), or merge a JSON object into the stored one (POST)."""
    if merge and _is_json(content_type):
        _json_object(content, "the posted document")
    with transaction.atomic():
        existing = Document.objects.select_for_update().filter(**key.filters()).first()
        _check(existing, pre, writing=not merge)
        if merge and existing is not None:
            if not (_is_json(content_type) and _is_json(existing.content_type)):
                raise XapiInvalid("both documents must be JSON objects to be merged")
            merged = {
                **_json_object(bytes(existing.content), "the stored document"),
                **_json_object(content, "the posted document"),
            }
            content = json.dumps(merged, ensure_ascii=False).encode()
            content_type = "application/json"
        values = {
            "content": content,
            "content_type": content_type or "application/octet-stream",
            "etag": etag_of(content),
            "updated": timezone.now(),
        }
        if existing is not None:
            Document.objects.filter(pk=existing.pk).update(**values)
            return
        try:
            with transaction.atomic():
                Document.objects.create(**key.filters(), **values)
        except IntegrityError as exc:
            raise Conflict("the document was created meanwhile; try again") from exc


def delete(key: Key, pre: Preconditions) -> None:
    with transaction.atomic():
        if key.document_id:
            existing = Document.objects.select_for_update().filter(**key.filters()).first()
            _check(existing, pre, writing=False)
        Document.objects.filter(**key.filters()).delete()
