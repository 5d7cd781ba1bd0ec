"""Reading and checking a OneRoster CSV bundle (versions 1.1 and 1.2, IMS Global / 1EdTech
OneRoster CSV binding): every problem is collected with its file, line and column before
anything is written."""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

VERSIONS = ("1.1", "1.2")
STATUSES = ("", "active", "tobedeleted")
ORG_TYPES = ("department", "school", "district", "local", "state", "national")
CLASS_TYPES = ("homeroom", "scheduled")
IMPORTED_ROLES = ("student", "teacher")
FILES = (
    "orgs",
    "users",
    "classes",
    "courses",
    "academicSessions",
    "enrollments",
    "demographics",
    "roles",
    "userProfiles",
)
REQUIRED_COLUMNS = {
    "orgs": ("sourcedId", "name", "type"),
    "users": ("sourcedId", "username", "givenName", "familyName"),
    "classes": (
        "sourcedId",
        "title",
        "courseSourcedId",
        "classType",
        "schoolSourcedId",
        "termSourcedIds",
    ),
    "courses": ("sourcedId", "title", "orgSourcedId"),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "enrollments": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
    "roles": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ROWS_PER_FILE = 200_000


@dataclass
class Bundle:
    version: str = ""
    source: tuple[str, str] = ("", "")  # the manifest's source.systemName and systemCode
    files: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def add(self, file: str, line: int | None, column: str, message: str) -> None:
        self.problems.append({"file": file, "line": line, "column": column, "message": message})

    def rows(self, name: str) -> list[dict[str, str]]:
        return self.files.get(name, [])

    def by_id(self, name: str) -> dict[str, dict[str, str]]:
        return {row["sourcedId"]: row for row in self.rows(name)}


def read_bundle(directory: Path) -> Bundle:
    bundle = Bundle()
    manifest = _read_manifest(directory, bundle)
    if manifest is None:
        return bundle
    for name in FILES:
        mode = manifest.get(f"file.{name}", "absent")
        path = directory / f"{name}.csv"
        if mode == "absent":
            continue
        if mode not in ("bulk", "delta"):
            bundle.add(
                "manifest.csv",
                None,
                f"file.{name}",
                _("Use bulk, delta or absent, not “%(value)s”.") % {"value": mode},
            )
        elif not path.exists():
            bundle.add(
                "manifest.csv",
                None,
                f"file.{name}",
                _("The manifest lists %(file)s but the file is missing.") % {"file": path.name},
            )
        else:
            bundle.files[name] = _read_csv(path, name, bundle)
    check_bundle(bundle)
    return bundle


def _read_manifest(directory: Path, bundle: Bundle) -> dict[str, str] | None:
    path = directory / "manifest.csv"
    if not path.is_file():
        bundle.add("manifest.csv", None, "", _("The bundle has no manifest.csv."))
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        manifest = {
            row.get("propertyName", ""): row.get("value", "") for row in csv.DictReader(handle)
        }
    bundle.version = manifest.get("oneroster.version", "")
    bundle.source = (manifest.get("source.systemName", ""), manifest.get("source.systemCode", ""))
    if bundle.version not in VERSIONS:
        bundle.add(
            "manifest.csv",
            None,
            "oneroster.version",
            _("Only OneRoster 1.1 and 1.2 bundles can be imported."),
        )
        return None
    return manifest


def _read_csv(path: Path, name: str, bundle: Bundle) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in (reader.fieldnames or ())]
        for column in missing:
            bundle.add(path.name, 1, column, _("The required column is missing."))
        rows = []
        for line, row in enumerate(reader, start=2):
            if line > MAX_ROWS_PER_FILE:
                bundle.add(path.name, line, "", _("Too many rows in one file."))
                break
            cleaned = {k: (v or "").strip() for k, v in row.items() if k is not None}
            cleaned["_line"] = str(line)
            rows.append(cleaned)
    return rows


def check_bundle(bundle: Bundle) -> None:
    """Field formats and references between the files."""
    for name, rows in bundle.files.items():
        for row in rows:
            _check_common(bundle, name, row)
    orgs = bundle.by_id("orgs")
    _check_orgs(bundle, orgs)
    _check_sessions(bundle)
    _check_classes(bundle, orgs)
    roles = user_roles(bundle)
    _check_users(bundle, orgs, roles)
    _check_enrollments(bundle, roles)
    users = bundle.by_id("users")
    for row in bundle.rows("demographics"):
        if row["sourcedId"] not in users:
            _dangling(bundle, "demographics", row, "sourcedId")


def _check_common(bundle: Bundle, name: str, row: dict[str, str]) -> None:
    file, line = f"{name}.csv", int(row["_line"])
    if not row.get("sourcedId"):
        bundle.add(file, line, "sourcedId", _("Every row needs a sourcedId."))
    if row.get("status", "") not in STATUSES:
        bundle.add(
            file,
            line,
            "status",
            _("Use active or tobedeleted, not “%(value)s”.") % {"value": row["status"]},
        )
    modified = row.get("dateLastModified", "")
    if modified and not _DATETIME.match(modified):
        bundle.add(
            file,
            line,
            "dateLastModified",
            _("Give a date and time in ISO 8601 with its zone, such as 2023-05-01T18:25:43.511Z."),
        )


def _dangling(
    bundle: Bundle, name: str, row: dict[str, str], column: str, value: str | None = None
) -> None:
    bundle.add(
        f"{name}.csv",
        int(row["_line"]),
        column,
        _("“%(value)s” is not in the bundle.") % {"value": value or row[column]},
    )


def _check_orgs(bundle: Bundle, orgs: dict[str, dict[str, str]]) -> None:
    for row in bundle.rows("orgs"):
        if row.get("type") not in ORG_TYPES:
            bundle.add("orgs.csv", int(row["_line"]), "type", _("Unknown kind of organisation."))
        if row.get("parentSourcedId") and row["parentSourcedId"] not in orgs:
            _dangling(bundle, "orgs", row, "parentSourcedId")
    if bundle.files.get("orgs") is not None and not any(
        r.get("type") == "school" for r in bundle.rows("orgs")
    ):
        bundle.add("orgs.csv", None, "type", _("The bundle has no organisation of type school."))


def _check_sessions(bundle: Bundle) -> None:
    sessions = bundle.by_id("academicSessions")
    for row in bundle.rows("academicSessions"):
        if row.get("parentSourcedId") and row["parentSourcedId"] not in sessions:
            _dangling(bundle, "academicSessions", row, "parentSourcedId")
        for column in ("startDate", "endDate"):
            if not _DATE.match(row.get(column, "")):
                bundle.add(
                    "academicSessions.csv",
                    int(row["_line"]),
                    column,
                    _("Enter a date as YYYY-MM-DD."),
                )


def _check_classes(bundle: Bundle, orgs: dict[str, dict[str, str]]) -> None:
    courses = bundle.by_id("courses")
    sessions = bundle.by_id("academicSessions")
    for row in bundle.rows("classes"):
        line = int(row["_line"])
        if row.get("classType", "").lower() not in CLASS_TYPES:
            bundle.add("classes.csv", line, "classType", _("Use homeroom or scheduled."))
        if row.get("courseSourcedId") and row["courseSourcedId"] not in courses:
            _dangling(bundle, "classes", row, "courseSourcedId")
        school = orgs.get(row.get("schoolSourcedId", ""))
        if school is None:
            _dangling(bundle, "classes", row, "schoolSourcedId")
        elif school.get("type") != "school":
            bundle.add(
                "classes.csv",
                line,
                "schoolSourcedId",
                _("This organisation is not of type school."),
            )
        for term in _split(row.get("termSourcedIds", "")):
            if term not in sessions:
                _dangling(bundle, "classes", row, "termSourcedIds", term)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def user_roles(bundle: Bundle) -> dict[str, str]:
    """Each user's role: the ``role`` column in 1.1, the primary role in roles.csv in 1.2."""
    if bundle.version == "1.1":
        return {row["sourcedId"]: row.get("role", "") for row in bundle.rows("users")}
    roles: dict[str, str] = {}
    for row in bundle.rows("roles"):
        if row.get("roleType") == "primary" or row["userSourcedId"] not in roles:
            roles[row["userSourcedId"]] = row.get("role", "")
    return roles


def _check_users(bundle: Bundle, orgs: dict[str, dict[str, str]], roles: dict[str, str]) -> None:
    users = bundle.by_id("users")
    for row in bundle.rows("users"):
        line = int(row["_line"])
        if not roles.get(row["sourcedId"]):
            column = "role" if bundle.version == "1.1" else "sourcedId"
            bundle.add("users.csv", line, column, _("This user has no role."))
        for org in _split(row.get("orgSourcedIds", "")):
            if org not in orgs:
                _dangling(bundle, "users", row, "orgSourcedIds", org)
        for agent in _split(row.get("agentSourcedIds", "")):
            if agent not in users:
                _dangling(bundle, "users", row, "agentSourcedIds", agent)
    for row in bundle.rows("roles"):
        if row["userSourcedId"] not in users:
            _dangling(bundle, "roles", row, "userSourcedId")


def _check_enrollments(bundle: Bundle, roles: dict[str, str]) -> None:
    classes = bundle.by_id("classes")
    users = bundle.by_id("users")
    for row in bundle.rows("enrollments"):
        if row["classSourcedId"] not in classes:
            _dangling(bundle, "enrollments", row, "classSourcedId")
        if row["userSourcedId"] not in users:
            _dangling(bundle, "enrollments", row, "userSourcedId")
        elif row.get("role") in IMPORTED_ROLES and roles.get(row["userSourcedId"]) != row["role"]:
            bundle.add(
                "enrollments.csv",
                int(row["_line"]),
                "role",
                _("The user is enrolled as %(enrolled)s but is a %(role)s in users.csv.")
                % {"enrolled": row["role"], "role": roles.get(row["userSourcedId"], "")},
            )
