"""Clause suggestion: which 重大事故隐患判定标准 clauses read like a hazard description.

A small lexical method, fast and explainable: the description is cut into words (jieba), abbreviations and
inspectors' shorthand are expanded (SYNONYMS), and the current clauses — their text plus the catalogue's typical
descriptions — are ranked with BM25. A clause is suggested only when it covers enough of what the description
says (MIN_COVERAGE): an ordinary hazard such as 灭火器压力不足 matches no clause well and gets no suggestion.
Measured by bench/eval_suggest.py on bench/eval_suggest_set.jsonl.
"""

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Q

# Inspectors' abbreviations and shorthand → the words the clauses use. Keys are lower case.
SYNONYMS = {
    "gds": "可燃气体 检测 报警",
    "可燃气体报警器": "可燃气体 检测 报警",
    "可燃气体探头": "可燃气体 检测 报警",
    "有毒气体报警器": "有毒气体 检测 报警",
    "报警仪": "检测 报警",
    "dcs": "自动化 控制 系统",
    "sis": "安全 仪表 系统",
    "esd": "紧急 停车",
    "联锁": "联锁 自动化 控制",
    "ups": "不间断 电源",
    "双电源": "双重 电源",
    "单回路": "双重 电源",
    "lng": "液化 天然气",
    "cng": "压缩 天然气",
    "lpg": "液化 石油气",
    "液化气": "液化 石油气",
    "危化品": "危险化学品",
    "危化": "危险化学品",
    "受限空间": "有限空间",
    "动火票": "动火 作业 特殊 作业",
    "作业票": "作业",
    "特种作业证": "特种 作业 持证 操作",
    "无证": "持证 考核 合格",
    "安全员": "安全 生产 管理 人员",
    "安管人员": "安全 生产 管理 人员",
    "主要负责人": "主要 负责人",
    "塔吊": "塔式 起重机",
    "人货电梯": "施工 升降机",
    "施工电梯": "施工 升降机",
    "外架": "脚手架",
    "爬架": "附着式 升降 脚手架",
    "高支模": "模板 支架",
    "吊篮": "高处 作业 吊篮",
    "喷淋": "自动 喷水 灭火",
    "烟感": "火灾 自动 报警",
    "彩钢板": "彩钢 夹芯板",
    "三超一疲劳": "超速 超员 超载 疲劳",
    "疲劳驾驶": "疲劳",
    "避雷": "防雷",
    "静电": "防静电",
    "探水": "探放水",
    "瓦斯": "瓦斯",
    "储罐区": "罐区",
    "切断阀": "紧急 切断",
    "球罐": "液化烃 储罐",
    "液化烃": "液化烃",
    "万向节": "万向 管道 充装",
    "鹤管": "万向 管道 充装",
    "软管": "软管",
    "中控室": "控制室",
    "抗爆": "防火 防爆",
    "除尘器": "除尘 系统",
    "布袋除尘": "干式 除尘 系统",
    "积尘": "粉尘 清理 积尘",
    "氨制冷": "液氨 制冷",
    "速冻": "快速 冻结",
    "冷库": "液氨 制冷",
}

# Words that carry no meaning for matching (the clauses' legal connectives and common verbs).
STOPWORDS = frozenset(
    {
        "未",
        "的",
        "了",
        "不",
        "有",
        "在",
        "是",
        "和",
        "与",
        "或",
        "或者",
        "等",
        "及",
        "以及",
        "按",
        "按照",
        "规定",
    }
    | {
        "要求",
        "国家",
        "标准",
        "设置",
        "情形",
        "之一",
        "存在",
        "进行",
        "使用",
        "已",
        "无",
        "没有",
        "也",
        "并",
        "且",
    }
    | {
        "对",
        "将",
        "被",
        "为",
        "其",
        "其他",
        "下列",
        "相关",
        "有关",
        "应当",
        "要",
        "个",
        "处",
        "现场",
        "发现",
        "检查",
    }
)

K1, B = 1.2, 0.75
# A clause is suggested when it contains at least this share of the description's weight (the sum of its words'
# idf, a word no clause uses counting as the rarest): tuned on the evaluation set to leave ordinary hazards alone.
MIN_COVERAGE = 0.40
MAX_SUGGESTIONS = 5
# Clauses of a superseded standard rank after current ones of equal weight (they are still cited for old hazards).
SUPERSEDED_WEIGHT = 0.85

_jieba_lock = threading.Lock()
_jieba = None


def _cut(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(60)
                jieba.initialize()
                _jieba = jieba
    return _jieba.lcut_for_search(text)


def normalise(text: str) -> str:
    text = text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}).lower()  # full-width → ASCII
    text = re.sub(r"\d+\s*[#＃号]", " ", text)  # 2#罐区, 3号釜: numbers of units, not meaning
    return text


def tokens(text: str) -> list[str]:
    out = []
    for word in _cut(normalise(text)):
        word = word.strip()
        if not word or word in STOPWORDS or not re.search(r"[\w]", word):
            continue
        if "未" in word and len(word) > 1:  # 内未设, 未设: fragments around the negation, not content
            continue
        if word in SYNONYMS:
            # Cut the expansion like any text, so it meets the clauses' words as they are indexed.
            out.extend(w for part in SYNONYMS[word].split() for w in _cut(part) if len(w) > 1)
            continue
        if len(word) < 2 or word.isdigit():
            continue
        out.append(word)
    return out


@dataclass(frozen=True)
class Entry:
    pk: int
    code: str
    standard: str
    clause: str
    text: str
    confidence: str
    sectors: frozenset  # sector codes the clause applies to
    current_standard: bool


class Index:
    """BM25 over the current clauses. Built once per catalogue state (see index())."""

    def __init__(self, entries: list[Entry], documents: list[list[str]]):
        self.entries = entries
        self.tf = [Counter(doc) for doc in documents]
        self.lengths = [len(doc) or 1 for doc in documents]
        self.avgdl = sum(self.lengths) / max(len(self.lengths), 1)
        df = Counter(term for doc in documents for term in set(doc))
        n = len(documents)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)
        self.postings: dict[str, list[int]] = {}
        for i, doc in enumerate(documents):
            for term in set(doc):
                self.postings.setdefault(term, []).append(i)

    def search(self, text: str, sector: str = "", limit=MAX_SUGGESTIONS, min_coverage=MIN_COVERAGE):
        query = list(dict.fromkeys(tokens(text)))  # each word once: repeating a word is not more evidence
        if not query:
            return []
        # Words the clauses never use weigh like the rarest word (an ordinary hazard is mostly such words), except a
        # compound whose parts are in the query too (可燃气体 → 可燃, 气体: the parts already carry it).
        weight = sum(
            self.idf[t] if t in self.idf else 0.0 if any(o != t and o in t for o in query) else self.max_idf
            for t in query
        )
        scores: dict[int, float] = {}
        matched: dict[int, float] = {}
        for term in query:
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                tf = self.tf[i][term]
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[i] / self.avgdl))
                scores[i] = scores.get(i, 0.0) + idf * norm
                matched[i] = matched.get(i, 0.0) + idf
        results = []
        for i, score in scores.items():
            entry = self.entries[i]
            if sector and sector not in entry.sectors:
                continue
            # Coverage: the share of the description's weight found in the clause (0–1); BM25 orders the rest.
            coverage = matched[i] / weight * (1 if entry.current_standard else SUPERSEDED_WEIGHT)
            if coverage >= min_coverage:
                results.append((coverage, score, entry))
        results.sort(key=lambda r: (-r[1] * (1 if r[2].current_standard else SUPERSEDED_WEIGHT), r[2].code))
        return [(coverage, entry) for coverage, _, entry in results[:limit]]


_cache: dict = {}
_cache_lock = threading.Lock()


def _state_key():
    from ..models import HazardStandard, MajorHazardCriterion

    clauses = MajorHazardCriterion.objects.filter(is_active=True).aggregate(n=Count("pk"), last=Max("pk"))
    standards = HazardStandard.objects.aggregate(
        superseded=Count("pk", filter=~Q(status="current")), n=Count("pk"), last=Max("pk")
    )
    return (clauses["n"], clauses["last"], standards["n"], standards["last"], standards["superseded"])


def build_index() -> Index:
    from ..models import MajorHazardCriterion, StandardStatus

    rows = (
        MajorHazardCriterion.objects.filter(is_active=True)
        .select_related("sector", "standard_ref")
        .prefetch_related("standard_ref__sectors")
        .order_by("sort_order", "pk")
    )
    entries, documents = [], []
    for row in rows:
        standard = row.standard_ref
        sectors = {row.sector.code}
        if standard is not None:
            sectors |= {s.code for s in standard.sectors.all()}
        entries.append(
            Entry(
                pk=row.pk,
                code=row.code,
                standard=row.standard,
                clause=row.clause,
                text=row.text,
                confidence=row.confidence,
                sectors=frozenset(sectors),
                current_standard=standard is None or standard.status == StandardStatus.CURRENT,
            )
        )
        documents.append(document(row.text, row.examples))
    return Index(entries, documents)


def document(text: str, examples) -> list[str]:
    # A clause is found by its words and by the catalogue's typical descriptions of it.
    return tokens(" ".join([text.replace("〔概要〕", ""), *examples]))


def index_from_catalogue() -> Index:
    """The same index built from the shipped catalogue file, without a database (bench/eval_suggest.py)."""
    from ..data import STANDARD_SECTORS, SUPERSEDED_BY, clause_sector_code, load_catalogue

    entries, documents = [], []
    for standard in load_catalogue():
        code = standard["standard_id"]
        for clause in standard["clauses"]:
            entries.append(
                Entry(
                    pk=0,
                    code=clause["id"],
                    standard=standard["title"],
                    clause=clause["no"],
                    text=clause["text"],
                    confidence=clause["conf"],
                    sectors=frozenset({clause_sector_code(code, clause["id"]), *STANDARD_SECTORS[code]}),
                    current_standard=code not in SUPERSEDED_BY,
                )
            )
            documents.append(document(clause["text"], clause["examples"]))
    return Index(entries, documents)


def index() -> Index:
    """The index for the catalogue as it is now: rebuilt when a clause or standard was added, revised or retired."""
    key = _state_key()
    with _cache_lock:
        if _cache.get("key") != key:
            _cache["index"] = build_index()
            _cache["key"] = key
        return _cache["index"]


def suggest(text: str, sector=None, limit=MAX_SUGGESTIONS) -> list[dict]:
    """Clauses that read like `text`, best first; empty when none is close enough."""
    if not text or not text.strip():
        return []
    results = index().search(text[:1000], sector=getattr(sector, "code", sector or ""), limit=limit)
    return [
        {
            "id": e.pk,
            "code": e.code,
            "standard": e.standard,
            "clause": e.clause,
            "text": e.text,
            "confidence": e.confidence,
            "score": round(score, 3),
        }
        for score, e in results
    ]
