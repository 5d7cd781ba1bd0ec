"""`openvet check --deploy` with production settings reports no warnings."""

import os
import subprocess
import sys
from pathlib import Path

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "openvet.config.settings.base",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "campus.example.edu.cn",
    "OPENVET_PII_KEY": "b3BlbnZldC10ZXN0LWtleS0wMDAwMDAwMDAwMDAwMDA=",
    "OPENVET_HTTPS": "true",
    "OPENVET_BEHIND_PROXY": "true",
}


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= PRODUCTION_ENV | {"OPENVET_VAR_DIR": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-m", "openvet", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
