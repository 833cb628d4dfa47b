"""The administrative tree (province → city → county → town/street/park → village/community → grid), the
government bodies at each level and their staff accounts."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ..models import Organisation, Sector, Territory, User
from ..roles import Role
from . import names
from .loader import CopyTable, next_id

PROVINCE_CODE = (
    "990000"  # not a real province (GB/T 2260 has no 99): the generated data can never be mistaken
)
PROVINCE_NAME = "华安省"


@dataclass
class Node:
    id: int
    code: str | None
    name: str
    kind: str
    parent: "Node | None"
    path: str
    city: "Node | None" = None
    county: "Node | None" = None
    town: "Node | None" = None
    weight: float = 1.0  # share of units, multiplied down the tree
    mountain: bool = False  # county: mines are concentrated here
    park: bool = False  # in a chemical park: 危化 units are concentrated here
    children: list = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1


@dataclass
class Tree:
    province: Node
    cities: list
    counties: list
    towns: list  # towns, streets and parks
    villages: list
    grids: list
    nodes: list
    offices: dict = field(default_factory=dict)  # territory id -> 安委办 (or town government) organisation id
    departments: dict = field(default_factory=dict)  # (territory id, sector id) -> department organisation id
    department_names: dict = field(default_factory=dict)  # organisation id -> name
    node_departments: dict = field(default_factory=dict)  # territory id -> [(organisation id, slug)]
    office_users: dict = field(default_factory=dict)  # territory id -> user id (安委办 or town staff)
    inspector_users: dict = field(default_factory=dict)  # department organisation id -> user id
    grid_users: dict = field(default_factory=dict)  # grid id -> user id
    usernames: dict = field(default_factory=dict)  # label -> username, for the summary and the benchmarks


def _place_name(rng, used, suffix):
    for _ in range(50):
        name = rng.choice(names.PLACE_FIRST) + rng.choice(names.PLACE_SECOND) + suffix
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(names.PLACE_FIRST)}{len(used)}{suffix}"
    used.add(name)
    return name


def person_name(rng) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choices(names.GIVEN, k=rng.choice((1, 2))))


def build_tree(plan) -> Tree:
    rng = random.Random(plan.seed * 1000 + 1)
    ids = iter(range(next_id(Territory), 10**12))
    nodes = []

    def add(code, name, kind, parent, **extra):
        pk = next(ids)
        node = Node(pk, code, name, kind, parent, (parent.path if parent else "") + f"{pk}.", **extra)
        if parent:
            parent.children.append(node)
            node.city = parent if parent.kind == "city" else parent.city
            node.county = parent if parent.kind == "county" else parent.county
            node.town = parent if parent.kind in ("town", "street", "park") else parent.town
        nodes.append(node)
        return node

    province = add(PROVINCE_CODE, PROVINCE_NAME, "province", None)
    cities, counties, towns, villages, grids = [], [], [], [], []
    used = set()
    for c in range(plan.city_count):
        stem = names.CITY_STEMS[c % len(names.CITY_STEMS)]
        # The capital is the biggest; city sizes fall off like real provinces (a few big, a long tail).
        city = add(f"99{c + 1:02d}00", f"{stem}市", "city", province, weight=1.0 / (1 + c) ** 0.6)
        cities.append(city)
        county_total = plan.counties_in_city(c)
        chemical = rng.randrange(county_total)
        for k in range(county_total):
            is_district = k < max(1, county_total // 3)
            number = k + 1 if is_district else 21 + k
            county = add(
                f"99{c + 1:02d}{number:02d}",
                _place_name(rng, used, "区" if is_district else "县"),
                "county",
                city,
                weight=city.weight * rng.lognormvariate(0, 0.5) * (1.6 if is_district else 1.0),
                mountain=not is_district and rng.random() < 0.4,
            )
            counties.append(county)
            low, high = plan.towns_per_county
            seq = {"street": 0, "town": 100, "township": 200}
            for _ in range(rng.randint(low, high)):
                kind = "street" if is_district and rng.random() < 0.7 else "town"
                key = "township" if kind == "town" and rng.random() < 0.25 else kind
                seq[key] += 1
                town = add(
                    f"{county.code}{seq[key]:03d}",
                    _place_name(rng, used, {"street": "街道", "town": "镇", "township": "乡"}[key]),
                    kind,
                    county,
                    weight=county.weight * rng.lognormvariate(0, 0.6),
                    mountain=county.mountain,
                )
                towns.append(town)
                _add_villages(plan, rng, add, town, villages, grids, used)
            if k == chemical:
                # A chemical park (化工园区) per city: code 4xx (GB/T 10114), grids directly under it.
                park = add(
                    f"{county.code}401",
                    f"{county.name[:-1]}化工园区",
                    "park",
                    county,
                    weight=county.weight * 2.5,
                    park=True,
                )
                towns.append(park)
                for g in range(max(2, round(6 * plan.tree_factor**0.5))):
                    grids.append(
                        add(None, f"{park.name}第{g + 1}网格", "grid", park, weight=park.weight, park=True)
                    )
    return Tree(province, cities, counties, towns, villages, grids, nodes)


def _add_villages(plan, rng, add, town, villages, grids, used):
    low, high = plan.villages_per_town
    communities = villages_seq = 0
    for _ in range(rng.randint(low, high)):
        is_community = town.kind == "street" or rng.random() < 0.15
        if is_community:
            communities += 1
            code, kind, suffix = f"{town.code}{communities:03d}", "community", "社区"
        else:
            villages_seq += 1
            code, kind, suffix = f"{town.code}{200 + villages_seq:03d}", "village", "村"
        village = add(
            code, _place_name(rng, used, suffix), kind, town, weight=town.weight, mountain=town.mountain
        )
        villages.append(village)
        for g in range(rng.choice((1, 1, 2, 2, 3))):
            grids.append(
                add(
                    f"{village.code}{g + 1:03d}",
                    f"{village.name}第{g + 1}网格",
                    "grid",
                    village,
                    weight=village.weight * rng.lognormvariate(0, 0.4),
                    mountain=village.mountain,
                )
            )


def load_territories(tree: Tree) -> int:
    table = CopyTable(Territory, ["id", "code", "name", "kind", "parent_id", "path", "depth", "sort_order"])
    return table.load(
        (n.id, n.code, n.name, n.kind, n.parent.id if n.parent else None, n.path, n.depth, i)
        for i, n in enumerate(tree.nodes)
    )


def load_organisations(plan, tree: Tree, sector_ids: dict) -> int:
    """安委办 and the departments at province, city and county level (with the sectors each supervises:
    管行业必须管安全, 安全生产法 第三条), and the government of each town, street and park."""
    org_ids = iter(range(next_id(Organisation), 10**12))
    orgs, links = [], []
    for node in [tree.province, *tree.cities, *tree.counties]:
        office = next(org_ids)
        tree.offices[node.id] = office
        orgs.append((office, f"{node.name}安全生产委员会办公室", f"{node.name[:2]}安委办", "office", node, 0))
        for order, (suffix, slug, codes) in enumerate(names.DEPARTMENTS, start=1):
            if node.kind == "province":
                suffix = (
                    suffix.replace("局", "厅")
                    if slug in ("yingji", "zhujian", "jiaotong", "jiaoyu", "shuili")
                    else suffix
                )
            org = next(org_ids)
            name = f"{node.name}{suffix}"
            tree.department_names[org] = name
            tree.node_departments.setdefault(node.id, []).append((org, slug))
            orgs.append((org, name, f"{node.name[:2]}{suffix[:2]}", "department", node, order))
            for code in codes:
                if code in sector_ids:
                    tree.departments[(node.id, sector_ids[code])] = org
                    links.append((org, sector_ids[code]))
    for town in tree.towns:
        org = next(org_ids)
        tree.offices[town.id] = org
        label = "管委会" if town.kind == "park" else ("街道办事处" if town.kind == "street" else "人民政府")
        orgs.append((org, f"{town.name}{label}", town.name[:4], "local_government", town, 0))
    table = CopyTable(
        Organisation, ["id", "name", "short_name", "kind", "territory_id", "territory_path", "sort_order"]
    )
    count = table.load(
        (pk, name, short, kind, node.id, node.path, order) for pk, name, short, kind, node, order in orgs
    )
    through = Organisation.sectors.through
    link_ids = iter(range(next_id(through), 10**12))
    CopyTable(through, ["id", "organisation_id", "sector_id"]).load((next(link_ids), o, s) for o, s in links)
    return count


class UserRows:
    """Accounts with one known password (its hash computed once: hashing a million times would take hours)."""

    def __init__(self, plan):
        self.password = make_password(plan.password)
        self.now = timezone.now()
        self.ids = iter(range(next_id(User), 10**12))
        self.rows = []
        self.table = CopyTable(
            User,
            [
                "id",
                "password",
                "username",
                "name",
                "role",
                "organisation_id",
                "territory_id",
                "territory_path",
                "enterprise_id",
                "title",
                "password_changed_at",
                "date_joined",
            ],
        )

    def add(self, username, name, role, org, territory_id, path, enterprise_id=None, title="") -> int:
        pk = next(self.ids)
        self.rows.append(
            (
                pk,
                self.password,
                username,
                name,
                role,
                org,
                territory_id,
                path,
                enterprise_id,
                title,
                self.now,
                self.now,
            )
        )
        return pk

    def load(self) -> int:
        count = self.table.load(iter(self.rows))
        self.rows = []
        return count


def load_government_users(plan, tree: Tree) -> int:
    """Staff at every level: 安委办, a leader and an inspector per department from province to county; two staff per
    town, street and park; one 网格员 per grid. Usernames follow the territory code so a test can find them."""
    rng = random.Random(plan.seed * 1000 + 2)
    users = UserRows(plan)
    for node in [tree.province, *tree.cities, *tree.counties]:
        prefix = {"province": "sheng", "city": "shi", "county": "xian"}[node.kind] + (
            "" if node.kind == "province" else node.code
        )
        office = tree.offices[node.id]
        tree.office_users[node.id] = users.add(
            f"{prefix}_anweiban", person_name(rng), Role.OFFICE, office, node.id, node.path, title="科员"
        )
        users.add(
            f"{prefix}_lingdao", person_name(rng), Role.LEADER, office, node.id, node.path, title="副主任"
        )
        for org, slug in tree.node_departments[node.id]:
            tree.inspector_users[org] = users.add(
                f"{prefix}_{slug}",
                person_name(rng),
                Role.INSPECTOR,
                org,
                node.id,
                node.path,
                title="执法人员",
            )
    for town in tree.towns:
        org = tree.offices[town.id]
        tree.office_users[town.id] = users.add(
            f"zhen{town.code or town.id}_1",
            person_name(rng),
            Role.TOWN,
            org,
            town.id,
            town.path,
            title="安监员",
        )
        users.add(
            f"zhen{town.code or town.id}_2",
            person_name(rng),
            Role.TOWN,
            org,
            town.id,
            town.path,
            title="安监员",
        )
    for grid in tree.grids:
        org = tree.offices[grid.town.id]
        tree.grid_users[grid.id] = users.add(
            f"wangge{grid.code or grid.id}",
            person_name(rng),
            Role.GRID,
            org,
            grid.id,
            grid.path,
            title="网格员",
        )
    return users.load()


def sector_ids() -> dict:
    return dict(Sector.objects.values_list("code", "pk"))
