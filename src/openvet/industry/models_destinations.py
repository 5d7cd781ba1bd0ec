"""The history of a graduate's destination (ADR 0627): every save through the destination
page or the class import keeps what was recorded, by whom and when, so a correction never
hides what was reported before.

Imported at the end of ``industry.models`` so that Django finds it there.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openvet.industry.codes import Destination

USER = settings.AUTH_USER_MODEL


class RevisionSource(models.TextChoices):
    PAGE = "page", _("Recorded on the page")
    IMPORT = "import", _("Imported with the class sheet")


class DestinationRevision(models.Model):
    """One recording of a graduate's destination: the values as saved."""

    destination = models.ForeignKey(
        "industry.GraduateDestination", on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(_("destination"), max_length=2, choices=Destination.choices)
    employer = models.CharField(_("employer or school"), max_length=200, blank=True)
    values = models.JSONField(_("recorded values"), default=dict)
    source = models.CharField(_("source"), max_length=8, choices=RevisionSource.choices)
    note = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("destination revision")
        verbose_name_plural = _("destination revisions")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.destination_id} · {self.get_kind_display()}"
