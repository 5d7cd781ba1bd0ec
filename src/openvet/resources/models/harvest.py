"""Harvesting other libraries over OAI-PMH 2.0 (ADR 0512): the sources a provincial library
pulls from, and the record each harvested resource came from."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from openvet.resources.models.library import Resource


class HarvestSource(models.Model):
    """A school's (or another province's) OAI-PMH base URL and set, harvested into the
    library of ``org`` (a province). ``last_datestamp`` is the provider's newest datestamp of
    the last complete run: the next run asks only for records changed from then on."""

    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("library"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    base_url = models.URLField(_("OAI-PMH address"), max_length=500)
    set_spec = models.CharField(_("set"), max_length=200, blank=True)
    is_active = models.BooleanField(_("harvesting on"), default=True)
    created_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    day_granularity = models.BooleanField(default=False)
    last_datestamp = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_added = models.PositiveIntegerField(default=0)
    last_updated = models.PositiveIntegerField(default=0)
    last_deleted = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering: ClassVar[list[str]] = ["name", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["org", "base_url", "set_spec"], name="resources_one_source_per_feed"
            )
        ]

    def __str__(self) -> str:
        return self.name


class HarvestedRecord(models.Model):
    """The OAI record a harvested resource was made from: its identifier at the source, the
    source's datestamp, the address of the resource at its home library, and whether the
    source has since deleted it (the resource is then withdrawn from the library)."""

    source = models.ForeignKey(HarvestSource, on_delete=models.PROTECT, related_name="records")
    identifier = models.CharField(max_length=300)
    datestamp = models.DateTimeField()
    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="harvested")
    link = models.URLField(_("at its home library"), max_length=500, blank=True)
    rights = models.CharField(_("rights as stated by the source"), max_length=300, blank=True)
    deleted = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["source", "identifier"], name="resources_one_record_per_identifier"
            )
        ]

    def __str__(self) -> str:
        return self.identifier
