"""Talent demand as .xlsx through ``core.exports`` (ADR 0013: text cells are never formulas)."""

from typing import Any

from django.utils.translation import gettext as _

from openvet.core.exports import xlsx_bytes
from openvet.core.selectors import code_items
from openvet.industry.codes import SalaryBand
from openvet.industry.services_cooperation import MAJOR_TABLE, REGION_TABLE


def demand_headers() -> list[str]:
    return [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Position"),
        _("Major code"),
        _("Major"),
        _("Region code"),
        _("Region"),
        _("Year of hiring"),
        _("People needed"),
        _("Salary band"),
        _("Requirements"),
    ]


def demand_xlsx(demand: Any) -> bytes:
    majors = dict(code_items(MAJOR_TABLE).values_list("code", "name"))
    regions = dict(code_items(REGION_TABLE).values_list("code", "name"))
    rows = (
        [
            d.org.name,
            d.org.code,
            d.position,
            d.major_code,
            majors.get(d.major_code, ""),
            d.region_code,
            regions.get(d.region_code, ""),
            d.year,
            d.headcount,
            str(SalaryBand(d.salary_band).label),
            d.requirements,
        ]
        for d in demand.select_related("org").order_by("-year", "org__name", "position")
    )
    return xlsx_bytes(demand_headers(), rows)
