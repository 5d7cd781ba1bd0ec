from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "openvet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from openvet.core import choice_labels, codetables, dashboard

        dashboard.register()
        # Every app's models are loaded before any ready(): their choice labels can be tabled.
        choice_labels.install()

        # A fresh or flushed database gets the national code tables (Django plumbing).
        post_migrate.connect(
            codetables.load_after_migrate, sender=self, dispatch_uid="openvet.core.codes"
        )
