"""Carry a few cases of a demo workspace through the enforcement cycle with the real commands.

    gengbao demo /tmp/demo && .venv/bin/python scripts/cases_demo.py /tmp/demo [--run 1] [--cases 3]

One operator acts in turn as county filler, city and province reviewer (``--as``): opens the clues
of the monitoring run, adds a distant and a close photo to each of the first cases (JPEGs made here
with Pillow + piexif, GPS at the patch, labelled synthetic), judges them 非农违法, submits, reviews at
city and province level, sets a rectification plan, reports half the area demolished, and prints the
statistics and the exported files. Everything is synthetic.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import piexif
import shapely
from PIL import Image, ImageDraw

from gengbao.adapters.db import case_store
from gengbao.services.workspace import open_workspace

GB = str(Path(sys.executable).with_name("gengbao"))


def gb(*args: str, who: str | None = None, date: str | None = None) -> dict:  # type: ignore[type-arg]
    cmd = [GB, *args, "--json"] + (["--as", who] if who else []) + (["--date", date] if date else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    data = json.loads(out.stdout)
    if isinstance(data, dict) and data.get("ok") is False:
        raise SystemExit(f"{' '.join(args[:2])}: {data['error']['message']}")
    return data  # type: ignore[no-any-return]


def photo(path: Path, lon: float, lat: float, seed: int) -> None:
    img = Image.new("RGB", (320, 240), (90, 140 + seed % 60, 70))
    ImageDraw.Draw(img).text((10, 10), f"synthetic {seed}", fill=(255, 255, 255))
    def dms(v: float) -> tuple[tuple[int, int], ...]:
        d, m = int(v), int((v - int(v)) * 60)
        return (d, 1), (m, 1), (round((v - d - m / 60) * 3600 * 100), 100)
    exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"gengbao-demo"},
                        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2024:03:05 10:00:00"},
                        "GPS": {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: dms(lat),
                                piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: dms(lon)}})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    path.write_bytes(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("ws")
    ap.add_argument("--run", default="1")
    ap.add_argument("--cases", type=int, default=3)
    a = ap.parse_args()
    county = json.loads((Path(a.ws) / "workspace.json").read_text())["region"]
    filler, city, province = f"demo:county_filler:{county}", f"demo:city_reviewer:{county[:4]}", \
        f"demo:province_reviewer:{county[:2]}"
    opened = gb("cases", "open", a.ws, "--run", a.run, who=filler, date="2024-03-01")
    print(f"开线索：{opened['opened_count']} 个案件，关联 {len(opened['linked'])} 条")
    tmp = Path(tempfile.mkdtemp())
    for i, number in enumerate(opened["opened"][: a.cases]):
        with open_workspace(Path(a.ws)).sessions() as s:
            p = shapely.from_wkb(case_store.get_case(s, number).geometry).representative_point()
        for kind, k in (("远景", 0), ("近景", 1)):
            photo(tmp / f"{number}-{k}.jpg", p.x, p.y, 10 * i + k)
            gb("evidence", "add", a.ws, number, str(tmp / f"{number}-{k}.jpg"), "--kind", kind, who=filler,
               date="2024-03-05")
        gb("cases", "judge", a.ws, number, "--category", "非农违法", "--subtype", "工矿商服", "--builder", "（合成）某公司",
           "--built", "2023-10-01", "--project", "（合成）仓库", who=filler, date="2024-03-06")
        gb("cases", "submit", a.ws, number, who=filler, date="2024-03-06")
        gb("cases", "review", a.ws, number, who=city, date="2024-03-10")
        gb("cases", "review", a.ws, number, who=province, date="2024-03-15")
        gb("cases", "rectify", a.ws, number, "--way", "拆除复耕", who=filler, date="2024-03-20")
        area = gb("cases", "show", a.ws, number)["areas"]["area_m2"]
        half = f"{float(area) / 2:.2f}"
        shown = gb("cases", "rectify", a.ws, number, "--demolished", half, who=filler, date="2024-04-20")["cases"][0]
        print(f"{number}：{shown['state_label']}，已拆除 {half} / {area} m²，期限 {shown['plan']['deadline']}")
    for row in gb("cases", "stats", a.ws, date="2024-06-01"):
        print(f"统计 {row['county']} {row['year']}：违法 {row['violations']} 个，违法占耕 {row['illegal_farmland_m2']} m²，"
              f"整改比例 {row['rectified_share']}，逾期 {row['overdue']}")
    files = gb("cases", "export", a.ws, "--out", str(Path(a.ws) / "exports" / "cases"), date="2024-06-01")["files"]
    print("导出：" + "、".join(files))


if __name__ == "__main__":
    main()
