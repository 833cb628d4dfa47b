"""The seed of the provision library (法律依据库), from the domain rules reference (rules.md) §1.6, §3.5, §5 and §6.

Each row: (code, law, article, violation, penalty text, party kind, fine min, fine max, measures, rules.md id).
Bands are yuan, both bounds included ("N元以上M元以下", 民法典 第一千二百五十九条); None means no bound on that
side. Percent-of-income fines on persons (安全生产法 第九十五条等) have no yuan band but a percentage band
(INCOME_SHARES): the measure states the person's previous-year income and the amount is checked against it.
Used by migration 0002 and by `seed_provisions()`; edit the library through the pages, not here.
"""

from decimal import Decimal

L1 = "《中华人民共和国安全生产法》"
L2 = "《生产安全事故报告和调查处理条例》"
R16 = "《安全生产事故隐患排查治理暂行规定》"
W = 10_000

ORDER = "order_rectification"
STOP = "suspend_for_rectification"
CLOSE = "close_and_ban"
FINE = "fine"
DAILY = "daily_continuous_fine"
SEAL = "seal_or_seize"
CUT = "cut_supply"
LICENCE = "suspend_or_revoke_licence"
BLACKLIST = "blacklist"
MEDIA = "media_exposure"
JUDICIARY = "transfer_to_judiciary"

PROVISIONS = [
    # --- rules.md §1.6 (hazards) ---
    (
        "R16-26",
        R16,
        "第二十六条",
        "未建立隐患排查治理制度；未按规定上报隐患统计表；未制定治理方案；重大事故隐患不报或未及时报告；"
        "未对隐患进行排查治理擅自生产经营；整改不合格或未经同意擅自恢复生产经营",
        "给予警告，并处三万元以下的罚款",
        "unit",
        None,
        3 * W,
        [ORDER, FINE, MEDIA],
        "HZ-60",
    ),
    (
        "L1-97-5",
        L1,
        "第九十七条第（五）项",
        "未如实记录安全生产教育和培训情况或事故隐患排查治理情况，或未向从业人员通报",
        "责令限期改正，处十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款",
        "unit",
        None,
        10 * W,
        [ORDER, FINE, DAILY, STOP],
        "HZ-61",
    ),
    (
        "L1-97-5B",
        L1,
        "第九十七条（逾期未改正）",
        "第九十七条所列行为逾期未改正",
        "责令停产停业整顿，并处十万元以上二十万元以下的罚款",
        "unit",
        10 * W,
        20 * W,
        [STOP, FINE, DAILY],
        "HZ-61",
    ),
    (
        "L1-97-P",
        L1,
        "第九十七条（责任人员）",
        "第九十七条所列行为逾期未改正，对直接负责的主管人员和其他直接责任人员",
        "处二万元以上五万元以下的罚款",
        "person",
        2 * W,
        5 * W,
        [FINE],
        "HZ-61",
    ),
    (
        "L1-101",
        L1,
        "第一百零一条第（四）（五）项",
        "未建立安全风险分级管控制度或未按照风险分级采取管控措施；"
        "未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告",
        "责令限期改正，处十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款",
        "unit",
        None,
        10 * W,
        [ORDER, FINE, DAILY, STOP],
        "HZ-62",
    ),
    (
        "L1-102",
        L1,
        "第一百零二条",
        "未采取措施消除事故隐患",
        "责令立即消除或者限期消除，处五万元以下的罚款；拒不执行的，责令停产停业整顿",
        "unit",
        None,
        5 * W,
        [ORDER, FINE, DAILY, STOP, SEAL, CUT],
        "HZ-63",
    ),
    (
        "L1-102-P",
        L1,
        "第一百零二条（责任人员）",
        "生产经营单位拒不执行消除事故隐患的决定，对其直接负责的主管人员和其他直接责任人员",
        "处五万元以上十万元以下的罚款",
        "person",
        5 * W,
        10 * W,
        [FINE],
        "HZ-63",
    ),
    (
        "L1-113",
        L1,
        "第一百一十三条",
        "存在重大事故隐患，一百八十日内三次或者一年内四次受到本法规定的行政处罚等",
        "负有安全生产监督管理职责的部门提请地方人民政府予以关闭，有关部门依法吊销其有关证照；主要负责人五年内不得担任任何生产经营单位的主要负责人",
        "unit",
        None,
        None,
        [CLOSE, LICENCE, BLACKLIST, MEDIA],
        "HZ-64/LAW-18",
    ),
    # --- rules.md §3.5 (accidents) ---
    (
        "L1-114-1",
        L1,
        "第一百一十四条第（一）项",
        "发生一般事故，对负有责任的生产经营单位",
        "处三十万元以上一百万元以下的罚款",
        "unit",
        30 * W,
        100 * W,
        [FINE, BLACKLIST, MEDIA],
        "AC-40",
    ),
    (
        "L1-114-2",
        L1,
        "第一百一十四条第（二）项",
        "发生较大事故，对负有责任的生产经营单位",
        "处一百万元以上二百万元以下的罚款",
        "unit",
        100 * W,
        200 * W,
        [FINE, BLACKLIST, MEDIA],
        "AC-40",
    ),
    (
        "L1-114-3",
        L1,
        "第一百一十四条第（三）项",
        "发生重大事故，对负有责任的生产经营单位",
        "处二百万元以上一千万元以下的罚款",
        "unit",
        200 * W,
        1000 * W,
        [FINE, BLACKLIST, MEDIA, JUDICIARY],
        "AC-40",
    ),
    (
        "L1-114-4",
        L1,
        "第一百一十四条第（四）项",
        "发生特别重大事故，对负有责任的生产经营单位",
        "处一千万元以上二千万元以下的罚款",
        "unit",
        1000 * W,
        2000 * W,
        [FINE, BLACKLIST, MEDIA, JUDICIARY],
        "AC-40",
    ),
    (
        "L1-95",
        L1,
        "第九十五条",
        "生产经营单位的主要负责人未履行安全生产管理职责，导致发生生产安全事故",
        "一般/较大/重大/特别重大事故分别处上一年年收入百分之四十/六十/八十/一百的罚款",
        "person",
        None,
        None,
        [FINE, JUDICIARY],
        "AC-41",
    ),
    (
        "L1-110",
        L1,
        "第一百一十条",
        "主要负责人在本单位发生生产安全事故时，不立即组织抢救或者在事故调查处理期间擅离职守或者逃匿，或者对事故隐瞒不报、谎报或者迟报",
        "给予降级、撤职的处分，并由应急管理部门处上一年年收入百分之六十至百分之一百的罚款；逃匿的，处十五日以下拘留",
        "person",
        None,
        None,
        [FINE, JUDICIARY],
        "AC-42",
    ),
    (
        "L1-96",
        L1,
        "第九十六条",
        "其他负责人和安全生产管理人员未履行安全生产管理职责，导致发生生产安全事故",
        "暂停或者吊销其与安全生产有关的资格，并处上一年年收入百分之二十以上百分之五十以下的罚款",
        "person",
        None,
        None,
        [FINE, LICENCE],
        "AC-43",
    ),
    (
        "L2-36",
        L2,
        "第三十六条",
        "谎报或者瞒报事故、伪造或者故意破坏事故现场、转移隐匿证据、拒绝接受调查等",
        "对事故发生单位处一百万元以上五百万元以下的罚款",
        "unit",
        100 * W,
        500 * W,
        [FINE, BLACKLIST, MEDIA, JUDICIARY],
        "AC-44",
    ),
    # --- rules.md §5 (安全生产法) ---
    (
        "L1-109",
        L1,
        "第一百零九条",
        "高危行业、领域的生产经营单位未按照国家规定投保安全生产责任保险",
        "责令限期改正，处五万元以上十万元以下的罚款；逾期未改正的，处十万元以上二十万元以下的罚款",
        "unit",
        5 * W,
        10 * W,
        [ORDER, FINE, DAILY],
        "LAW-16",
    ),
    (
        "L1-109B",
        L1,
        "第一百零九条（逾期未改正）",
        "未投保安全生产责任保险，逾期未改正",
        "处十万元以上二十万元以下的罚款",
        "unit",
        10 * W,
        20 * W,
        [FINE, DAILY],
        "LAW-16",
    ),
    (
        "L1-99",
        L1,
        "第九十九条",
        "安全设备、警示标志、劳动防护用品、监控报警等违法行为（含餐饮等场所未安装可燃气体报警装置）",
        "责令限期改正，处五万元以下的罚款；逾期未改正的，处五万元以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的罚款；情节严重的，责令停产停业整顿",
        "unit",
        None,
        5 * W,
        [ORDER, FINE, DAILY, STOP, SEAL],
        "LAW-20",
    ),
    (
        "L1-99B",
        L1,
        "第九十九条（逾期未改正）",
        "第九十九条所列行为逾期未改正",
        "处五万元以上二十万元以下的罚款；情节严重的，责令停产停业整顿",
        "unit",
        5 * W,
        20 * W,
        [FINE, DAILY, STOP, CUT],
        "LAW-20",
    ),
    (
        "L1-99-P",
        L1,
        "第九十九条（责任人员）",
        "第九十九条所列行为逾期未改正，对直接负责的主管人员和其他直接责任人员",
        "处一万元以上二万元以下的罚款",
        "person",
        1 * W,
        2 * W,
        [FINE],
        "LAW-20",
    ),
    (
        "L1-112",
        L1,
        "第一百一十二条",
        "被责令改正且受到罚款处罚，拒不改正",
        "自作出责令改正之日的次日起，按照原处罚数额按日连续处罚",
        "unit",
        None,
        None,
        [DAILY],
        "LAW-17",
    ),
    (
        "L1-65",
        L1,
        "第六十五条",
        "检查中发现的安全生产违法行为、事故隐患（现场处理措施，非行政处罚）",
        "当场予以纠正或者要求限期改正；责令立即排除或暂时停产停业、停止使用；查封、扣押不符合标准的设施、设备、器材",
        "unit",
        None,
        None,
        [ORDER, SEAL],
        "EN-03",
    ),
    (
        "L1-70",
        L1,
        "第七十条",
        "生产经营单位拒不执行停产停业、停止施工、停止使用决定，有发生生产安全事故的现实危险",
        "可以采取通知有关单位停止供电、停止供应民用爆炸物品等措施（除紧急情形外提前二十四小时书面通知）",
        "unit",
        None,
        None,
        [CUT],
        "LAW-19",
    ),
    (
        "CR-11",
        "《安全生产严重失信主体名单管理办法》（应急管理部令第11号）",
        "第五条至第七条",
        "发生重大以上事故、十二个月内累计发生两起以上较大事故、瞒报谎报事故等严重失信情形",
        "纳入安全生产严重失信主体名单，期限三年",
        "unit",
        None,
        None,
        [BLACKLIST, MEDIA],
        "CR-04",
    ),
    # --- rules.md §6 (行政处罚法) ---
    (
        "L3-27",
        "《中华人民共和国行政处罚法》",
        "第二十七条",
        "违法行为涉嫌犯罪",
        "行政机关应当及时将案件移送司法机关，依法追究刑事责任",
        "unit",
        None,
        None,
        [JUDICIARY],
        "EN-32/移送",
    ),
]


# Percent bands of the previous-year income: 第九十五条 40–100 (exactly 40/60/80/100 by accident grade),
# 第一百一十条 60–100, 第九十六条 20–50.
INCOME_SHARES = {"L1-95": (40, 100), "L1-110": (60, 100), "L1-96": (20, 50)}


def provision_rows():
    for code, law, article, violation, penalty, party, low, high, measures, ref in PROVISIONS:
        share_min, share_max = INCOME_SHARES.get(code, (None, None))
        yield {
            "income_share_min": share_min,
            "income_share_max": share_max,
            "code": code,
            "law": law,
            "article": article,
            "violation": violation,
            "penalty_text": penalty,
            "party_kind": party,
            "fine_min": None if low is None else Decimal(low),
            "fine_max": None if high is None else Decimal(high),
            "measures_allowed": measures,
            "source_ref": ref,
        }


def seed_provisions(Provision) -> int:
    """Idempotent: creates missing provisions, never overwrites edited ones."""
    created = 0
    # Migrations pass their historical model, which may not have every field yet.
    fields = {f.name for f in Provision._meta.get_fields()}
    for row in provision_rows():
        row = {k: v for k, v in row.items() if k in fields}
        _, was_created = Provision.objects.get_or_create(code=row["code"], defaults=row)
        created += was_created
    return created
