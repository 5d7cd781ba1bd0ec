#!/usr/bin/env bash
# Refresh each app's message catalogues from its code and templates (needs GNU gettext).
set -euo pipefail
cd "$(dirname "$0")/../src/openvet"
for app in */; do
  app=${app%/}
  [ -f "$app/apps.py" ] || continue
  mkdir -p "$app/locale"
  (cd "$app" && DJANGO_SETTINGS_MODULE=openvet.config.settings.test \
    ../../../.venv/bin/django-admin makemessages -l zh_Hans --no-obsolete \
    --ignore 'tests/*' --ignore 'migrations/*' >/dev/null)
done
echo "catalogues refreshed; translate the empty msgstr entries in */locale/zh_Hans/LC_MESSAGES/django.po"
