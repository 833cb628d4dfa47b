"""Links to the other apps' filtered lists: every number on a page clicks through to the records behind it.

The query parameters are those of the target app's FilterSet (checked by tests/test_links.py against
their filters.py). When the target page is not installed yet the link is empty and the number is plain text.
"""

from urllib.parse import urlencode

from anjian.core.reversing import named_url

HAZARD_LIST = "hazards:hazard_list"
ENTERPRISE_LIST = "registry:enterprise_list"
BLACKLIST_LIST = "registry:blacklist_list"
ACCIDENT_LIST = "accidents:accident_list"
INSPECTION_LIST = "inspections:inspection_list"
CASE_LIST = "enforcement:case_list"
TIP_LIST = "operations:tip_list"


def list_url(url_name: str, **params) -> str:
    base = named_url(url_name)
    if base is None:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return f"{base}?{query}" if query else base
