"""A realistic province of generated data for load and scale tests (manage.py generate_province).

Stages: tree.py (territories, organisations, staff), units.py (the register), hazards.py (three years of hazards and
挂牌督办), activity.py (inspections, cases, accidents), all streamed into PostgreSQL with COPY (loader.py) and put
in order by build.py. Bulk-loaded rows have no audit trail entries: they are generated, not changed by anyone.
"""
