"""Helpers for tests of the enterprise file (一企一档): every app that contributes a tab tests it with these."""

import re

PANE_ID = "enterprise-tab-pane"


def file_url(enterprise, tab: str | None = None, cursor: str | None = None) -> str:
    url = f"/registry/enterprises/{enterprise.pk}/"
    if tab:
        url += f"?tab={tab}"
        if cursor:
            url += f"&cursor={cursor}"
    return url


def open_tab(client, enterprise, tab: str, cursor: str | None = None):
    """The htmx request a click on the tab sends: answered with the pane alone."""
    return client.get(file_url(enterprise, tab, cursor), HTTP_HX_REQUEST="true", HTTP_HX_TARGET=PANE_ID)


def tab_badges(html: str) -> dict[str, str]:
    """{tab key: badge text} of the tab strip of a full page."""
    return dict(
        re.findall(r'id="tab-([\w-]+)"[^>]*>[^<]*<span[^>]*data-testid="count-[\w-]+">([^<]*)<', html)
    )


def active_tab(html: str) -> str:
    match = re.search(r'class="nav-link active" id="tab-([\w-]+)"', html)
    return match.group(1) if match else ""
