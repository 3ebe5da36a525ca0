"""Load the packaged region code list (NBS 2023 extract, see scripts/extract_regions.py)."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources

from gengbao.domain.regions import Region, RegionCatalog, RegionLevel

DATA_FILE = "regions_nbs2023.csv"


@lru_cache(maxsize=1)
def load_catalog() -> RegionCatalog:
    data = resources.files("gengbao.data")
    meta = json.loads((data / "regions_nbs2023.source.json").read_text(encoding="utf-8"))
    with (data / DATA_FILE).open(encoding="utf-8") as f:
        rows = [
            Region(r["code"], r["name"], RegionLevel(r["level"]), r["parent"] or None) for r in csv.DictReader(f)
        ]
    return RegionCatalog(rows, source=str(meta.get("source", "")))
