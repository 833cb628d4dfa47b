"""The first seed clauses of the 重大事故隐患判定标准 (rules.md §2.2 examples), entered before the full catalogue.

Kept only for migration 0003 (installations that ran it have these rows); the criteria catalogue migration moves hazards off them
onto the catalogue (anjian/hazards/data/__init__.py) and keeps the rows as superseded."""

GONGMAO = ("工贸企业重大事故隐患判定标准", "应急管理部令第10号")
HUAGONG = ("化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号")
KUANGSHAN = ("金属非金属矿山重大事故隐患判定标准", "矿安〔2022〕88号")
FANGWU = ("房屋市政工程生产安全重大事故隐患判定标准（2022版）", "建质规〔2022〕2号")
XIAOFANG = ("重大火灾隐患判定规则", "GB 35181-2025")
YANHUA = ("烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）", "安监总管三〔2017〕121号")

# (sector code, standard, clause, text)
CRITERIA = [
    ("hazchem", HUAGONG, "第一项", "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。"),
    ("hazchem", HUAGONG, "第二项", "特种作业人员未持证上岗。"),
    (
        "hazchem",
        HUAGONG,
        "第三项",
        "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求。",
    ),
    (
        "hazchem",
        HUAGONG,
        "第四项",
        "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、紧急停车系统未投入使用。",
    ),
    (
        "hazchem",
        HUAGONG,
        "第五项",
        "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。",
    ),
    (
        "hazchem",
        HUAGONG,
        "第十二项",
        "在有可燃气体、有毒气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用防爆电气设备。",
    ),
    (
        "hazchem",
        HUAGONG,
        "第十四项",
        "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源。",
    ),
    (
        "metallurgy",
        GONGMAO,
        "第三条第（一）项",
        "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查。",
    ),
    (
        "metallurgy",
        GONGMAO,
        "第三条第（二）项",
        "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业。",
    ),
    (
        "metallurgy",
        GONGMAO,
        "第四条第（一）项",
        "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及钢铁水罐冷（热）修工位设置在铁水、钢水、液渣吊运跨的地坪区域内。",
    ),
    (
        "metallurgy",
        GONGMAO,
        "第四条第（二）项",
        "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的炉前平台、炉基区域、厂房内吊运和地面运输通道等6类区域存在积水。",
    ),
    (
        "dust",
        GONGMAO,
        "粉尘爆炸第（一）项",
        "粉尘爆炸危险场所设置在非框架结构的多层建构筑物内，或者粉尘爆炸危险场所内设有员工宿舍、会议室、办公室、休息室等人员聚集场所。",
    ),
    (
        "dust",
        GONGMAO,
        "粉尘爆炸第（二）项",
        "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统。",
    ),
    ("ammonia", GONGMAO, "液氨制冷第（一）项", "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷。"),
    (
        "ammonia",
        GONGMAO,
        "液氨制冷第（二）项",
        "快速冻结装置未设置在单独的作业间内，或者快速冻结装置作业间内作业人员数量超过9人。",
    ),
    (
        "confinedSpace",
        GONGMAO,
        "有限空间第（一）项",
        "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志。",
    ),
    (
        "confinedSpace",
        GONGMAO,
        "有限空间第（二）项",
        "未落实有限空间作业审批，或者未执行“先通风、再检测、后作业”要求，或者作业现场未设置监护人员。",
    ),
    (
        "nonCoalMine",
        KUANGSHAN,
        "地下矿山第（一）项",
        "安全出口存在下列情形之一的：矿井直达地面的独立安全出口少于2个，或者与设计不一致。",
    ),
    ("nonCoalMine", KUANGSHAN, "地下矿山第（二）项", "使用国家明令禁止使用的设备、材料或者工艺。"),
    (
        "nonCoalMine",
        KUANGSHAN,
        "露天矿山第（一）项",
        "地下开采转露天开采前，未探明采空区或者未对采空区实施专项安全技术措施；未采用自上而下的开采顺序分台阶或者分层开采。",
    ),
    ("construction", FANGWU, "第四条第（一）项", "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动。"),
    (
        "construction",
        FANGWU,
        "第四条第（三）项",
        "建筑施工特种作业人员未取得特种作业人员操作资格证书上岗作业。",
    ),
    (
        "construction",
        FANGWU,
        "第八条第（一）项",
        "塔式起重机、施工升降机、物料提升机等起重机械设备未经验收合格即投入使用，或者未按规定办理使用登记。",
    ),
    (
        "construction",
        FANGWU,
        "第八条第（四）项",
        "起重机械安装、拆卸、顶升加节以及附着前未对结构件、顶升机构和附着装置以及高强度螺栓、销轴、定位板等连接件及安全装置进行检查。",
    ),
    (
        "construction",
        FANGWU,
        "第十一条",
        "有限空间作业未履行“作业审批制”，未对施工人员进行专项安全教育培训，未执行“先通风、再检测、后作业”原则。",
    ),
    (
        "fire",
        XIAOFANG,
        "直接判定要素",
        "公共娱乐场所、商店、地下人员密集场所的安全出口数量或宽度不符合规定，或者被封堵。",
    ),
    (
        "crowded",
        XIAOFANG,
        "直接判定要素（人员密集场所）",
        "人员密集场所违反规定使用、储存或者销售易燃易爆危险品。",
    ),
    ("fireworks", YANHUA, "第（三）项", "工（库）房超过核定人员、药量或者擅自改变设计用途使用工（库）房。"),
    (
        "fireworks",
        YANHUA,
        "第（四）项",
        "工（库）房之间及其与外部的安全距离不足，或者防护屏障缺失、不符合要求。",
    ),
]


def seed_legacy_criteria(sector_model, criterion_model) -> int:
    """Create missing first seed clauses (idempotent); returns how many were created."""
    sectors = {s.code: s for s in sector_model.objects.all()}
    created = 0
    for order, (code, (standard, document_no), clause, text) in enumerate(CRITERIA):
        sector = sectors.get(code)
        if sector is None:
            continue
        _, was_created = criterion_model.objects.get_or_create(
            standard=standard,
            clause=clause,
            defaults={"sector": sector, "document_no": document_no, "text": text, "sort_order": order * 10},
        )
        created += was_created
    return created
