"""Choice labels are looked up in a table per language (ADR 0023): the same words as
Django's own ``get_<field>_display``, in the language active at each call."""

from django.db.models import Model
from django.utils import translation

from openvet.core.choice_labels import install
from openvet.core.models import AuditAction, AuditEntry, OrgKind, OrgUnit


def _django_label(instance: Model, name: str) -> str:
    return Model._get_FIELD_display(instance, instance._meta.get_field(name))


def test_labels_follow_the_active_language_as_djangos_do():
    org = OrgUnit(kind=OrgKind.SCHOOL)
    entry = AuditEntry(action=AuditAction.CREATE)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert org.get_kind_display() == _django_label(org, "kind")
            assert entry.get_action_display() == _django_label(entry, "action")
    with translation.override("en"):
        english = org.get_kind_display()
    with translation.override("zh-hans"):
        assert org.get_kind_display() != english


def test_a_value_outside_the_choices_is_shown_as_stored():
    org = OrgUnit(kind="nonsense")
    assert org.get_kind_display() == "nonsense"
    assert OrgUnit(kind=None).get_kind_display() is None


def test_every_generated_label_method_is_replaced_once():
    assert install() == 0  # done at start-up; a second pass finds nothing left to replace
    assert OrgUnit.get_kind_display.__name__ == "get_kind_display"
