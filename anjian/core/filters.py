"""FilterSets shared by pages and API.

A list page at province scale (millions of rows) stays fast when every filter is cheap twice over: in the
database (no join or DISTINCT a filter does not need; see SearchFilterMixin) and in Python (the filter form is
drawn on every page: its choices come from a cache and its drop-downs and chips are written without a template
per option).
"""

import contextlib
import hashlib
from dataclasses import replace

import django_filters
from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import mark_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .forms import ChipCheckboxes, ChipRadios, ChipsMixin, YesNoAllSelect
from .markup import esc
from .models import AuditEntry, Organisation, OrganisationKind, Sector, Territory, TerritoryKind, User
from .pagination import within_budget
from .roles import Role
from .scope import restrict, scope_for, scope_q
from .search import contains_q, index_first

ALL = "全部"
# A single-choice status with at most this many values is shown as chips; longer lists stay a drop-down.
MAX_CHIPS = 8


MAX_ID = 2**63 - 1  # the largest value of a 64-bit id column


class IdFilter(django_filters.NumberFilter):
    """A record's id (e.g. the hidden `enterprise` of a unit's links): a whole number a 64-bit column holds.

    A plain NumberFilter accepts "-1.2e+68", which the database driver cannot convert (OverflowError, 500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """Every filter form speaks the user's language: "全部" rather than "---------", 全部/是/否 for yes-no
    filters, statuses as toggle chips, dates with the browser's date picker, Bootstrap styling."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            self.adjust_form(form)
            plain_language(form)
        return self._form

    def adjust_form(self, form) -> None:
        """Change the form's fields before they get their widgets (a hook for the mixins)."""


def is_status(name: str, field) -> bool:
    return name in ("status", "stage") or str(field.label or "").endswith(("状态", "阶段"))


def plain_language(form) -> None:
    for name, field in form.fields.items():
        if isinstance(field, forms.NullBooleanField):
            field.widget = FilterYesNoSelect()
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            if is_status(name, field):
                field.widget = FilterChipCheckboxes(choices=field.choices)
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = ALL
            choices = cached_choices(field, getattr(field, "shown_queryset", None))
            if choices is not None and hasattr(field, "shown_queryset"):
                choices = with_chosen(form, name, field, choices)
            if choices is not None and type(field.widget) is forms.Select:
                field.widget = FilterSelect(attrs=field.widget.attrs, choices=[("", ALL), *choices])
        elif isinstance(field, forms.ChoiceField) and hasattr(field, "empty_label"):
            field.empty_label = ALL
            # The form's copy of the widget still iterates the declared field's choices: point it at this one.
            field.widget.choices = field.choices
            if is_status(name, field) and len(field.choices) <= MAX_CHIPS + 1:
                field.widget = FilterChipRadios(choices=field.choices)
            elif type(field.widget) is forms.Select:
                field.widget = FilterSelect(attrs=field.widget.attrs, choices=field.choices)
        elif isinstance(field, forms.DateField):
            field.widget.input_type = "date"
        widget = field.widget
        if isinstance(widget, ChipsMixin) or widget.is_hidden:
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


# --- filter widgets without a template per option ---------------------------------------------------------
# Django draws every <option> and every chip through its own template; a list page's filter form holds a few
# hundred of them, which cost more than the rest of the page. These write the same markup in Python.


def _has_groups(choices) -> bool:
    return any(isinstance(label, list | tuple) for _value, label in choices)


def _attrs(attrs: dict) -> str:
    """Django's attrs.html: in order, True as a bare name, False left out."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class FilterSelect(forms.Select):
    """The markup of Django's select.html, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if _has_groups(choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        options = "".join(
            f'\n  <option value="{esc(v)}"{" selected" if v in selected else ""}>{esc(label)}</option>\n'
            for v, label in ((str(v), label) for v, label in choices)
        )
        attributes = _attrs(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{esc(name)}"{attributes}>{options}\n</select>')  # every part escaped


class FilterYesNoSelect(FilterSelect, YesNoAllSelect):
    """全部 / 是 / 否, as YesNoAllSelect, written without templates."""


class FastChipsMixin:
    """The markup of core/widgets/chips.html and chip.html, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if _has_groups(choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = esc(final_attrs.get("id", ""))
        selected = set(self.format_value(value))
        kind, name = esc(self.input_type), esc(name)
        chips = "".join(
            f'<input type="{kind}" class="btn-check" name="{name}" value="{esc(v)}" id="{chip_id}" '
            f'autocomplete="off"{" checked" if v in selected else ""}>'
            f'<label class="btn btn-sm btn-outline-primary chip" for="{chip_id}">{esc(label)}</label>'
            for v, label, chip_id in (
                (str(v), label, f"{base_id}_{index}" if base_id else "")
                for index, (v, label) in enumerate(choices)
            )
        )
        if base_id:
            return mark_safe(f'<div class="chips" id="{base_id}">{chips}</div>')  # every part escaped
        return mark_safe(f'<div class="chips">{chips}</div>')


class FilterChipCheckboxes(FastChipsMixin, ChipCheckboxes):
    pass


class FilterChipRadios(FastChipsMixin, ChipRadios):
    pass


# --- cached choices of reference data ----------------------------------------------------------------------
# Sectors, territories and departments change rarely but fill a drop-down on every list page. Their choices are
# cached per query (the user's scope is part of it), under a generation number that every save or delete of the
# model bumps. With the per-process memory cache another worker sees a change when the entry expires.
CACHED_CHOICE_MODELS = ("core.Sector", "core.Territory", "core.Organisation")
CHOICES_TIMEOUT = 300  # seconds


def _generation_key(label: str) -> str:
    return f"filter-choices-generation:{label}"


def with_chosen(form, name, field, choices: list) -> list:
    """`choices` with the chosen record added when the drop-down shows fewer records than the field accepts (a
    link may choose one of the others), so the form says what the page is filtered by."""
    value = form.data.get(name) if form.is_bound else None
    if not value or any(str(pk) == str(value) for pk, _label in choices):
        return choices
    try:
        chosen = field.queryset.filter(pk=value).first()
    except (TypeError, ValueError, ValidationError):
        return choices
    return [*choices, (chosen.pk, field.label_from_instance(chosen))] if chosen else choices


def cached_choices(field, queryset=None) -> list | None:
    """[(pk, label), …] of a ModelChoiceField over one of CACHED_CHOICE_MODELS (or of `queryset`, the part of it
    the drop-down shows), from the cache; else None."""
    queryset = field.queryset if queryset is None else queryset
    label = queryset.model._meta.label
    if label not in CACHED_CHOICE_MODELS:
        return None
    generation = cache.get_or_set(_generation_key(label), 0, None)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. a user without any scope: queryset.none()
        return []
    digest = hashlib.sha1(f"{sql}|{params}".encode()).hexdigest()
    key = f"filter-choices:{label}:{generation}:{digest}"
    choices = cache.get(key)
    if choices is None:
        choices = [(obj.pk, field.label_from_instance(obj)) for obj in queryset.all()]  # a fresh query
        cache.set(key, choices, CHOICES_TIMEOUT)
    return choices


def forget_cached_choices(sender, **kwargs) -> None:
    label = sender._meta.label
    if label in CACHED_CHOICE_MODELS:
        with contextlib.suppress(ValueError):  # never cached yet (or expired): nothing to forget
            cache.incr(_generation_key(label))


post_save.connect(forget_cached_choices, dispatch_uid="anjian.filters.forget_choices.save")
post_delete.connect(forget_cached_choices, dispatch_uid="anjian.filters.forget_choices.delete")


class TerritoryFilterMixin(FilterSet):
    """`territory`: a node; matches records in its whole subtree (uses the copied territory_path)."""

    territory = django_filters.ModelChoiceFilter(
        label="区划（含下级）", queryset=Territory.objects.none(), method="filter_territory"
    )
    territory_path_field = "territory_path"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self._territory_choices = None
        if "territory" in self.filters:
            self.filters["territory"].queryset = restrict(Territory.objects.filter(depth__lte=4), user)
            # The drop-down lists three levels below the user (a province user: cities, counties and towns,
            # ~1,600 rather than ~13,000 entries and 500 KB per page); deeper ones are still accepted from links.
            own = getattr(getattr(user, "territory", None), "depth", None)
            if own is not None and own + 3 < 4:
                self._territory_choices = restrict(Territory.objects.filter(depth__lte=own + 3), user)

    def adjust_form(self, form) -> None:
        super().adjust_form(form)
        if self._territory_choices is not None and "territory" in form.fields:
            form.fields["territory"].shown_queryset = self._territory_choices

    @extend_schema_field(OpenApiTypes.INT)  # a territory id
    def filter_territory(self, queryset, name, value):
        return queryset.filter(**{f"{self.territory_path_field}__startswith": value.path})


# A search of a related record's fields (e.g. "enterprise__name") looks up the matching related ids first, so the
# list is filtered by its own indexed foreign key instead of being joined to the related table on every row. Past
# this many matches the word is common among the related names, and it is checked over the join instead.
MAX_RELATED_SEARCH_IDS = 1000
# How long the related lookup may take on PostgreSQL (through the search indexes); past it the word is common among
# the related names, and the join below serves it better.
RELATED_SEARCH_BUDGET_MS = 50


def matching_ids_in_time(using: str, lookup):
    """lookup() through the search indexes (core.search.index_first): a hazard's search word is mostly absent
    from unit names, and reading the names one by one would read all the units in the user's territory (100 ms and
    more at province level). On PostgreSQL within RELATED_SEARCH_BUDGET_MS, else None."""
    if connections[using].vendor != "postgresql":
        return lookup()
    with index_first():
        return within_budget(using, RELATED_SEARCH_BUDGET_MS, lookup)


class SearchFilterMixin(FilterSet):
    """`q`: rows where any of `search_fields` contains the text (case-insensitive). On PostgreSQL the big tables
    carry trigram indexes on these fields (hazards 0010, registry 0004)."""

    q = django_filters.CharFilter(label="搜索", method="filter_search")
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        related: dict[str, list[str]] = {}
        for field in self.search_fields:
            head, _, rest = field.partition("__")
            if rest and "__" not in rest and queryset.model._meta.get_field(head).many_to_one:
                related.setdefault(head, []).append(rest)
            else:
                q |= contains_q(queryset.model, field, value)
        for head, fields in related.items():
            q |= related_search_q(queryset.model, head, fields, value, getattr(self.request, "user", None))
        return queryset.filter(q)


def related_search_q(model, fk_name: str, fields: list[str], value: str, user=None) -> Q:
    """Rows whose `fk_name` points to a record with `value` in one of `fields`: by the ids of the matching
    records (up to MAX_RELATED_SEARCH_IDS; more, and the name is checked over the join). With `user`, only
    related records in the user's territory (or their own unit) are looked at: a town's units, not a province's
    million."""
    fk = model._meta.get_field(fk_name)
    match = Q()
    for field in fields:
        match |= contains_q(fk.related_model, field, value)
    related = fk.related_model._default_manager.filter(match)
    if user is not None:
        # The user's territory (or own unit) only, not their sectors: a hazard in a department's sectors may
        # belong to a unit registered under other sectors.
        in_scope = scope_q(fk.related_model, replace(scope_for(user), sector_ids=None))
        if in_scope is not None:
            related = related.filter(in_scope)
    matching = related.order_by().values_list("pk", flat=True)
    ids = matching_ids_in_time(related.db, lambda: list(matching[: MAX_RELATED_SEARCH_IDS + 1]))
    if ids is None or len(ids) > MAX_RELATED_SEARCH_IDS:
        # A name common in the user's territory (or too common to list in time): checked on each row through the
        # join, so that the newest rows are read first and matches found at once. Collecting all the matching
        # ids first would read most of the related table on every request.
        joined = Q()
        for field in fields:
            joined |= contains_q(fk.related_model, field, value, through=fk_name)
        return joined
    return Q(**{f"{fk.attname}__in": ids}) if ids else Q(pk__in=[])


class TerritoryFilter(SearchFilterMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=TerritoryKind.choices)
    within = django_filters.ModelChoiceFilter(
        label="上级区划（含下级）", queryset=Territory.objects.filter(depth__lte=3), method="filter_within"
    )
    search_fields = ("name", "code")

    class Meta:
        model = Territory
        fields = ["q", "kind", "within"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["within"].queryset = restrict(
            Territory.objects.filter(depth__lte=3), getattr(request, "user", None)
        )

    @extend_schema_field(OpenApiTypes.INT)  # a territory id
    def filter_within(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)


class OrganisationFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类型", choices=OrganisationKind.choices)
    sector = django_filters.ModelChoiceFilter(
        label="监管行业", queryset=Sector.objects.all(), field_name="sectors"
    )
    search_fields = ("name", "short_name")

    class Meta:
        model = Organisation
        fields = ["q", "kind", "territory", "sector"]


class SectorFilter(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Sector
        fields = ["q", "is_active"]


class UserFilter(SearchFilterMixin, TerritoryFilterMixin):
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices)
    is_active = django_filters.BooleanFilter(label="启用")
    search_fields = ("username", "name", "phone")

    class Meta:
        model = User
        fields = ["q", "role", "territory", "is_active"]


class AuditFilter(SearchFilterMixin, django_filters.FilterSet):
    actor = django_filters.CharFilter(label="操作人", field_name="actor_name", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作", field_name="action", lookup_expr="startswith")
    since = django_filters.DateFilter(label="起始日期", field_name="timestamp", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="截止日期", field_name="timestamp", lookup_expr="date__lte")
    search_fields = ("object_repr", "message", "request_id")

    class Meta:
        model = AuditEntry
        fields = ["q", "actor", "action", "since", "until"]
