"""Writes of the learning record store: clients, and the platform's learning events.

``record_learning_event`` is the one call every app makes to record what a learner did. The
statement is written in the caller's transaction, so it exists exactly when the change the
user saw succeed exists; the statement table is its own outbox (ADR 0405).
"""

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import AuditAction, audit_record
from openvet.core.errors import NotFound, ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_of
from openvet.identity.models import User
from openvet.lrs import early_warning, learners
from openvet.lrs.early_warning import ABSENCES as ABSENCES  # the absence rule's fact name
from openvet.lrs.early_warning import FactSource
from openvet.lrs.learners import LearnerSource
from openvet.lrs.models import (
    AcademicWarning,
    Activity,
    Client,
    ForwardEntry,
    Statement,
    StatementLink,
    Upstream,
    WarningRule,
    WarningStatus,
)
from openvet.lrs.vocabulary import ACTIVITY_TYPES, activity_iri, platform_iri, verb_of
from openvet.lrs.xapi import statements as store
from openvet.lrs.xapi import validate
from openvet.lrs.xapi.auth import digest, forget, new_key_and_secret
from openvet.lrs.xapi.keys import related_keys

# The versions a client's content may speak (``Client.xapi_version``, ADR 0418).
XAPI_CONTENT_VERSIONS = ("2.0.0", "1.0.3")


@dataclass(frozen=True)
class NewClient:
    """A client just made: its secret is shown this once and never stored."""

    client: Client
    key: str
    secret: str


@transaction.atomic
def client_create(
    *,
    actor: Actor | None,
    name: str,
    school: OrgUnit,
    can_read: bool,
    can_write: bool,
    xapi_version: str = "2.0.0",
) -> NewClient:
    if actor is not None:
        policy.require(actor, "lrs.add_client", school)
    if school.kind != OrgKind.SCHOOL:
        raise ValidationFailed(details={"school": _("Choose a school.")})
    if xapi_version not in XAPI_CONTENT_VERSIONS:
        raise ValidationFailed(details={"xapi_version": _("Choose xAPI 2.0 or 1.0.3.")})
    key, secret = new_key_and_secret()
    client = Client.objects.create(
        name=name,
        school=school,
        key=key,
        secret_digest=digest(secret),
        can_read=can_read,
        can_write=can_write,
        xapi_version=xapi_version,
    )
    audit_record(action=AuditAction.CREATE, obj=client, org=school, actor=actor)
    return NewClient(client, key, secret)


@transaction.atomic
def client_deactivate(*, actor: Actor | None, client: Client) -> None:
    Client.objects.filter(pk=client.pk).update(is_active=False)
    audit_record(
        action=AuditAction.UPDATE,
        obj=client,
        org=client.school,
        actor=actor,
        changes={"is_active": [True, False]},
    )
    forget()


@transaction.atomic
def client_deactivate_for(*, actor: Actor, client_id: int) -> Client:
    """Stop a client on behalf of ``actor``, who must be allowed to add clients at its school."""
    client = Client.objects.select_related("school").filter(pk=client_id).first()
    if client is None or not policy.has_capability(actor, "lrs.add_client", client.school):
        raise NotFound()
    if client.is_active:
        client_deactivate(actor=actor, client=client)
    return client


@transaction.atomic
def upstream_save(
    *,
    actor: Actor | None,
    school: OrgUnit,
    endpoint: str,
    key: str,
    secret: str,
    version: str,
    is_active: bool,
) -> Upstream:
    """Set where a school forwards its statements (ADR 0406). A blank ``secret`` keeps the
    one stored; a changed address or key starts the retries afresh."""
    if actor is not None:
        policy.require(actor, "lrs.change_upstream", school)
    if school.kind != OrgKind.SCHOOL:
        raise ValidationFailed(details={"school": _("Choose a school.")})
    upstream = Upstream.objects.select_for_update().filter(school=school).first()
    if upstream is None and not secret:
        raise ValidationFailed(details={"secret": _("Enter the secret of the upstream LRS.")})
    created = upstream is None
    upstream = upstream or Upstream(school=school)
    before = {"endpoint": upstream.endpoint, "key": upstream.key, "is_active": upstream.is_active}
    if (upstream.endpoint, upstream.key) != (endpoint, key) or secret:
        upstream.failures = 0
        upstream.next_attempt_at = None
    upstream.endpoint = endpoint
    upstream.key = key
    upstream.version = version
    upstream.is_active = is_active
    if secret:
        upstream.secret = secret
    upstream.save()
    after = {"endpoint": endpoint, "key": key, "is_active": is_active}
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=upstream,
        org=school,
        actor=actor,
        changes={
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        },
    )
    return upstream


def learner_source_register(*, name: str, source: LearnerSource) -> None:
    """Let an app that knows whom a person teaches say so, from its ``AppConfig.ready``:
    ``source(actor)`` gives the learner account ids ``actor`` teaches (ADR 0407)."""
    learners.register(name, source)


def warning_facts_register(*, name: str, source: FactSource) -> None:
    """Let the app that keeps a fact the early-warning rules need (absences) provide it:
    ``source(school_id, since)`` counts it per learner account id (ADR 0408)."""
    early_warning.register_facts(name, source)


def warnings_evaluate(*, now: datetime | None = None) -> int:
    """Run the early-warning rules of every school; returns how many warnings were raised."""
    now = now or timezone.now()
    raised = 0
    for school in OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("pk"):
        with transaction.atomic():
            new = early_warning.evaluate(school, now)
            # A concurrent run may raise the same warning: the constraint keeps one.
            made = AcademicWarning.objects.bulk_create(new, ignore_conflicts=True)
            raised += len(made)
    return raised


def _warning_to_handle(actor: Actor, warning_id: int) -> AcademicWarning:
    warning = (
        AcademicWarning.objects.select_for_update(of=("self",))
        .select_related("learner__home_org")
        .filter(pk=warning_id)
        .first()
    )
    home = warning.learner.home_org if warning is not None else None
    if warning is None or home is None:
        raise NotFound()
    if not policy.has_capability(actor, "lrs.view_learner_statements", home):
        raise NotFound()
    return warning


@transaction.atomic
def warning_acknowledge(*, actor: Actor, warning_id: int) -> AcademicWarning:
    """The counsellor has seen the warning and is dealing with it."""
    warning = _warning_to_handle(actor, warning_id)
    if warning.status != WarningStatus.OPEN:
        raise ValidationFailed(_("This warning has already been acknowledged."))
    warning.status = WarningStatus.ACKNOWLEDGED
    warning.acknowledged_at = timezone.now()
    warning.acknowledged_by_id = actor.pk
    warning.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=warning,
        org=warning.learner.home_org,
        actor=actor,
        changes={"status": [WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED]},
    )
    return warning


@transaction.atomic
def warning_close(*, actor: Actor, warning_id: int, note: str) -> AcademicWarning:
    """Close a warning with a note saying what was done."""
    warning = _warning_to_handle(actor, warning_id)
    if warning.status == WarningStatus.CLOSED:
        raise ValidationFailed(_("This warning is already closed."))
    note = note.strip()
    if not note:
        raise ValidationFailed(details={"note": _("Say what was done before closing.")})
    before = warning.status
    now = timezone.now()
    warning.status = WarningStatus.CLOSED
    warning.closed_at = now
    warning.closed_by_id = actor.pk
    warning.note = note
    if warning.acknowledged_at is None:
        warning.acknowledged_at, warning.acknowledged_by_id = now, actor.pk
    warning.save()
    audit_record(
        action=AuditAction.UPDATE,
        obj=warning,
        org=warning.learner.home_org,
        actor=actor,
        changes={"status": [before, WarningStatus.CLOSED], "note": [None, note]},
    )
    return warning


@transaction.atomic
def warning_rule_save(
    *, actor: Actor, school: OrgUnit, kind: str, threshold: int, days: int, is_active: bool
) -> WarningRule:
    policy.require(actor, "lrs.change_warningrule", school)
    if threshold < 1 or days < 1:
        raise ValidationFailed(_("The threshold and the number of days must be at least 1."))
    rule, _created = WarningRule.objects.update_or_create(
        school=school,
        kind=kind,
        defaults={"threshold": threshold, "days": days, "is_active": is_active},
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=rule,
        org=school,
        actor=actor,
        changes={"threshold": [None, threshold], "days": [None, days], "active": [None, is_active]},
    )
    return rule


def _platform_writer(school_id: int) -> store.Writer:
    return store.Writer(
        school_id=school_id,
        client_id=None,
        authority={
            "objectType": "Agent",
            "name": "OpenVET",
            "account": {"homePage": platform_iri(), "name": "platform"},
        },
    )


def _result(values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    extensions = {f"{platform_iri()}/results/{key}": value for key, value in values.items()}
    if "total" in values:
        with contextlib.suppress(TypeError, ValueError):
            found["score"] = {"raw": float(values["total"])}
    if extensions:
        found["extensions"] = extensions
    return found


def learning_statement(
    *,
    user_id: int,
    verb: str,
    object_type: str,
    object_id: Any,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The xAPI statement of a platform learning event (actor: the user's account)."""
    kind = ACTIVITY_TYPES.get(object_type)
    definition: dict[str, Any] = {}
    if kind is not None:
        definition = {"type": kind.iri, "name": {"zh-CN": kind.zh, "en-US": kind.en}}
    statement: dict[str, Any] = {
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": platform_iri(), "name": str(user_id)},
        },
        "verb": verb_of(verb).as_xapi(),
        "object": {
            "objectType": "Activity",
            "id": activity_iri(object_type, str(object_id)),
            **({"definition": definition} if definition else {}),
        },
    }
    if result:
        statement["result"] = _result(result)
    if context:
        statement["context"] = context
    validate.statement(statement, "2.0")
    return statement


def _school_of_user(user_id: int) -> int | None:
    user = User.objects.select_related("home_org").filter(pk=user_id).first()
    if user is None or user.home_org is None:
        return None
    school = org_school_of(user.home_org)
    return school.pk if school is not None else None


def record_learning_event(
    *,
    user_id: int | None,
    verb: str,
    object_type: str,
    object_id: Any,
    result: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    school_id: int | None = None,
) -> str | None:
    """Record what a learner did as a statement in the caller's transaction; returns its id
    (None when there is no learner account or school to file it under)."""
    if user_id is None:
        return None
    school_id = school_id or _school_of_user(user_id)
    if school_id is None:
        return None
    statement = learning_statement(
        user_id=user_id,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        result=result,
        context=context,
    )
    return store.save([statement], _platform_writer(school_id), "2.0")[0]


def record_learning_events(*, school_id: int, events: list[dict[str, Any]]) -> list[str]:
    """Several learners' statements of one school stored in one write, in the caller's
    transaction (a live class's burst of answers or comments). Each event holds the keyword
    arguments of ``learning_statement``."""
    if not events:
        return []
    statements = [learning_statement(**event) for event in events]
    return store.save(statements, _platform_writer(school_id), "2.0")


# The lean selection route writes its seat in one SQL statement on the event loop (ADR 0303);
# its learning event is part of that statement, so the record exists exactly when the seat
# does and costs no round trip (ADR 0405).
_EVENT_COLUMNS = (
    "statement_id, school_id, client_id, stored, timestamp, verb_id, actor_key, object_key,"
    " registration, voided, ref_target, is_voiding, body"
)


def learning_event_insert_sql(*, source: str) -> str:
    """PostgreSQL CTEs (``name AS (...)``, comma-separated) storing one learning event per row
    of ``source``, a CTE of the same statement; parameters from ``learning_event_insert_params``."""
    statements = Statement._meta.db_table
    links = StatementLink._meta.db_table
    activities = Activity._meta.db_table
    queue = ForwardEntry._meta.db_table
    upstreams = Upstream._meta.db_table
    return (
        f"lrs_statement_row AS (INSERT INTO {statements} ({_EVENT_COLUMNS})"  # noqa: S608 - names from the models
        " SELECT %s::uuid, %s, NULL, %s, %s, %s, %s, %s, NULL, false, NULL, false, %s::jsonb"
        f" FROM {source} RETURNING id), "
        f"lrs_statement_links AS (INSERT INTO {links} (statement_id, key)"
        " SELECT lrs_statement_row.id, k FROM lrs_statement_row, unnest(%s::text[]) AS k), "
        f"lrs_statement_activity AS (INSERT INTO {activities} (school_id, activity_id, definition)"
        " SELECT %s, %s, %s::jsonb FROM lrs_statement_row"
        " ON CONFLICT (school_id, activity_id) DO NOTHING), "
        f"lrs_statement_forward AS (INSERT INTO {queue} (upstream_id, statement_id)"
        f" SELECT u.id, lrs_statement_row.id FROM lrs_statement_row JOIN {upstreams} u"
        " ON u.school_id = %s AND u.is_active)"
    )


def learning_event_insert_params(
    *,
    user_id: int,
    verb: str,
    object_type: str,
    object_id: Any,
    school_id: int,
    result: dict[str, Any] | None = None,
) -> list[Any]:
    """The parameters of ``learning_event_insert_sql``: the same statement, links and
    activity definition that ``record_learning_event`` stores."""
    statement = learning_statement(
        user_id=user_id, verb=verb, object_type=object_type, object_id=object_id, result=result
    )
    store.prepare(statement, _platform_writer(school_id), "2.0", timezone.now())
    row = store.row_of(statement, _platform_writer(school_id))
    target = statement["object"]
    return [
        str(row.statement_id),
        school_id,
        row.stored,
        row.timestamp,
        row.verb_id,
        row.actor_key,
        row.object_key,
        json.dumps(statement),
        sorted({key[:512] for key in related_keys(statement)}),
        school_id,
        target["id"],
        json.dumps(target.get("definition", {})),
        school_id,
    ]


def demo_statements_seed(*, school: OrgUnit, today: datetime | None = None) -> int:
    """A term of learning records for the demo students of ``school`` (bulk, idempotent)."""
    from openvet.lrs import demo

    learners = early_warning.learners_of(school)
    return demo.seed_term(
        school_id=school.pk, user_ids=sorted(learners.values()), today=today or timezone.now()
    )
