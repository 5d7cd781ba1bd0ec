"""Core tables: the org tree, national code tables and the audit log."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    SCHOOL = "school", _("School")
    DEPARTMENT = "department", _("Department")
    MAJOR = "major", _("Major")
    CLASS = "class", _("Class")
    ENTERPRISE = "enterprise", _("Enterprise")


REGION_KINDS = (OrgKind.NATION, OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY)
# Kinds whose code is a national identifier and so unique in the whole platform.
NATIONALLY_CODED_KINDS = (*REGION_KINDS, OrgKind.SCHOOL, OrgKind.ENTERPRISE)

# Which kinds may sit under which: the shape of the tree.
ALLOWED_PARENTS: dict[str, tuple[str, ...]] = {
    OrgKind.NATION: (),
    OrgKind.PROVINCE: (OrgKind.NATION,),
    OrgKind.CITY: (OrgKind.PROVINCE,),
    OrgKind.COUNTY: (OrgKind.CITY,),
    OrgKind.SCHOOL: (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY),
    OrgKind.DEPARTMENT: (OrgKind.SCHOOL,),
    OrgKind.MAJOR: (OrgKind.DEPARTMENT,),
    OrgKind.CLASS: (OrgKind.MAJOR,),
    OrgKind.ENTERPRISE: (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY),
}


class SchoolType(models.TextChoices):
    # 《职业教育专业目录（2021年）》 has one catalog per level.
    HIGHER_VOCATIONAL = "higher_vocational", _("Higher vocational college (junior)")
    VOCATIONAL_BACHELOR = "vocational_bachelor", _("Vocational undergraduate university")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational school")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def active(self) -> "OrgUnitQuerySet":
        return self.filter(is_active=True)

    def within(self, node: "OrgUnit") -> "OrgUnitQuerySet":
        """The node and everything below it."""
        return self.filter(path__startswith=node.path)


class OrgUnit(models.Model):
    """A node of the org tree: nation → province → city → school → department → major → class.

    ``path`` is the materialized list of ancestor ids, zero-padded so that it sorts in tree
    order ("/00000001/00000004/"): a subtree is one indexed prefix query on SQLite and
    PostgreSQL alike.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    code = models.CharField(_("code"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    school_type = models.CharField(
        _("school type"), max_length=24, choices=SchoolType.choices, blank=True
    )
    grade_year = models.PositiveSmallIntegerField(_("grade year"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[OrgUnitQuerySet] = OrgUnitQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=Q(kind__in=[k.value for k in NATIONALLY_CODED_KINDS]) & ~Q(code=""),
                name="core_orgunit_national_code_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "kind", "code"],
                condition=~Q(code=""),
                name="core_orgunit_local_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class CodeItem(models.Model):
    """One entry of a national code table (GB/T 2260 regions, GB/T 3304 ethnicity, ...).

    Loaded from the data files under ``core/data/codes/``; each file names its source.
    """

    table = models.CharField(max_length=40)
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=200, blank=True)
    parent_code = models.CharField(max_length=32, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["table", "sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="core_codeitem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    LOGIN_FAILED = "login_failed", _("Failed login")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    REVEAL = "reveal", _("Reveal personal data")
    EXPORT = "export", _("Export")
    SECURITY = "security", _("Security event")


class AppendOnlyError(RuntimeError):
    """Audit entries are never changed or deleted, except by the retention purge."""


class AuditEntry(models.Model):
    """An append-only record of who did what, when, from where, to which object."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    org = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")
