"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Every test here is marked ``e2e`` and runs twice, on a phone and on a desktop viewport. The
live server serves static files through ``StaticFilesHandler`` (pytest-django does so whenever
``django.contrib.staticfiles`` is installed), so no collectstatic is needed.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.cache import cache
from django.test import TransactionTestCase
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

from openvet.core.models import OrgUnit
from openvet.demo.seed import DEMO_PASSWORD, demo_seed, featured_accounts
from openvet.demo.seed_teaching import seed_teaching
from openvet.identity.models import User
from tests.e2e.helpers import SCREENSHOT_DIR, axe_violations, describe_violations
from tests.e2e.snapshots import Snapshot, take_snapshot

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
# Generous enough for a loaded 2-core machine, short enough that a missing element fails fast.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
    if _on_postgresql():
        _one_viewport_per_journey(config, items)


def _on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _one_viewport_per_journey(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL each journey runs once, on the phone and the desktop by turns (ADR 0027).

    A page's layout does not depend on the database: the SQLite pass runs every journey on
    both viewports, this pass checks the same journeys against PostgreSQL's behaviour.
    """
    journeys: dict[str, list[pytest.Item]] = {}
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "viewport" not in callspec.params:
            continue
        if E2E_DIR not in Path(str(item.fspath)).parents:
            continue
        other_params = sorted(
            (k, str(v)) for k, v in callspec.params.items() if k not in ("viewport", "browser_name")
        )
        journeys.setdefault(f"{item.fspath}::{item.originalname}{other_params}", []).append(item)
    dropped: list[pytest.Item] = []
    for turn, key in enumerate(sorted(journeys)):
        kept = sorted(VIEWPORTS)[turn % len(VIEWPORTS)]
        dropped += [i for i in journeys[key] if i.callspec.params["viewport"] != kept]  # type: ignore[attr-defined]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        ids = {id(i) for i in dropped}
        items[:] = [i for i in items if id(i) not in ids]


@pytest.fixture(scope="session")
def _async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread; Django would
    # otherwise refuse the ORM calls that fixtures and assertions make here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def chromium(_async_unsafe_allowed: None) -> Iterator[Browser]:
    with sync_playwright() as driver:
        browser = _launch(driver)
        yield browser
        browser.close()


def _launch(driver: Playwright) -> Browser:
    return driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass
class PageProblems:
    """Script errors and CSP refusals seen while a test ran; each is a defect of the page."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"CSP: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"script error: {error}")


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture(scope="session")
def _contexts(chromium: Browser) -> Iterator[dict[str, BrowserContext]]:
    """One browser context per viewport for the whole run, so static files come from its
    HTTP cache after the first test; each test starts with no cookies and a new page."""
    contexts: dict[str, BrowserContext] = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def page(
    _contexts: dict[str, BrowserContext],
    chromium: Browser,
    viewport: str,
    live_server: Any,
    page_problems: PageProblems,
) -> Iterator[Page]:
    context = _contexts.get(viewport)
    if context is None:
        context = chromium.new_context(
            **VIEWPORTS[viewport],
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            # Charts honour reduced motion (core/shell.js) and draw at once: a screenshot or
            # an assertion never waits for an animation.
            reduced_motion="reduce",
        )
        context.set_default_timeout(TIMEOUT_MS)
        _contexts[viewport] = context
    context.clear_cookies()
    browser_page = context.new_page()
    browser_page.on("console", page_problems.on_console)
    browser_page.on("pageerror", page_problems.on_page_error)
    yield browser_page
    browser_page.close()
    assert not page_problems.errors, "\n".join(page_problems.errors)


@dataclass
class DatabaseCopies:
    clean: Snapshot  # as migrated, code tables loaded
    demo: Snapshot  # with the demo seeded


# Whether the journey about to run restores the seeded demo itself (set before each teardown).
_next_journey_restores_demo = False


def _restores_demo(item: pytest.Item) -> bool:
    in_here = E2E_DIR in Path(str(item.fspath)).parents
    return in_here and "campus" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    global _next_journey_restores_demo
    _next_journey_restores_demo = nextitem is not None and _restores_demo(nextitem)
    return (yield)


@pytest.fixture(autouse=True)
def _empty_database_by_copy(database_copies: DatabaseCopies | None) -> Iterator[None]:
    """After a journey, restore the clean copy instead of pytest-django's flush.

    The flush (TRUNCATE of every table, then reloading the code tables) takes seconds on
    PostgreSQL; the copy leaves the same state in a fraction of that. When the next journey on
    this worker restores the demo copy anyway, the clean copy is skipped: on PostgreSQL each
    restore costs about a second. Defined before the fixtures that request the database, so its
    teardown runs after theirs.
    """
    if database_copies is None:
        yield
        return
    clean = database_copies.clean

    def empty_unless_the_next_journey_restores(_case: TransactionTestCase) -> None:
        if not _next_journey_restores_demo:
            clean.restore()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            TransactionTestCase, "_fixture_teardown", empty_unless_the_next_journey_restores
        )
        yield


@pytest.fixture(autouse=True)
def _clean_security_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Start every journey with no lockouts and no cached rate-limit counters."""
    if "page" not in request.fixturenames:
        yield
        return
    from axes.utils import reset

    request.getfixturevalue("transactional_db")
    reset()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _demo_like_settings(settings: Any) -> None:
    # As in `openvet demo`: administrators sign in without a one-time code. The TOTP journey
    # switches it back on.
    settings.REQUIRE_ADMIN_TOTP = False


Checkpoint = Callable[..., None]


@pytest.fixture
def checkpoint(request: pytest.FixtureRequest, viewport: str) -> Checkpoint:
    """Screenshot the page (full length) and fail on serious accessibility violations."""

    def check(page: Page, label: str = "", *, axe: bool = True) -> None:
        name = request.node.originalname
        callspec = getattr(request.node, "callspec", None)
        extra = [
            str(v)
            for k, v in (callspec.params if callspec else {}).items()
            if k not in ("viewport", "browser_name")
        ]
        parts = [name, *extra, label, viewport]
        filename = re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(p for p in parts if p))
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.wait_for_load_state("load")
        page.screenshot(path=SCREENSHOT_DIR / f"{filename}.png", full_page=True)
        if axe:
            violations = axe_violations(page)
            assert not violations, (
                f"accessibility violations on {page.url}:\n{describe_violations(violations)}"
            )

    return check


# Small enough to seed in about a second, large enough for every dashboard to have figures.
DEMO_SCALE = 0.01


@dataclass
class Campus:
    """The demo data (``openvet demo`` at a small scale): one account per role, one password."""

    password: str
    users: dict[str, User]

    def user(self, username: str) -> User:
        return self.users[username]

    def full_name(self, username: str) -> str:
        return self.users[username].full_name

    def home(self, username: str) -> OrgUnit:
        org = self.users[username].home_org
        assert org is not None, f"demo account {username} has no organisation"
        return org

    @classmethod
    def load(cls) -> "Campus":
        accounts = [a.username for a in featured_accounts()]
        users = User.objects.select_related("home_org").filter(username__in=accounts)
        return cls(password=DEMO_PASSWORD, users={u.username: u for u in users})


@pytest.fixture(scope="session")
def database_copies(
    django_db_setup: None, django_db_blocker: Any, chromium: Browser, live_server: Any
) -> Iterator[DatabaseCopies | None]:
    """Seed the demo once and keep a copy, so each test restores it instead of seeding.

    The database is left as it was found for the tests that run after. Taken once the browser
    and the live server run: Playwright's sync API switches greenlets, each with its own
    context, and the server must share the very connection these copies restore into.
    """
    with django_db_blocker.unblock():
        _warm_up(live_server.url)
        clean = take_snapshot()
        if clean is None:  # a database kind that cannot be copied: each test seeds
            yield None
            return
        demo_seed(scale=DEMO_SCALE)
        demo = take_snapshot()
        assert demo is not None
        clean.restore()
    yield DatabaseCopies(clean=clean, demo=demo)
    clean.close()
    demo.close()


def _warm_up(base_url: str) -> None:
    """Serve one page before the first journey: the URLconf, the templates and the static
    files finder load once here, not inside the first journey's ten-second budget."""
    httpx.get(f"{base_url}/accounts/login/", timeout=300).raise_for_status()


@pytest.fixture
def campus(
    request: pytest.FixtureRequest,
    transactional_db: None,
    database_copies: DatabaseCopies | None,
) -> Campus:
    """The demo data, committed so that the live server sees it.

    A journey that asks for ``teaching`` too gets the demo with its teaching term in one
    restore (the teaching copy holds the demo).
    """
    with_teaching = "teaching" in request.fixturenames
    if database_copies is None:
        demo_seed(scale=DEMO_SCALE)
        if with_teaching:
            seed_teaching()
    elif with_teaching:
        request.getfixturevalue("teaching_snapshot").restore()
    else:
        database_copies.demo.restore()
    return Campus.load()


# The teaching fixtures live here, not in the modules that use them: a session fixture
# imported into several modules is one fixture per module to pytest, and each would seed
# the teaching term again.


@pytest.fixture(scope="session")
def teaching_snapshot(
    database_copies: DatabaseCopies | None, django_db_blocker: Any
) -> Iterator[Snapshot | None]:
    """The demo plus its teaching term, seeded once and copied like the demo itself."""
    with django_db_blocker.unblock():
        if database_copies is None:
            yield None
            return
        database_copies.demo.restore()
        seed_teaching()
        seeded = take_snapshot()
        assert seeded is not None
        database_copies.clean.restore()
    yield seeded
    seeded.close()


@pytest.fixture
def teaching(campus: Campus) -> Campus:
    """The demo with the teaching demo of its first college, committed for the live server
    (``campus`` loads it when a journey asks for this fixture)."""
    return campus


@pytest.fixture
def second_page(
    chromium: Browser, viewport: str, live_server: Any, page_problems: PageProblems
) -> Iterator[Page]:
    """A second browser (own cookies) on the same viewport: the other person of a journey."""
    context: BrowserContext = chromium.new_context(
        **VIEWPORTS[viewport],
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(TIMEOUT_MS)
    other = context.new_page()
    other.on("console", page_problems.on_console)
    other.on("pageerror", page_problems.on_page_error)
    yield other
    context.close()
