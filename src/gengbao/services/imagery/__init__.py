"""Imagery use cases: import scenes, find change between two dates, find abandonment in a season.

No database is needed: scenes live under ``WS/imagery/``, outputs under ``WS/exports/imagery/`` (or ``--out``).
"""
