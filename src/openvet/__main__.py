"""The `openvet` command: a front end to Django's management commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openvet.config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["openvet", *sys.argv[1:]])


if __name__ == "__main__":
    main()
