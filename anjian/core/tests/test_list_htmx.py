"""Filtering a list from its page (an htmx request) answers the results and the export link that goes with
them. Eight list pages used to answer 500 here (their templates extend the generic list, whose partial was
looked up under the child template's name), leaving the old rows on screen and exporting unfiltered rows."""

import re

import pytest

# (list page, a filter its form offers)
LISTS = [
    ("/hazards/", {"grade": "major", "is_overdue": "true"}),
    ("/inspections/tasks/", {"q": "检查"}),
    ("/operations/tips/", {"q": "举报"}),
    ("/assessment/bulletins/", {"q": "通报"}),
    ("/notifications/", {"q": "提醒"}),
    ("/enforcement/talks/", {"q": "约谈"}),
    ("/enforcement/findings/unlinked/", {"q": "违法"}),
    ("/notifications/deliveries/", {"q": "短信"}),
]


def _first_user_who_sees(cast, client_for, url):
    for user in cast.users().values():
        client = client_for(user)
        if client.get(url).status_code == 200:
            return client
    pytest.fail(f"nobody in the cast may open {url}")


@pytest.mark.parametrize(("url", "params"), LISTS)
def test_htmx_filter_answers_the_results_and_a_matching_export_link(cast, client_for, url, params):
    client = _first_user_who_sees(cast, client_for, url)
    response = client.get(url, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">') or 'id="results"' in body
    assert "<html" not in body  # a fragment, not the whole page
    link = re.search(r'<a [^>]*id="export-link"[^>]*>', body)
    if link:  # lists that export: the toolbar's link is replaced out of band, filter included
        assert 'hx-swap-oob="true"' in link.group(0)
        href = re.search(r'href="([^"]+)"', link.group(0)).group(1)
        assert "export=xlsx" in href
        for key in params:
            assert f"{key}=" in href, (url, href)


def test_full_page_export_link_carries_the_filter(cast, client_for):
    body = client_for(cast.office).get("/hazards/", {"grade": "major"}).content.decode()
    link = re.search(r'<a [^>]*id="export-link"[^>]*>', body).group(0)
    assert "grade=major" in link and "hx-swap-oob" not in link
