"""The school of an org node: one answer for every app."""

import pytest
from django.utils import translation

from openvet.core.errors import ValidationFailed
from openvet.core.selectors import org_school_get, org_school_of
from openvet.core.tests.factories import department, province, school

pytestmark = pytest.mark.django_db


def test_a_department_belongs_to_its_school_and_a_school_to_itself() -> None:
    node = school(parent=province())
    assert (org_school_of(department(node)), org_school_of(node)) == (node, node)


def test_a_region_has_no_school() -> None:
    assert org_school_of(province()) is None


def test_a_node_above_the_schools_is_refused_on_the_named_field_in_chinese() -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        org_school_get(org=province(), field="major_id")
    assert refused.value.details == {"major_id": "请选择学校内的单位。"}


def test_no_node_is_refused_too() -> None:
    with pytest.raises(ValidationFailed) as refused:
        org_school_get(org=None, field="org")
    assert list(refused.value.details) == ["org"]
