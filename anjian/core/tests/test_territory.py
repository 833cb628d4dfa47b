"""The territory tree: official code rules and subtree queries (the hottest query of the product)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.models import Territory, TerritoryKind
from anjian.core.territory_codes import validate_code
from anjian.registry.models import Enterprise

# (kind, code, parent kind, parent code, valid?)
CODE_CASES = [
    ("province", "990000", None, None, True),
    ("province", "990100", None, None, False),
    ("city", "990100", "province", "990000", True),
    ("city", "980100", "province", "990000", False),  # wrong province prefix
    ("county", "990102", "city", "990100", True),
    ("county", "990100", "city", "990100", False),  # county code cannot end in 00
    ("county", "99010", "city", "990100", False),  # five digits
    ("street", "990102001", "county", "990102", True),
    ("street", "990102101", "county", "990102", False),  # 1xx is a town, not a street (GB/T 10114)
    ("town", "990102101", "county", "990102", True),
    ("town", "990102201", "county", "990102", True),  # 乡 2xx
    ("town", "990102001", "county", "990102", False),
    ("town", "990103101", "county", "990102", False),  # not under its county
    ("park", "990102401", "county", "990102", True),
    ("park", "", "county", "990102", True),  # parks may have no official code
    ("town", "", "county", "990102", False),  # towns must have one
    ("village", "990102101201", "town", "990102101", True),
    ("village", "990102101000", "town", "990102101", False),
    ("community", "990102001001", "street", "990102001", True),
    ("grid", "990102101201001", "village", "990102101201", True),
    ("grid", "", "village", "990102101201", True),
    ("grid", "99010210120100A", "village", "990102101201", False),
]


@pytest.mark.parametrize(("kind", "code", "parent_kind", "parent_code", "valid"), CODE_CASES)
def test_code_rules(kind, code, parent_kind, parent_code, valid):
    errors = validate_code(kind, code, parent_kind, parent_code)
    assert (not errors) is valid, errors
    for error in errors:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error)  # the reason is in Chinese


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=999))
def test_any_village_under_its_town_is_valid(town, village):
    town_code = f"990102{100 + town % 100:03d}"
    if town_code.endswith("00"):
        town_code = town_code[:-1] + "1"
    code = f"{town_code}{village:03d}"
    assert validate_code("village", code, "town", town_code) == []
    # the same village put under another town is refused
    other = town_code[:-1] + ("2" if town_code[-1] != "2" else "3")
    assert validate_code("village", code, "town", other) != []


def test_subtree_uses_materialised_path(cast):
    district_nodes = set(Territory.objects.subtree(cast.district).values_list("name", flat=True))
    assert district_nodes == {"测试区", "甲镇", "乙镇", "甲村", "乙村", "甲村第1网格"}
    assert set(cast.town_a.descendants().values_list("name", flat=True)) == {"甲镇", "甲村", "甲村第1网格"}
    assert cast.town_a.descendants(include_self=False).count() == 2
    assert cast.grid_a.path.startswith(cast.town_a.path)
    assert cast.grid_a.depth == 5
    assert [t.name for t in cast.grid_a.ancestors()] == ["测试省", "测试市", "测试区", "甲镇", "甲村"]
    assert cast.town_a.contains(cast.grid_a) and not cast.town_b.contains(cast.grid_a)


def test_subtree_query_is_one_indexed_prefix_scan(cast, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        list(Territory.objects.subtree(cast.town_a))
    sql = captured.captured_queries[0]["sql"]
    assert "LIKE" in sql.upper() and "JOIN" not in sql.upper()


def test_scoped_records_copy_the_territory_path(cast):
    assert cast.enterprise_a.territory_path == cast.village_a.path
    assert cast.town_a_user.territory_path == cast.town_a.path


def test_moving_a_territory_re_roots_its_subtree_and_scoped_records(cast):
    cast.village_a.parent = cast.town_b
    cast.village_a.save()
    cast.grid_a.refresh_from_db()
    assert cast.grid_a.path.startswith(cast.town_b.path)
    enterprise = Enterprise.objects.get(pk=cast.enterprise_a.pk)
    assert enterprise.territory_path.startswith(cast.town_b.path)
    assert not Enterprise.objects.filter(territory_path__startswith=cast.town_a.path).exists()


def test_clean_refuses_kind_above_parent_and_cycles(cast):
    bad = Territory(code="990102101", name="错镇", kind=TerritoryKind.TOWN, parent=cast.village_a)
    with pytest.raises(Exception) as exc:
        bad.full_clean()
    assert "不能设在" in str(exc.value)
    cast.town_a.parent = cast.grid_a
    with pytest.raises(Exception) as exc:
        cast.town_a.clean()
    assert "不能是本区划或其下级" in str(exc.value)
