"""What keeps a list page's Python time small: filter widgets written without templates (same markup as Django's
templates), filter choices from a cache that forgets on change, rows and cards written in one go."""

import pytest
from django import forms

from anjian.core.filters import (
    FilterChipCheckboxes,
    FilterChipRadios,
    FilterSelect,
    FilterYesNoSelect,
    OrganisationFilter,
    cached_choices,
)
from anjian.core.forms import ChipCheckboxes, ChipRadios, YesNoAllSelect
from anjian.core.models import Sector
from anjian.core.tables import Card, Cells, Column

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
