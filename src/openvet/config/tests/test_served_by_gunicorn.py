"""The production layout serves pages by gunicorn (WSGI, ADR 0021): the WSGI application
starts under it and answers pages over real HTTP."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def gunicorn_base(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openvet.config.settings.test",
        "OPENVET_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(  # noqa: S603 - the installed gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "openvet.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_the_sign_in_page_in_chinese(gunicorn_base: str) -> None:
    page = httpx.get(f"{gunicorn_base}/accounts/login/", headers={"Accept-Language": "zh-hans"})

    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert "登录" in page.text
