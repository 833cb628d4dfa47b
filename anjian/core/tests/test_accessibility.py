"""Accessibility: axe-core (vendored here, for tests only) on the main pages of each role, desktop and phone.
Zero serious or critical violations: labels, names of buttons and links, contrast, landmarks, language."""

import json
from pathlib import Path

import pytest

from anjian.core.testing import ONE_PER_ROLE

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
ROLES = ONE_PER_ROLE
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def main_pages(page, user) -> list[str]:
    """Home, and the first page of each menu group the role has (its everyday lists)."""
    from anjian.core.navigation import menu_for

    pages = ["/"]
    for group in menu_for(user):
        pages.append(group["items"][0]["url"])
    return pages


@pytest.fixture
def axe_context(browser, live_server):
    # CSP forbids inline scripts, rightly; the test injects axe through the DevTools protocol instead.
    contexts = []

    def make(**options):
        context = browser.new_context(locale="zh-CN", bypass_csp=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()


def _check(page, urls, who) -> list[str]:
    problems = []
    for url in urls:
        page.goto(f"{page.base_url}{url}")
        for v in axe_violations(page):
            problems.append(
                f"{who} {url}: [{v['impact']}] {v['id']} — {v['help']}\n    " + "\n    ".join(v["nodes"])
            )
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_of_each_role_have_no_serious_violations(live_cast, axe_context, login, role):
    user = getattr(live_cast, role)
    problems = []
    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page = axe_context(viewport=viewport)
        login(page, user)
        problems += _check(page, main_pages(page, user), f"{role}@{viewport['width']}")
    assert not problems, "\n".join(problems)


def test_public_and_login_pages_have_no_serious_violations(live_cast, axe_context):
    page = axe_context(viewport={"width": 390, "height": 844})
    problems = _check(page, ["/login/", "/public/tip/", "/public/tip/status/"], "anonymous")
    assert not problems, "\n".join(problems)


def test_axe_reports_a_real_violation(live_cast, axe_context):
    """The check itself can fail: an unlabeled input and an empty button are reported."""
    page = axe_context()
    page.goto(f"{page.base_url}/login/")
    page.evaluate(
        """() => { const f = document.querySelector("form");
            f.insertAdjacentHTML("beforeend", '<input type="text" id="x"><button type="button"></button>'); }"""
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert "button-name" in ids or "label" in ids, json.dumps(sorted(ids))
