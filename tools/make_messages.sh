#!/usr/bin/env bash
# Refresh message catalogues from code and templates (needs GNU gettext).
# Usage: tools/make_messages.sh [app ...]   (default: every app)
set -euo pipefail
cd "$(dirname "$0")/../src/openvet"
apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  for dir in */; do [ -f "$dir/apps.py" ] && apps+=("${dir%/}"); done
fi
for app in "${apps[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && DJANGO_SETTINGS_MODULE=openvet.config.settings.test \
    ../../../.venv/bin/django-admin makemessages -l zh_Hans --no-obsolete \
    --ignore 'tests/*' --ignore 'migrations/*' >/dev/null)
done
echo "refreshed: ${apps[*]}; translate empty msgstr entries in <app>/locale/zh_Hans/LC_MESSAGES/django.po"
