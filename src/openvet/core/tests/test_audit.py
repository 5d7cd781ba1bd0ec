from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from openvet.core.audit import audit_purge_expired, audit_record, diff, request_context
from openvet.core.models import AppendOnlyError, AuditAction, AuditEntry
from openvet.core.tasks import purge_expired_audit_entries
from openvet.core.tests.actors import make_user
from openvet.core.tests.factories import school

pytestmark = pytest.mark.django_db
NOW = timezone.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_fixed_timezone(480))


def _entry_at(moment):
    with time_machine.travel(moment, tick=False):
        return audit_record(action=AuditAction.SECURITY, object_label="event")


def test_saving_an_existing_entry_raises():
    entry = audit_record(action=AuditAction.LOGIN, object_label="x")
    entry.object_label = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).object_label == "x"


def test_deleting_an_entry_raises():
    entry = audit_record(action=AuditAction.LOGIN, object_label="x")
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_record_names_actor_object_and_org():
    node = school()
    user = make_user()
    entry = audit_record(
        action=AuditAction.UPDATE, obj=node, org=node, actor=user, changes={"name": ["a", "b"]}
    )
    assert (
        entry.actor,
        entry.actor_label,
        entry.object_type,
        entry.object_id,
        entry.object_label,
        entry.org_path,
        entry.changes,
    ) == (
        user,
        user.username,
        "core.orgunit",
        str(node.pk),
        node.name,
        node.path,
        {"name": ["a", "b"]},
    )


def test_record_takes_actor_and_ip_from_the_request_context():
    user = make_user()

    class Holder:
        pass

    holder = Holder()
    holder.user = user
    with request_context(holder=holder, ip_address="10.0.0.7"):
        entry = audit_record(action=AuditAction.EXPORT, object_label="grades")
    assert (entry.actor, entry.ip_address) == (user, "10.0.0.7")


def test_record_without_org_has_empty_path():
    entry = audit_record(action=AuditAction.LOGIN_FAILED, actor_label="nobody")
    assert (entry.org_id, entry.org_path, entry.actor) == (None, "", None)


def test_diff_lists_only_changed_fields():
    assert diff({"name": "a", "code": "1"}, {"name": "b", "code": "1"}) == {"name": ["a", "b"]}


@override_settings(AUDIT_RETENTION_DAYS=180)
def test_purge_deletes_entries_older_than_180_days():
    old = _entry_at(NOW - timedelta(days=181))
    kept = _entry_at(NOW - timedelta(days=179))
    assert audit_purge_expired(now=NOW) == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


@override_settings(AUDIT_RETENTION_DAYS=30)
def test_purge_never_keeps_less_than_180_days():
    _entry_at(NOW - timedelta(days=100))
    assert audit_purge_expired(now=NOW) == 0
    assert AuditEntry.objects.count() == 1


@override_settings(AUDIT_RETENTION_DAYS=365)
def test_purge_honours_a_longer_retention():
    _entry_at(NOW - timedelta(days=300))
    old = _entry_at(NOW - timedelta(days=366))
    assert audit_purge_expired(now=NOW) == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


@override_settings(AUDIT_RETENTION_DAYS=180)
def test_purge_keeps_an_entry_exactly_at_the_cutoff():
    _entry_at(NOW - timedelta(days=180))
    assert audit_purge_expired(now=NOW) == 0


@override_settings(AUDIT_RETENTION_DAYS=180)
def test_purge_uses_the_current_time_by_default():
    _entry_at(NOW - timedelta(days=200))
    _entry_at(NOW - timedelta(days=10))
    with time_machine.travel(NOW, tick=False):
        assert audit_purge_expired() == 1


@override_settings(AUDIT_RETENTION_DAYS=180)
def test_celery_task_purges_expired_entries():
    _entry_at(NOW - timedelta(days=200))
    young = _entry_at(NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        result = purge_expired_audit_entries.delay()
    assert result.get() == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [young.pk]


def test_task_is_registered_under_its_name():
    assert purge_expired_audit_entries.name == "core.purge_expired_audit_entries"
