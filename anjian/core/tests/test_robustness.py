"""Hostile input: control characters never reach a spreadsheet, absurd parameters never give a 500."""

import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from anjian.core.exports import safe_cell_value, write_xlsx
from anjian.core.forms import NoControlCharacters
from anjian.core.views.generic import ObjectListView


# --- control characters ------------------------------------------------------------------------------------
def _read_back(rows, title=None):
    buffer = io.BytesIO()
    write_xlsx(buffer, "表", ["列"], rows, title=title)
    buffer.seek(0)
    return [row[0] for row in load_workbook(buffer, read_only=True).worksheets[0].iter_rows(values_only=True)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(), min_size=1, max_size=5), st.text())
def test_write_xlsx_never_fails_and_keeps_the_legal_characters(texts, title):
    values = _read_back([[text] for text in texts], title=title or None)
    expected = [safe_cell_value(text) for text in texts]
    # An empty string is written as an empty cell, read back as None.
    assert [value or "" for value in values[1 if title else 0 :][1:]] == expected
    for text, value in zip(texts, expected, strict=True):
        assert not ILLEGAL_CHARACTERS_RE.search(value)
        legal = ILLEGAL_CHARACTERS_RE.sub("", text)
        assert value in (legal, "'" + legal)


def test_vertical_tab_is_dropped_and_formulas_still_escaped():
    assert _read_back([["甲村\x0b三组"], ["=1+1\x00"]])[1:] == ["甲村三组", "'=1+1"]


@pytest.fixture
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_stored_control_character_does_not_break_the_exports(cast, client_for, _fresh_cache):
    """Records written before input was checked (imports, old versions) still export."""
    from anjian.operations import services
    from anjian.registry.models import Enterprise

    Enterprise.objects.filter(pk=cast.enterprise_a.pk).update(address="甲镇\x0b工业路1号")
    services.submit_tip(data={"content": "油漆\x0b堆放", "territory": cast.village_a, "contact_phone": "138"})
    client = client_for(cast.office)
    for url in ("/registry/enterprises/?export=xlsx", "/operations/tips/?export=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert any("甲镇工业路1号" in c or "油漆堆放" in c for c in cells), url


@pytest.mark.django_db
def test_public_tip_with_a_control_character_is_refused(cast, _fresh_cache):
    from anjian.operations.models import Tip

    data = {
        "kind": "general_hazard",
        "content": "仓库里堆放了大量油漆，\r\n没有灭火器。",
        "territory": cast.village_a.pk,
        "address": "甲村\x0b三组",
        "contact_name": "张三",
        "contact_phone": "13800000000",
    }
    response = Client().post("/public/tip/", data, REMOTE_ADDR="10.0.0.31")
    assert response.status_code == 400
    assert "address" in response.context["form"].errors
    assert "content" not in response.context["form"].errors  # a textarea keeps its line breaks
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_api_refuses_control_characters(cast, api_for):
    api = api_for(cast.enterprise_a_user)
    url = f"/api/registry/enterprises/{cast.enterprise_a.pk}/"
    response = api.patch(url, {"address": "甲镇\x0b工业路"}, format="json")
    assert response.status_code == 400 and "address" in response.json()
    response = api.patch(url, {"address": "甲镇\n工业路"}, format="json")  # one line
    assert response.status_code == 400 and "address" in response.json()
    assert api.patch(url, {"address": "甲镇工业路2号"}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("multi_line", "text", "ok"),
    [
        (False, "甲村 三组", True),
        (False, "甲村\t三组", False),
        (False, "甲村\x0b三组", False),
        (False, "甲村\x85三组", False),
        (True, "第一行\r\n第二行\t缩进", True),
        (True, "第一行\x00", False),
        (True, "第一行\x1f", False),
        (True, "\ud800", False),
    ],
)
def test_no_control_characters_validator(multi_line, text, ok):
    from django.core.exceptions import ValidationError

    validator = NoControlCharacters(multi_line=multi_line)
    if ok:
        validator(text)
    else:
        with pytest.raises(ValidationError):
            validator(text)


@pytest.mark.django_db
def test_every_form_text_field_refuses_control_characters(cast):
    from django import forms

    from anjian.core.forms import ScopedModelForm, StyledForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import anjian.urls  # noqa: F401  (imports every app's forms through its views)

    checked = 0
    for form_class in {*subclasses(ScopedModelForm), *subclasses(StyledForm)}:
        if getattr(getattr(form_class, "_meta", None), "model", True) is None:
            continue
        form = None
        for kwargs in ({"user": cast.office}, {}):
            try:
                form = form_class(**kwargs)
                break
            except (TypeError, AttributeError, KeyError):  # needs other arguments (a record, a plan)
                continue
        if form is None:
            continue
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField):
                assert any(isinstance(v, NoControlCharacters) for v in field.validators), (form_class, name)
                checked += 1
    assert checked > 50


# --- absurd parameters -------------------------------------------------------------------------------------
ABSURD = ["-1.2e+68", "99999999999999999999999", "abc\x00"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/dashboard/summary/?year=8843796629", 400),
        ("/api/dashboard/summary/?quarter=-99999999999999999999", 400),  # as the page: no such period
        ("/api/operations/warning-notices/?warning=-1.2e%2B68", 400),
        ("/api/accidents/accidents/statistics/?territory=-4.2e%2B16", 400),
        ("/api/accidents/accidents/statistics/?territory=99999999999999999999999", 400),
        ("/api/hazards/hazards/criteria/?sector=abc", 400),
        ("/api/hazards/hazards/abc/available-actions/", 404),
        ("/api/hazards/hazards/99999999999999999999999/", 404),
        ("/api/core/territories/abc/", 404),
        ("/api/core/territories/?cursor=garbage", 404),
        ("/api/notifications/inbox/abc/", 404),
        ("/api/accidents/hops/abc/", 404),
    ],
)
def test_api_bad_parameters_are_client_errors(cast, api_for, url, expected):
    api = api_for(cast.office)
    api.raise_request_exception = False
    response = api.get(url)
    assert response.status_code == expected, response.content[:300]


@pytest.mark.django_db
def test_every_hazard_action_on_a_non_numeric_id_is_404(cast, api_for):
    from anjian.hazards import workflow

    api = api_for(cast.office)
    api.raise_request_exception = False
    for name in sorted({t.action for t in workflow.TRANSITIONS}):
        assert api.post(f"/api/hazards/hazards/abc/{name}/", {}, format="json").status_code == 404, name
        assert api.post(f"/api/hazards/hazards/1e9/{name}/", {}, format="json").status_code == 404, name


def _list_pages():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern), getattr(entry.callback, "view_class", None)

    return sorted(
        (f"/{url}", view)
        for url, view in walk(get_resolver())
        if view is not None and issubclass(view, ObjectListView) and "<" not in url
    )


# Pages outside the lists whose own query parameters are read by hand.
OTHER_PAGES = [
    "/accidents/statistics/?territory=-4.2e%2B16&start=99999-99-99",
    "/hazards/ledger/?territory=-4.2e%2B16&year=99999999999",
    "/enforcement/figures/?year=99999999999&territory=abc",
    "/operations/training/counts/?year=99999999999",
    "/operations/emergency/nearby/?lat=1e999&lng=-4.2e%2B16",
]
PAGE_PARAMETER_FAULTS = [
    # Page views that read their own query parameters: an overflowing year, a territory id that is no id.
    "/dashboard/?year=99999999999",
    "/registry/riskmap/?territory=-4.2e%2B16",
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "view"), _list_pages(), ids=lambda v: v if isinstance(v, str) else "")
def test_list_pages_survive_absurd_filter_values(cast, url, view):
    names = [
        "cursor",
        "page",
        "territory",
        "year",
        *(view.filterset_class.base_filters if view.filterset_class else []),
    ]
    client = Client(raise_request_exception=False)
    client.force_login(cast.office)
    failures = [
        (name, value)
        for name in names
        for value in ABSURD
        if client.get(url, {name: value}).status_code >= 500
    ]
    assert not failures


@pytest.mark.django_db
@pytest.mark.parametrize("url", OTHER_PAGES)
def test_other_pages_survive_absurd_parameters(cast, url):
    client = Client(raise_request_exception=False)
    client.force_login(cast.office)
    assert client.get(url).status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGE_PARAMETER_FAULTS)
def test_page_parameters_out_of_range_are_no_server_error(cast, url):
    client = Client(raise_request_exception=False)
    client.force_login(cast.office)
    assert client.get(url).status_code < 500
