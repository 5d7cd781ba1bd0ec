"""The talent-demand library: an enterprise keeps its own entries (checked against the major
catalogue and the region codes), school staff browse every enterprise's, the dashboard adds
them up and the export carries them."""

from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.industry import selectors_cooperation as coop
from openvet.industry import services_cooperation as services
from openvet.industry.models import TalentDemand
from openvet.industry.tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    """The year of hiring is checked against today."""
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False):
        yield


def demand_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "position": "PLC programmer",
        "major_code": "460102",
        "region_code": "330106",
        "headcount": 8,
        "year": 2027,
        "salary_band": "5000",
        "requirements": "Reads wiring diagrams.",
    }
    values.update(overrides)
    return values


def declare(world: World, **overrides: Any) -> TalentDemand:
    return services.demand_save(
        actor=world.mentor, enterprise=world.enterprise, **demand_values(**overrides)
    )


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_enterprise_declares_and_corrects_its_demand(world: World) -> None:
    demand = declare(world)
    services.demand_save(
        actor=world.mentor,
        enterprise=world.enterprise,
        demand=demand,
        **demand_values(headcount=12),
    )
    demand.refresh_from_db()
    assert (demand.org, demand.headcount, demand.created_by) == (world.enterprise, 12, world.mentor)
    assert TalentDemand.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("major_code", "4601"),  # a class of majors, not a major
        ("major_code", "999999"),
        ("region_code", "339999"),
        ("headcount", 0),
        ("year", 2024),
        ("salary_band", "lots"),
        ("position", "  "),
    ],
)
def test_bad_demand_is_refused_field_by_field(world: World, field: str, value: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        declare(world, **{field: value})
    assert set(refused.value.details) == {field}
    assert not TalentDemand.objects.exists()


def test_a_school_cannot_declare_an_enterprises_demand(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.demand_save(actor=world.admin, enterprise=world.enterprise, **demand_values())


def test_another_enterprise_cannot_correct_the_demand(world: World, other_world: World) -> None:
    demand = declare(world)
    with pytest.raises(PermissionDenied):
        services.demand_save(
            actor=other_world.mentor, enterprise=world.enterprise, demand=demand, **demand_values()
        )
    demand.refresh_from_db()
    assert demand.headcount == 8


def test_school_staff_see_every_enterprise_and_enterprises_their_own(
    world: World, other_world: World
) -> None:
    mine = declare(world)
    theirs = services.demand_save(
        actor=other_world.mentor, enterprise=other_world.enterprise, **demand_values()
    )
    assert set(coop.demand_list_for(actor=world.admin)) == {mine, theirs}
    assert set(coop.demand_list_for(actor=world.teacher)) == {mine, theirs}
    assert list(coop.demand_list_for(actor=world.mentor)) == [mine]
    assert list(coop.demand_list_for(actor=world.student_user)) == []


def test_totals_by_major_region_and_year(world: World) -> None:
    declare(world, headcount=8)
    declare(world, headcount=4, major_code="510203", region_code="330100")
    declare(world, headcount=5, year=2028)
    demand = coop.demand_list_for(actor=world.admin, year=2027)
    by_major = coop.demand_totals(demand, by="major_code")
    assert [(t.label, t.headcount, t.positions) for t in by_major] == [
        ("机械制造及自动化", 8, 1),
        ("软件技术", 4, 1),
    ]
    by_region = coop.demand_totals(demand, by="region_code")
    assert [(t.label, t.headcount) for t in by_region] == [("西湖区", 8), ("杭州市", 4)]
    years = coop.demand_totals(coop.demand_list_for(actor=world.admin), by="year")
    assert [(t.label, t.headcount) for t in years] == [("2027", 12), ("2028", 5)]


def test_the_enterprise_declares_through_the_page(world: World) -> None:
    client = client_for(world.mentor)
    form = {**demand_values(), "enterprise": str(world.enterprise.pk)}
    response = client.post(reverse("industry:demand-new"), form)
    assert response.status_code == 302
    assert TalentDemand.objects.get().position == "PLC programmer"


def test_a_refusal_keeps_what_was_typed(world: World) -> None:
    client = client_for(world.mentor)
    form = {**demand_values(year=2040), "enterprise": str(world.enterprise.pk)}
    response = client.post(reverse("industry:demand-new"), form)
    assert response.status_code == 422
    assert "The year is between last year and five years from now." in response.text
    assert 'value="PLC programmer"' in response.text
    assert not TalentDemand.objects.exists()


def test_school_staff_browse_but_cannot_declare(world: World) -> None:
    declare(world)
    client = client_for(world.admin)
    listing = client.get(reverse("industry:demand-list"), {"major": "460102"})
    assert listing.status_code == 200
    assert "PLC programmer" in listing.text
    assert client.get(reverse("industry:demand-new")).status_code == 403


def test_another_enterprise_cannot_open_the_entry(world: World, other_world: World) -> None:
    demand = declare(world)
    response = client_for(other_world.mentor).post(
        reverse("industry:demand-edit", args=[demand.pk]),
        {**demand_values(headcount=1), "enterprise": str(world.enterprise.pk)},
    )
    assert response.status_code == 404
    demand.refresh_from_db()
    assert demand.headcount == 8


def test_dashboard_and_export(world: World) -> None:
    declare(world)
    declare(world, headcount=3, year=2028)
    client = client_for(world.admin)
    dashboard = client.get(reverse("industry:demand-dashboard"), {"year": "2027"})
    assert dashboard.status_code == 200
    assert dashboard.context["total"] == 8
    export = client.get(reverse("industry:demand-export"), {"year": "2028"})
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:4] == ("Position", "Major code")
    assert [row[7:9] for row in rows[1:]] == [(2028, 3)]
    assert rows[1][4] == "机械制造及自动化"


def test_students_reach_no_demand_page(world: World) -> None:
    client = client_for(world.student_user)
    assert client.get(reverse("industry:demand-list")).status_code == 403
    assert client.get(reverse("industry:demand-dashboard")).status_code == 403


def test_only_the_enterprise_withdraws_its_demand(world: World, other_world: World) -> None:
    demand = declare(world)
    with pytest.raises(PermissionDenied):
        services.demand_delete(actor=other_world.mentor, demand=demand)
    with pytest.raises(PermissionDenied):
        services.demand_delete(actor=world.admin, demand=demand)
    assert TalentDemand.objects.filter(pk=demand.pk).exists()
    services.demand_delete(actor=world.mentor, demand=demand)
    assert not TalentDemand.objects.exists()
