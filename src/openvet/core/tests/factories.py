"""Factories for the org tree. Other apps' tests may import these."""

import itertools
from typing import Any

import factory

from openvet.core.models import OrgKind, OrgUnit, SchoolType


class OrgUnitFactory(factory.django.DjangoModelFactory[OrgUnit]):
    """Builds a node and fills in its materialized path like ``core.services.org_create``."""

    class Meta:
        model = OrgUnit

    kind = OrgKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Org {n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: Any, **kwargs: Any) -> OrgUnit:
        org = super()._create(model_class, *args, **kwargs)
        parent = org.parent
        org.path = f"{parent.path if parent else '/'}{org.pk:08d}/"
        org.depth = parent.depth + 1 if parent else 0
        OrgUnit.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
        return org


def nation() -> OrgUnit:
    existing = OrgUnit.objects.filter(kind=OrgKind.NATION).first()
    return existing or OrgUnitFactory(kind=OrgKind.NATION, name="China", code="100000")


def province(code: str = "330000", name: str = "Zhejiang") -> OrgUnit:
    return OrgUnitFactory(kind=OrgKind.PROVINCE, name=name, code=code, parent=nation())


_school_codes = itertools.count(1)


def school(parent: OrgUnit | None = None, code: str = "", name: str = "") -> OrgUnit:
    parent = parent or province()
    code = code or f"41330{next(_school_codes):05d}"
    return OrgUnitFactory(
        kind=OrgKind.SCHOOL,
        name=name or f"School {code}",
        code=code,
        school_type=SchoolType.HIGHER_VOCATIONAL,
        parent=parent,
    )


def department(school_node: OrgUnit, name: str = "Department") -> OrgUnit:
    return OrgUnitFactory(kind=OrgKind.DEPARTMENT, name=name, parent=school_node)
