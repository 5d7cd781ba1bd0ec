"""The workflow processes teaching registers from ``TeachingConfig.ready``: registered through
the workflow's public service, with step names and labels that read in Chinese."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.workflow.registry import process_kind
from openvet.workflow.tests.conftest import Tree

TEACHING_PROCESSES = {
    "teaching.adjustment": ("调停课", ["院系审批"]),
    "teaching.grade_sheet": ("成绩审核", ["院系审批"]),
    "teaching.grade_change": ("成绩更正", ["院系审批"]),
    "teaching.leave": ("请假申请", ["辅导员"]),
}


@pytest.mark.parametrize("code", sorted(TEACHING_PROCESSES))
def test_each_teaching_process_is_registered_with_chinese_label_and_steps(code: str) -> None:
    kind = process_kind(code)
    assert kind is not None
    label, steps = TEACHING_PROCESSES[code]
    with translation.override("zh-hans"):
        assert (str(kind.label), [translation.gettext(s.name) for s in kind.default_steps]) == (
            label,
            steps,
        )


def test_step_names_are_stored_as_message_ids_whatever_the_language() -> None:
    kind = process_kind("teaching.grade_sheet")
    assert kind is not None
    with translation.override("zh-hans"):
        assert [s.name for s in kind.default_steps] == ["Department approval"]


@pytest.mark.django_db
def test_the_definition_page_shows_the_step_in_chinese(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False
    tree = Tree("School A")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(tree.admin)

    url = reverse("workflow:definition-detail", args=[tree.school.pk, "teaching.grade_sheet"])
    page = client.get(url).content.decode()

    assert "院系审批" in page
    assert "Department approval" not in page
