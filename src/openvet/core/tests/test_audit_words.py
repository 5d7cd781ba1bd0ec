"""Recorded changes in the reader's words: labels of fields and keys, code values through
their labels, related rows by name, flags as yes/no, a creation as the new value only."""

import pytest
from django.utils.translation import override

from openvet.core import audit_words
from openvet.core.audit_words import ChangeLine, change_lines, register_change_words
from openvet.core.models import OrgKind
from openvet.core.tests.factories import province


@pytest.mark.django_db
def test_fields_codes_relations_and_flags_are_named() -> None:
    parent = province(name="Zhejiang")

    with override("zh-hans"):
        lines = change_lines(
            object_type="core.orgunit",
            changes={
                "kind": [None, OrgKind.SCHOOL],
                "parent": [None, parent.pk],
                "is_active": [True, False],
            },
        )

    # Sorted by key, as jsonb on PostgreSQL keeps no order.
    assert lines == [
        ChangeLine(label="有效", old="是", new="否"),
        ChangeLine(label="类型", old=None, new="学校"),
        ChangeLine(label="上级机构", old=None, new="Zhejiang"),
    ]


def test_keys_that_are_not_fields_take_their_label_or_a_generic_one() -> None:
    with override("en"):
        lines = change_lines(
            object_type="core.orgunit",
            changes={"counts": {"rows": 3}, "subject": [None, "core.orgunit:7"], "zz_key": "x"},
        )

    assert lines == [
        ChangeLine(label="Counts", old=None, new="Rows: 3"),
        ChangeLine(label="Subject", old=None, new="organisation 7"),
        ChangeLine(label="Other detail", old=None, new="x"),
    ]


def test_an_app_renders_values_only_it_can_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_words, "_RENDERERS", {})
    register_change_words("core.auditentry", "process", lambda v: f"<{v}>" if v else None)

    with override("en"):
        lines = change_lines(
            object_type="core.auditentry", changes={"process": [None, "a.b"], "other": "a.b"}
        )

    assert lines == [
        ChangeLine(label="Other detail", old=None, new="a.b"),
        ChangeLine(label="Other detail", old=None, new="<a.b>"),
    ]


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("import student", "导入学生"),
        ("export students xlsx", "导出学生 (xlsx)"),
        ("export oneroster", "导出OneRoster"),
        ("demo data", "演示数据"),
        ("张三 (2024001)", "张三 (2024001)"),  # a person's name is left as it is
        ("import spaceships", "import spaceships"),  # unknown jobs are not guessed at
    ],
)
def test_job_labels_are_said_in_the_readers_words(label: str, words: str) -> None:
    with override("zh-hans"):
        assert audit_words.object_label_words(label) == words


@pytest.mark.django_db
def test_a_key_named_like_a_reverse_relation_is_labelled_as_a_key() -> None:
    # ``children`` is the reverse side of an org unit's parent, not one of its columns.
    with override("zh-hans"):
        lines = change_lines(object_type="core.orgunit", changes={"children": [1, 2]})

    assert len(lines) == 1
    assert lines[0].old == "1"
    assert lines[0].new == "2"
