"""The demo's data files (Chinese names live there, not in code)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DEMO_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class DepartmentSource:
    name: str
    name_en: str
    majors: tuple[str, ...]


@dataclass(frozen=True)
class CollegeSource:
    code: str
    city: str
    districts: tuple[str, ...]
    name: str
    name_en: str
    departments: tuple[DepartmentSource, ...]


@dataclass(frozen=True)
class EnterpriseSource:
    name: str
    name_en: str
    city: str
    district: str


@dataclass(frozen=True)
class NameSource:
    surnames: tuple[str, ...]
    weights: tuple[int, ...]
    given_male: str
    given_female: str
    given_neutral: str


@dataclass(frozen=True)
class OrgSource:
    province: str
    cities: tuple[str, ...]
    class_name: str
    colleges: tuple[CollegeSource, ...]
    enterprises: tuple[EnterpriseSource, ...]


def _read(name: str) -> Any:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


@cache
def names() -> NameSource:
    data = _read("names.json")
    return NameSource(
        surnames=tuple(str(s) for s, _w in data["surnames"]),
        weights=tuple(int(w) for _s, w in data["surnames"]),
        given_male=data["given_male"],
        given_female=data["given_female"],
        given_neutral=data["given_neutral"],
    )


@cache
def organisations() -> OrgSource:
    data = _read("organisations.json")
    colleges = tuple(
        CollegeSource(
            code=c["code"],
            city=c["city"],
            districts=tuple(c["districts"]),
            name=c["name"],
            name_en=c["name_en"],
            departments=tuple(
                DepartmentSource(d["name"], d["name_en"], tuple(d["majors"]))
                for d in c["departments"]
            ),
        )
        for c in data["colleges"]
    )
    enterprises = tuple(
        EnterpriseSource(e["name"], e["name_en"], e["city"], e["district"])
        for e in data["enterprises"]
    )
    return OrgSource(
        data["province"], tuple(data["cities"]), data["class_name"], colleges, enterprises
    )


def read_data(name: str) -> Any:
    """One JSON file of ``data/``, for the other demo modules."""
    return _read(name)
