"""What keeps a list page's Python time small: filter widgets written without templates (same markup as Django's
templates), filter choices from a cache that forgets on change, rows, cards and the menu written in one go, record
addresses and escaping without Django's per-call overhead (same results)."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.filters import (
    FilterChipCheckboxes,
    FilterChipRadios,
    FilterSelect,
    FilterYesNoSelect,
    OrganisationFilter,
    cached_choices,
)
from anjian.core.forms import ChipCheckboxes, ChipRadios, YesNoAllSelect
from anjian.core.markup import esc
from anjian.core.models import Sector
from anjian.core.navigation import Menu, menu_for
from anjian.core.reversing import named_url, object_url
from anjian.core.tables import Card, Cards, Cells, Column, TableRows

CHOICES = [("", "全部"), ("a", "甲 & <乙>"), ("b", '丙"丁'), (3, "三")]


@pytest.mark.parametrize("value", [None, "", "a", "b", "3", ["a", "3"]])
def test_filter_select_writes_what_djangos_template_writes(value):
    attrs = {"class": "form-select", "id": "id_x", "data-flag": True, "hidden-no": False}
    single = None if isinstance(value, list) else value
    assert FilterSelect(attrs=attrs, choices=CHOICES).render("x", single) == forms.Select(
        attrs=attrs, choices=CHOICES
    ).render("x", single)


@pytest.mark.parametrize("value", [None, "", "true", "false", True, False])
def test_yes_no_select_writes_what_djangos_template_writes(value):
    assert FilterYesNoSelect().render("y", value, {"id": "id_y"}) == YesNoAllSelect().render(
        "y", value, {"id": "id_y"}
    )


@pytest.mark.parametrize(
    ("fast", "templated", "value"),
    [
        (FilterChipCheckboxes, ChipCheckboxes, ["a", "3"]),
        (FilterChipCheckboxes, ChipCheckboxes, None),
        (FilterChipRadios, ChipRadios, "b"),
        (FilterChipRadios, ChipRadios, None),
    ],
)
def test_chips_write_what_the_chip_templates_write(fast, templated, value):
    def html(widget_class):
        # The templates put a line break after each chip; the page does not depend on it.
        return widget_class(choices=CHOICES).render("s", value, {"id": "id_s"}).replace("\n", "")

    assert html(fast) == html(templated)


def test_filter_choices_come_from_the_cache_and_are_forgotten_on_change(db, django_assert_num_queries):
    field = forms.ModelChoiceField(queryset=Sector.objects.filter(is_active=True))
    first = cached_choices(field)
    with django_assert_num_queries(0):
        assert cached_choices(field) == first
    sector = Sector.objects.create(code="perf-test", name="测试行业")
    assert (sector.pk, "测试行业") in cached_choices(field)
    sector.name = "改名行业"
    sector.save()
    assert (sector.pk, "改名行业") in cached_choices(field)
    sector.delete()
    assert sector.name not in dict(cached_choices(field)).values()


def test_filter_form_draws_choices_without_a_query_once_cached(cast, rf, django_assert_num_queries):
    from anjian.core.tests.test_lists import request_for

    request = request_for(rf, cast.office)
    str(OrganisationFilter(None, request=request).form)  # fills the cache
    with django_assert_num_queries(0):
        html = str(OrganisationFilter(None, request=request).form)
    assert cast.hazchem.name in html and "全部" in html


def test_cells_and_cards_are_escaped_html():
    cells = Cells(["<b>", Column("x", "x").html(type("O", (), {"x": "<i>"})())])
    assert str(cells) == "<td>&lt;b&gt;</td><td>&lt;i&gt;</td>"
    card = Card(
        title="<a>", status="", unit="单位<", details=[("标签", "值&")], deadline="", deadline_label=""
    )
    html = str(card)
    assert (
        "&lt;a&gt;" in html
        and "单位&lt;" in html
        and "值&amp;" in html
        and 'data-testid="object-card"' in html
    )


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.dates()))
def test_esc_escapes_as_django_does(value):
    assert esc(value) == conditional_escape(value)


@pytest.mark.parametrize(
    "value", [mark_safe("<b>ok</b>"), Decimal("1.50"), None, True, datetime.date(2026, 1, 2)]
)
def test_esc_keeps_safe_html_and_writes_other_values_as_django_does(value):
    assert esc(value) == conditional_escape(value)


@pytest.mark.parametrize(
    ("name", "pk"),
    [("hazards:hazard_detail", 1), ("hazards:hazard_detail", 98765), ("registry:enterprise_detail", 7)],
)
def test_object_url_is_the_reversed_address(name, pk):
    assert object_url(name, pk) == reverse(name, args=[pk])


def test_named_url_is_the_reversed_address_or_none():
    assert named_url("hazards:hazard_list") == reverse("hazards:hazard_list")
    assert named_url("no:such_page") is None


def test_object_url_follows_the_script_prefix():
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/anjian/")
        assert object_url("hazards:hazard_detail", 5) == reverse("hazards:hazard_detail", args=[5])
        assert object_url("hazards:hazard_detail", 5).startswith("/anjian/")
        assert named_url("hazards:hazard_list") == "/anjian/hazards/"
    finally:
        set_script_prefix("/")


def test_rows_and_cards_write_what_the_loops_wrote():
    rows = TableRows([(None, Cells(["a<", "b"])), (None, Cells(["c"]))])
    looped = Template(
        '{% for obj, cells in rows %}<tr><td class="text-muted small">{{ forloop.counter }}</td>{{ cells }}</tr>'
        "{% endfor %}"
    ).render(Context({"rows": list(rows)}))
    assert Template("{{ rows }}").render(Context({"rows": rows})) == looped
    assert [cells for _obj, cells in rows] == [["a<", "b"], ["c"]]  # templates may still loop over the pairs
    cards = Cards([Card(title="甲"), Card(title="<乙>")])
    assert Template("{{ cards }}").render(Context({"cards": cards})) == "".join(str(c) for c in cards)
    assert Template("{{ rows }}{{ cards }}").render(Context({"rows": TableRows(), "cards": Cards()})) == ""


def test_menu_writes_what_the_menu_loop_wrote(cast):
    menu = menu_for(cast.office)
    looped = Template(
        "{% for group in menu %}"
        '<li class="nav-item dropdown">'
        '<a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" '
        'aria-expanded="false">{{ group.label }}</a><ul class="dropdown-menu">'
        '{% for item in group.items %}<li><a class="dropdown-item" href="{{ item.url }}">'
        '<i class="bi bi-{{ item.icon }}"></i> {{ item.label }}</a></li>{% endfor %}'
        "</ul></li>{% endfor %}"
    ).render(Context({"menu": list(menu)}))
    assert menu and Template("{{ menu }}").render(Context({"menu": menu})) == looped
    assert str(Menu()) == ""
