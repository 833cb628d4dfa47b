"""Generate a whole province: the order of the stages, the index and constraint handling around the big tables,
and the counters, sequences and statistics that must agree with the loaded rows afterwards."""

import time

from django.apps import apps
from django.db import connection

from ..models import DocumentCounter, Organisation, Territory, User
from . import activity, hazards, loader, tree, units


class GeneratorRefused(Exception):
    """The database is not one the generator may fill (message in Chinese, for the operator)."""


BIG_TABLES = (
    ("registry", "Enterprise"),
    ("registry", "RiskPoint"),
    ("hazards", "Hazard"),
    ("hazards", "HazardSupervision"),
    ("inspections", "Inspection"),
    ("enforcement", "Case"),
    ("accidents", "Accident"),
)


def check_database(reset: bool) -> None:
    if connection.vendor != "postgresql":
        raise GeneratorRefused(
            f"generate_province 只能在 PostgreSQL 上运行（当前数据库为 {connection.vendor}）：百万级数据用 COPY 装入，"
            "SQLite 不支持。请设置 DATABASE_URL=postgres://… 后重试。"
        )
    if Territory.objects.exists() and not reset:
        raise GeneratorRefused(
            "数据库中已有行政区划数据。生成全省数据需要空库；如确认清空现有业务数据，请加 --reset。"
        )


def wipe() -> None:
    """Every business table goes (TRUNCATE cascades from the territory tree to all that hangs from it); reference
    data (sectors, judging criteria, provisions) and the audit trail stay."""
    with connection.cursor() as cursor:
        # Inside a transaction (tests), deferred constraint checks of earlier writes must run before TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'TRUNCATE "{Territory._meta.db_table}" RESTART IDENTITY CASCADE')
        cursor.execute(f'TRUNCATE "{DocumentCounter._meta.db_table}"')


def generate(plan, *, reset=False, log=print) -> dict:
    check_database(reset)
    started = time.monotonic()

    def step(message, since):
        log(f"{message}（{time.monotonic() - since:.1f} 秒）")

    if reset:
        t = time.monotonic()
        wipe()
        step("清空原有数据", t)
    fk_off = loader.foreign_key_checks_off()
    summary = {}
    try:
        t = time.monotonic()
        sector_ids = tree.sector_ids()
        province = tree.build_tree(plan)
        summary["territories"] = tree.load_territories(province)
        summary["organisations"] = tree.load_organisations(plan, province, sector_ids)
        summary["users"] = tree.load_government_users(plan, province)
        step(
            f"区划 {summary['territories']}、机构 {summary['organisations']}、政府用户 {summary['users']}", t
        )
        big = [apps.get_model(*name) for name in BIG_TABLES]
        counters = {}
        with loader.secondary_indexes_dropped(big, step):
            t = time.monotonic()
            register = units.load_units(plan, province, sector_ids, log)
            summary["units"] = len(register.ids)
            summary["risk_points"] = register.risk_points
            summary["major_hazard_sources"] = register.major_hazard_sources
            summary["users"] += units.load_enterprise_users(plan, province, register)
            step(
                f"单位 {summary['units']}（风险点 {register.risk_points}，重大危险源 "
                f"{register.major_hazard_sources}）",
                t,
            )
            t = time.monotonic()
            hazard_loader = hazards.HazardLoader(plan, province, register, sector_ids, log)
            summary.update(hazard_loader.load())
            counters.update(hazard_loader.counters)
            step(
                f"隐患 {summary['hazards']}（重大 {summary['major']}，未销号 {summary['open']}，逾期 "
                f"{summary['overdue']}，挂牌督办 {summary['supervised']}）",
                t,
            )
            t = time.monotonic()
            summary["inspections"] = activity.load_inspections(plan, province, register, sector_ids, counters)
            summary["cases"] = activity.load_cases(plan, province, register, sector_ids, counters)
            summary["accidents"] = activity.load_accidents(plan, province, register, sector_ids)
            step(f"检查 {summary['inspections']}、案件 {summary['cases']}、事故 {summary['accidents']}", t)
        _store_counters(counters)
        for model in loaded_tables(big):
            loader.reset_sequence(model)
    finally:
        if fk_off:
            loader.foreign_key_checks_on()
    t = time.monotonic()
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map, so counts and scope scans can read the indexes alone. It cannot run
        # inside a transaction (a test's): then statistics only.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        # The link tables too: without statistics the planner guessed 6,000 of 49,000 unit–sector links and
        # drove a department's unit list from the links (330 ms instead of 30 ms).
        for model in loaded_tables(big):
            cursor.execute(f'{command} "{model._meta.db_table}"')
    step(command, t)
    summary["stats_rebuilt"] = rebuild_statistics(log)
    summary["seconds"] = round(time.monotonic() - started, 1)
    summary["usernames"] = province.office_users and _sample_usernames(province)
    return summary


def _store_counters(counters: dict) -> None:
    """Move each document series past the numbers the load used, so the next registration gets a fresh number."""
    with connection.cursor() as cursor:
        for (key, year), last in counters.items():
            cursor.execute(
                f'INSERT INTO "{DocumentCounter._meta.db_table}" (key, year, last_number) VALUES (%s, %s, %s) '
                "ON CONFLICT (key, year) DO UPDATE SET last_number = GREATEST(EXCLUDED.last_number, "
                f'"{DocumentCounter._meta.db_table}".last_number)',
                [key, year, last],
            )


def loaded_tables(big: list) -> list:
    """Every table the generator fills."""
    return [
        Territory,
        Organisation,
        Organisation.sectors.through,
        User,
        *big,
        apps.get_model("registry", "Enterprise").sectors.through,
        apps.get_model("registry", "MajorHazardSource"),
    ]


def rebuild_statistics(log) -> bool:
    """The summary tables of hazard and unit counts (anjian.stats.counts.rebuild, anjian.stats.units.rebuild)."""
    from anjian.stats import counts, units

    t = time.monotonic()
    counts.rebuild()
    units.rebuild()
    with (
        connection.cursor() as cursor
    ):  # freshly filled: statistics for the planner now, not at autovacuum's pace
        for label in ("stats.HazardCount", "stats.HazardRollup", "stats.HazardAreaRollup", "stats.UnitCount"):
            cursor.execute(f'ANALYZE "{apps.get_model(label)._meta.db_table}"')
    log(f"隐患、单位数量汇总表（含分级汇总）已重建（{time.monotonic() - t:.1f} 秒）")
    return True


def _sample_usernames(province) -> dict:
    """One account per level, for the summary and the benchmarks."""
    city, county = province.cities[0], province.counties[0]
    town = next(t for t in province.towns if t.county is county)
    grid = next(g for g in province.grids if g.town is town)
    return {
        "province": "sheng_anweiban",
        "city": f"shi{city.code}_anweiban",
        "county": f"xian{county.code}_anweiban",
        "county_inspector": f"xian{county.code}_yingji",
        "town": f"zhen{town.code}_1",
        "grid": f"wangge{grid.code or grid.id}",
    }
