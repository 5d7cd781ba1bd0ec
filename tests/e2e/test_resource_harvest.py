"""A provincial deployment harvests a school's library over OAI-PMH: the school's instance (a
second server with its own database) offers its school library at /oai/; the province's
administrator registers it, harvests it, and a teacher of the province finds the harvested
resource in the provincial library, with the link back to the school."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from playwright.sync_api import Page, expect

from openvet.resources.models import Resource
from openvet.resources.tests.factories import make_resource
from tests.e2e.conftest import Campus, Checkpoint
from tests.e2e.helpers import open_nav, sign_in, sign_out, tr, welcome_heading

TITLE = "工业机器人焊接实训指导"
SCHOOL_LIBRARY = "示范学院资源库"
# Ports of this journey's second instance, one per test worker.
FIRST_PORT = 8130


def _port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return FIRST_PORT + (int(worker) if worker.isdigit() else 0) % 10


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found is not None, f"{name} is needed for the PostgreSQL run of this journey"
    return found


def _copy_database(folder: Path) -> str:
    """The test database as it is now, for the second instance: a file copy of SQLite, a
    dumped and restored database on PostgreSQL. Returns its DATABASE_URL."""
    if connection.vendor == "sqlite":
        target = folder / "school.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    source = str(connection.settings_dict["NAME"])
    name = f"{source}_school"
    server = ["-h", "127.0.0.1", "-U", "postgres"]
    psql = [_tool("psql"), *server, "-q", "-v", "ON_ERROR_STOP=1"]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run([*psql, "-c", sql, "postgres"], check=True)  # noqa: S603 - our own names
    dump = subprocess.run(  # noqa: S603 - the test database's own name
        [_tool("pg_dump"), *server, "--no-owner", source], check=True, capture_output=True
    )
    subprocess.run([*psql, name], input=dump.stdout, check=True, capture_output=True)  # noqa: S603
    return f"postgres://postgres@127.0.0.1:5432/{name}"


@contextmanager
def school_instance() -> Iterator[str]:
    """uvicorn serving a copy of the database, offering its school library over OAI-PMH."""
    with tempfile.TemporaryDirectory(prefix="openvet-school-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": _copy_database(Path(folder)),
            "DJANGO_SETTINGS_MODULE": "openvet.config.settings.test",
            "OPENVET_OAI_LEVELS": "school",
            "OPENVET_LOG_LEVEL": "ERROR",
        }
        url = f"http://127.0.0.1:{_port()}"
        uvicorn = Path(sys.executable).parent / "uvicorn"
        arguments = ["--host", "127.0.0.1", "--port", url.rsplit(":", 1)[1], "--no-access-log"]
        arguments += ["--log-level", "warning"]
        server = subprocess.Popen(  # noqa: S603 - the project's own server
            [str(uvicorn), "openvet.config.asgi:application", *arguments], env=env
        )
        try:
            _wait_ready(f"{url}/oai/?verb=Identify", server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "the school instance stopped"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the school instance did not answer in time")


def test_the_province_harvests_a_school_library_and_finds_its_resource(
    page: Page, campus: Campus, checkpoint: Checkpoint
) -> None:
    # Published in the school's library on the school's instance only.
    made = make_resource(
        campus.user("teacher1"), publish=True, title=TITLE, keywords="焊接,工业机器人"
    )
    with school_instance() as school_url:
        Resource.objects.filter(pk=made.pk).delete()

        sign_in(page, "region", campus.password)
        expect(welcome_heading(page, campus.full_name("region"))).to_be_visible()
        open_nav(page, tr("Harvested libraries"))
        expect(page.get_by_role("heading", level=1, name=tr("Harvested libraries"))).to_be_visible()
        page.get_by_label(tr("Library name")).fill(SCHOOL_LIBRARY)
        page.get_by_label(tr("OAI-PMH address")).fill("不是地址")
        page.get_by_role("button", name=tr("Add library")).click()
        # Refused on the form, what was typed is kept.
        expect(page.get_by_label(tr("Library name"))).to_have_value(SCHOOL_LIBRARY)
        checkpoint(page, "refused")
        page.get_by_label(tr("OAI-PMH address")).fill(f"{school_url}/oai/")
        page.get_by_role("button", name=tr("Add library")).click()
        expect(page.get_by_role("alert").first).to_contain_text(
            tr("The library was added; it is harvested within the hour, or now on request.")
        )
        expect(page.get_by_text(tr("Not harvested yet"))).to_be_visible()
        page.get_by_role("button", name=tr("Harvest now")).click()
        expect(page.get_by_role("alert").first).to_contain_text(
            tr("Harvesting started; the counts below show its outcome.")
        )
        expect(page.get_by_text(tr("Up to date"))).to_be_visible()
    harvested = Resource.objects.filter(harvested__isnull=False)
    assert harvested.filter(title=TITLE, level="provincial").count() == 1
    in_library = page.get_by_test_id("in-library")
    expect(in_library).to_have_text(str(harvested.count()))
    checkpoint(page, "harvested")
    sign_out(page, campus.full_name("region"))

    # A teacher of another school of the province finds it in the provincial library.
    sign_in(page, "teacher2", campus.password)
    open_nav(page, tr("Resource library"))
    page.get_by_label(tr("Search resources")).fill("工业机器人焊接")
    page.get_by_role("button", name=tr("Search"), exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    banner = page.get_by_test_id("harvested")
    expect(banner).to_contain_text(SCHOOL_LIBRARY)
    link = banner.get_by_role("link", name=tr("Open at its home library"))
    expect(link).to_have_attribute("href", f"{school_url}/resources/{made.pk}/")
    checkpoint(page, "found")
