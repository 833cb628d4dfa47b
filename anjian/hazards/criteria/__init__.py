"""The 重大事故隐患判定标准 catalogue: maintenance (catalogue.py) and clause suggestion (suggest.py)."""
