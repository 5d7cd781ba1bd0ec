"""Helpers for the browser journeys: translated text, sign-in, TOTP codes, page checks.

Pages render in the language the browser asks for (zh-hans by default, like a Chinese school).
Tests name texts by their English msgid and translate them with ``tr`` through the same
catalogues the server uses, so no Chinese text lives in the tests and an untranslated string
still matches.
"""

import base64
import json
import re
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django_otp.oath import TOTP
from playwright.sync_api import Locator, Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
# Violations of these impacts fail a test; "moderate" and "minor" are left to reviews.
BLOCKING_IMPACTS = frozenset({"critical", "serious"})
# Known blocking violations in pages this suite does not own, tolerated so that every other
# check keeps running. Each: (axe rule id, CSS selector of the region where it is tolerated,
# "foreground/background" colours for contrast rules or "", who must fix it).
# Shrink-only: remove an entry as soon as its page is fixed, so the check guards it again.
KNOWN_VIOLATIONS: tuple[tuple[str, str, str, str], ...] = (
    # The org tree puts the node's link inside <summary>, itself a control: screen readers
    # announce only one of the two.
    ("nested-interactive", ".tree-list", "", "core org tree: core/partials/_org_node.html"),
)
ZH = "zh-hans"
EN = "en"


def tr(msgid: str | Promise, language: str = ZH, **params: Any) -> str:
    """The text a page in ``language`` shows for ``msgid`` (with %(name)s params filled).

    ``msgid`` may be a lazy translation, such as a model choice's label.
    """
    with override(language):
        text = gettext(msgid) if isinstance(msgid, str) else str(msgid)
    return text % params if params else text


def exact(text: str) -> re.Pattern[str]:
    """A pattern matching exactly ``text`` (after trimming), for role names with icons."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def totp_code(secret_text: str) -> str:
    """The current six-digit code for a base32 secret shown in groups (as an app computes it)."""
    secret = re.sub(r"\s+", "", secret_text).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key, step=30, digits=6).token():06d}"


def open_menu_if_collapsed(page: Page, language: str = ZH) -> None:
    """On a phone the navbar is collapsed behind the toggler; open it."""
    # After a form's redirect the old page may still be going: judge the toggler on the new one.
    page.wait_for_load_state()
    toggler = page.get_by_role("button", name=tr("Toggle navigation", language))
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        # Wait for the collapse to finish ("show", no longer "collapsing"): a click during
        # the animation can land on a moving menu.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def open_user_menu(page: Page, full_name: str) -> None:
    open_menu_if_collapsed(page)
    button = page.get_by_role("button", name=full_name)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")


def sign_in(page: Page, username: str, password: str, language: str = ZH) -> None:
    """Open the sign-in page, fill and send the form; the caller asserts where it lands."""
    page.goto("/accounts/login/")
    submit_sign_in(page, username, password, language)


def submit_sign_in(page: Page, username: str, password: str, language: str = ZH) -> None:
    """Fill and send the sign-in form on the page shown now."""
    page.get_by_label(tr("Username, student/staff number or mobile", language)).fill(username)
    page.get_by_label(tr("Password", language), exact=True).fill(password)
    page.get_by_role("button", name=tr("Sign in", language), exact=True).click()


def sign_out(page: Page, full_name: str) -> None:
    open_user_menu(page, full_name)
    page.get_by_role("button", name=tr("Sign out")).click()


def welcome_heading(page: Page, full_name: str, language: str = ZH) -> Locator:
    return page.get_by_role(
        "heading", level=1, name=tr("Welcome, %(name)s", language, name=full_name)
    )


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page and return the blocking violations, less the known ones.

    ``evaluate`` runs through the DevTools protocol, which the page's CSP does not govern, so
    the check needs no ``bypass_csp`` and the pages keep their real policy under test.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async ([impacts, known]) => {
            const results = await window.axe.run(document, {
                resultTypes: ["violations"],
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "best-practice"]},
            });
            const colours = (node) => {
                const data = (node.any[0] || {}).data || {};
                return data.fgColor ? `${data.fgColor}/${data.bgColor}` : "";
            };
            const tolerated = (rule, node) => known.some(([knownRule, region, pair]) => {
                const element = document.querySelector(node.target[0]);
                return rule === knownRule && element !== null && element.closest(region) !== null
                    && (pair === "" || colours(node) === pair);
            });
            return results.violations
                .filter((v) => impacts.includes(v.impact))
                .map((v) => ({...v, nodes: v.nodes.filter((n) => !tolerated(v.id, n))}))
                .filter((v) => v.nodes.length > 0);
        }""",
        [
            sorted(BLOCKING_IMPACTS),
            [[rule, region, pair] for rule, region, pair, _owner in KNOWN_VIOLATIONS],
        ],
    )
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {json.dumps(node['target'])}: {summary[:300]}")
    return "\n".join(lines)


def citizen_id(body: str) -> str:
    """An 18-character citizen ID number with its GB 11643-1999 check digit (ISO 7064)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def wrong_check_digit(id_number: str) -> str:
    """The same ID number with a check digit that does not match."""
    return id_number[:-1] + ("0" if id_number[-1] != "0" else "1")


def open_nav(page: Page, label: str) -> None:
    """Follow an entry of the main navigation, opening the phone menu and the entry's
    section menu first when they hide it."""
    open_menu_if_collapsed(page)
    navigation = page.get_by_role("navigation", name=tr("Main navigation"))
    link = navigation.get_by_role("link", name=label)
    if not link.is_visible():
        # ``has=`` must see the link while its menu is closed (hidden), hence include_hidden.
        hidden_link = page.get_by_role("link", name=label, include_hidden=True)
        menu = navigation.locator(".dropdown").filter(has=hidden_link)
        menu.locator(".dropdown-toggle").click()
    link.click()
