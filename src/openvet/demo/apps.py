from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for every app; it sits in the top tier, beside the composition root."""

    name = "openvet.demo"
    label = "demo"
    verbose_name = _("Demo data")
