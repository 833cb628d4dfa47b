"""Administrative boundaries from GeoJSON at any level: matching by code or name, clear Chinese errors for bad
files, the import command and upload page, and the map of a city or province user drawing its children."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from anjian.core.audit import history_for
from anjian.core.models import Organisation, OrganisationKind, Territory
from anjian.core.roles import Role
from anjian.core.testing import make_user
from anjian.dashboard.boundaries import BoundaryFileError, import_boundaries, map_root
from anjian.dashboard.demo import DATA, FILES
from anjian.dashboard.models import TerritoryBoundary

pytestmark = pytest.mark.django_db


def square(x, y, size=0.1):
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def collection(*features):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
        },
        ensure_ascii=False,
    ).encode()


@pytest.fixture
def upper(cast):
    city = Territory.objects.get(code="990100")
    province = Territory.objects.get(code="990000")
    city_org = Organisation.objects.create(name="测试市安委办", kind=OrganisationKind.OFFICE, territory=city)
    prov_org = Organisation.objects.create(
        name="测试省安委办", kind=OrganisationKind.OFFICE, territory=province
    )
    return {
        "city": city,
        "province": province,
        "city_office": make_user("city_office", Role.OFFICE, city, city_org),
        "province_leader": make_user("province_leader", Role.LEADER, province, prov_org),
    }


def test_features_match_by_code_by_long_code_and_by_name(cast):
    report = import_boundaries(
        collection(
            ({"adcode": "990102", "name": "x"}, square(113.0, 23.0)),
            ({"adcode": "990103000000", "name": "y"}, square(113.2, 23.0)),  # 12-digit statistical code
        ),
        level="county",
        code_property="adcode",
        source="counties.geojson",
    )
    assert {t.code for t in report.imported} == {"990102", "990103"} and not report.unmatched
    by_name = import_boundaries(
        collection(({"NAME": "甲镇"}, square(113.0, 23.0, 0.05))), level="town", name_property="NAME"
    )
    assert [t.name for t in by_name.imported] == ["甲镇"]
    boundary = TerritoryBoundary.objects.get(territory__code="990102")
    assert boundary.geometry["type"] == "Polygon" and boundary.source == "counties.geojson"
    assert boundary.territory_path == cast.district.path
    west, south = 113.0, 23.0
    assert west < boundary.centre[0] < west + 0.1 and south < boundary.centre[1] < south + 0.1
    entry = next(e for e in history_for(boundary) if e.action == "boundary.imported")
    assert "counties.geojson" in entry.message and "geometry" not in entry.changes


def test_reimport_replaces_and_unknown_features_are_reported(cast):
    import_boundaries(collection(({"code": "990102101"}, square(113.0, 23.0))), level="town")
    report = import_boundaries(
        collection(
            ({"code": "990102101"}, square(114.0, 24.0)),
            ({"code": "990102999", "name": "不存在镇"}, square(113.0, 23.0)),
            ({"code": "990199"}, square(113.0, 23.0)),
        ),
        level="town",
    )
    assert [t.code for t in report.imported] == ["990102101"]
    assert TerritoryBoundary.objects.filter(territory__code="990102101").count() == 1
    assert TerritoryBoundary.objects.get(territory__code="990102101").geometry["coordinates"][0][0] == [
        114.0,
        24.0,
    ]
    assert report.unmatched == [
        "要素 2（名称 不存在镇，代码 990102999）：未匹配到区划",
        "要素 3（代码 990199）：未匹配到区划",
    ]
    assert "2 个要素未匹配到区划" in report.summary()


def test_a_name_shared_by_two_territories_is_not_guessed(cast):
    Territory.objects.create(name="甲镇", kind="town", parent=cast.other_district, code="990103101")
    report = import_boundaries(collection(({"name": "甲镇"}, square(113.0, 23.0))), level="town")
    assert not report.imported and "名称对应多个区划" in report.unmatched[0]
    narrowed = import_boundaries(
        collection(({"name": "甲镇"}, square(113.0, 23.0))), level="town", parent=cast.district
    )
    assert [t.pk for t in narrowed.imported] == [cast.town_a.pk]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not json at all", "不是有效的 GeoJSON"),
        (b"\xff\xfe\x00", "不是有效的 GeoJSON"),
        (b'{"type": "Topology", "objects": {}}', "FeatureCollection"),
        (b"[1, 2]", "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "没有任何要素"),
        (collection(({"code": "990102101"}, {"type": "Point", "coordinates": [113.0, 23.0]})), "Point"),
        (collection(({"code": "990102101"}, None)), "没有几何图形"),
        (collection(({"code": "990102101"}, square(12_600_000, 2_650_000, 1000))), "不是经纬度"),
        (
            collection(
                (
                    {"code": "990102101"},
                    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
                )
            ),
            "几何图形无效",
        ),
        (
            collection(({"code": "990102101"}, {"type": "Polygon", "coordinates": [[[0, "a"]]]})),
            "坐标格式错误",
        ),
        (
            collection(({"code": "990102101"}, square(113.0, 23.0)), ({"name": "甲镇"}, square(113.0, 23.0))),
            "同一区划",
        ),
    ],
)
def test_bad_files_are_rejected_whole_with_a_chinese_reason(cast, content, message):
    import_boundaries(collection(({"code": "990102102"}, square(113.0, 23.0))), level="town")
    with pytest.raises(BoundaryFileError) as exc:
        import_boundaries(content, level="town")
    assert message in str(exc.value)
    assert TerritoryBoundary.objects.count() == 1  # nothing lost, nothing half-imported


def test_unknown_level(cast):
    with pytest.raises(BoundaryFileError, match="未知的区划层级"):
        import_boundaries(collection(({"code": "990102"}, square(113.0, 23.0))), level="planet")


def test_command_imports_and_reports(cast, tmp_path):
    path = tmp_path / "towns.geojson"
    path.write_bytes(
        collection(({"code": "990102101"}, square(113.0, 23.0)), ({"code": "990102555"}, square(113.1, 23.0)))
    )
    out, err = StringIO(), StringIO()
    call_command("import_boundaries", str(path), "--level", "town", stdout=out, stderr=err)
    assert "已导入 1 个区划的边界" in out.getvalue() and "要素 2（代码 990102555）" in err.getvalue()
    bad = tmp_path / "bad.geojson"
    bad.write_text("<kml/>")
    with pytest.raises(CommandError, match="不是有效的 GeoJSON"):
        call_command("import_boundaries", str(bad), "--level", "town")
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_boundaries", str(tmp_path / "missing.geojson"), "--level", "town")
    with pytest.raises(CommandError, match="没有任何要素匹配"):
        call_command("import_boundaries", str(path), "--level", "county")


def test_demo_boundaries_cover_every_level_of_the_demo(cast):
    for name, level in FILES:
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert data["type"] == "FeatureCollection" and data["features"]
        import_boundaries((DATA / name).read_bytes(), level=level)
    # The cast's province, city and district share the demo's codes: each level has its children drawn.
    assert map_root(Territory.objects.get(code="990000")).code == "990000"
    assert map_root(Territory.objects.get(code="990100")).code == "990100"
    assert map_root(cast.district) == cast.district
    assert map_root(cast.town_a) == cast.district  # no village boundaries: the town is shown in its county


# --- pages ------------------------------------------------------------------------------------------------------
def _import_demo():
    for name, level in FILES:
        import_boundaries((DATA / name).read_bytes(), level=level)


def test_city_and_province_maps_draw_their_children(upper, cast, client_for):
    from django.utils import timezone

    from anjian.assessment.tests import factories as f

    _import_demo()
    f.hazard(cast, cast.enterprise_a, timezone.localdate(), status="rectifying")
    city = client_for(upper["city_office"])
    page = city.get("/dashboard/map/").content.decode()
    assert f"boundaries.geojson?territory={upper['city'].pk}" in page and "按县（区）" in page
    geo = city.get(f"/dashboard/map/boundaries.geojson?territory={upper['city'].pk}").json()
    assert [feat["properties"]["name"] for feat in geo["features"]] == ["测试区"]
    data = city.get(f"/dashboard/map/data.json?territory={upper['city'].pk}").json()
    assert data["towns"][0]["name"] == "测试区" and data["towns"][0]["open"] == 1
    assert data["clusters"] == [
        {"code": "990102", "count": 2, "risks": {"未评定": 2}, "open": 1, "overdue": 0}
    ]
    province = client_for(upper["province_leader"])
    geo = province.get("/dashboard/map/boundaries.geojson").json()
    assert [feat["properties"]["code"] for feat in geo["features"]] == ["990100"]
    assert "按市" in province.get("/dashboard/map/").content.decode()
    # The county office still sees its towns, a town user its county with its own town highlighted.
    county = client_for(cast.office).get("/dashboard/map/").content.decode()
    assert "按镇街" in county
    town = client_for(cast.town_a_user).get("/dashboard/map/").content.decode()
    assert 'data-highlight="甲镇"' in town
    # A territory outside the user's scope is refused.
    assert client_for(cast.office).get(f"/dashboard/map/?territory={upper['city'].pk}").status_code == 404


def test_dashboard_of_city_and_province_rolls_up_children(upper, cast, client_for):
    response = client_for(upper["city_office"]).get("/dashboard/")
    assert [row["territory"].name for row in response.context["towns"]] == ["测试区", "邻区"]
    assert "按县（区）统计" in response.content.decode()
    assert f"/dashboard/map/?territory={upper['city'].pk}" in response.content.decode()
    drill = client_for(upper["province_leader"]).get("/dashboard/", {"territory": cast.district.pk})
    names = [t.name for t in drill.context["territories"]]
    assert names[:3] == ["测试省", "测试市", "测试区"] and {"甲镇", "乙镇"} <= set(names)


def test_upload_page(upper, cast, client_for):
    url = "/dashboard/map/boundaries/import/"
    assert client_for(cast.inspector).get(url).status_code == 403
    assert client_for(cast.leader).get(url).status_code == 403
    assert client_for(cast.sys_admin).get(url).status_code == 403  # administrators use the command
    client = client_for(cast.office)
    assert client.get(url).status_code == 200

    def upload(content, level="town"):
        return client.post(
            url,
            {
                "file": SimpleUploadedFile("towns.geojson", content),
                "level": level,
                "code_property": "code",
                "name_property": "name",
            },
        )

    bad = upload(b"{oops")
    assert bad.status_code == 400 and "不是有效的 GeoJSON" in bad.content.decode()
    # A county office cannot overwrite the boundaries of another county (matched only in its own area).
    outside = upload(collection(({"code": "990103"}, square(113.0, 23.0))), level="county")
    assert outside.status_code == 400 and "没有任何要素匹配到本辖区" in outside.content.decode()
    assert not TerritoryBoundary.objects.exists()
    done = upload((DATA / "990102-towns.geojson").read_bytes())
    assert done.status_code == 302
    assert set(TerritoryBoundary.objects.values_list("territory__name", flat=True)) == {"甲镇", "乙镇"}
    entry = next(e for e in history_for(TerritoryBoundary.objects.first()) if e.action == "boundary.imported")
    assert entry.actor == cast.office


def test_bulletins_of_province_and_city_roll_up_their_children(upper, cast):
    from django.utils import timezone

    from anjian.assessment import bulletins
    from anjian.assessment.periods import Period
    from anjian.assessment.tests import factories as f

    f.hazard(cast, cast.enterprise_a, timezone.localdate(), status="rectifying")
    period = Period.year(timezone.localdate().year)
    city = bulletins.create_draft(upper["city"], period, upper["city_office"])
    assert [t["name"] for t in city.data["towns"]] == ["测试区", "邻区"]
    assert city.data["towns"][0]["hazards"]["found"] == 1 and city.data["hazards"]["found"] == 1
    assert city.title.startswith(f"关于{period.label}全市") and city.recipient.startswith("各县（市、区）")
    province = bulletins.create_draft(upper["province"], period, upper["province_leader"])
    assert [t["name"] for t in province.data["towns"]] == ["测试市"]
    assert "全省" in province.title and province.recipient.startswith("各市（州）")
