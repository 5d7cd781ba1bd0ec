from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "openvet.records"
    label = "records"
    verbose_name = _("Student and staff records")

    def ready(self) -> None:
        from openvet.records import handlers

        handlers.connect()
        from openvet.records.bulk import navigation

        navigation.register()
        from openvet.records.presenters import register_change_words_of_records

        register_change_words_of_records()
