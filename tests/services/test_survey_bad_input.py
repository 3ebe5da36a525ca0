"""The bad-input corpus: every file is made here, each gets its own stable error code, and nothing
is imported (no layer on disk, no epoch row)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import func, select

from gengbao.adapters.db.models import Epoch
from gengbao.domain.errors import UnreadableInput, ValidationFailed
from gengbao.services.survey.importing import import_survey_file
from gengbao.services.workspace import Workspace, init_workspace
from tests.support import survey_factory as sf

Maker = Callable[[Path], tuple[Path, dict[str, object]]]


def good() -> gpd.GeoDataFrame:
    return sf.frame(sf.parcels(per_village=4))


def gpkg(f: gpd.GeoDataFrame, d: Path, name: str = "bad.gpkg") -> Path:
    p = d / name
    f.to_file(p, driver="GPKG")
    return p


def shp(f: gpd.GeoDataFrame, d: Path, encoding: str = "UTF-8") -> Path:
    p = d / "bad.shp"
    f.to_file(p, encoding=encoding)
    return p


def edit(**changes: object) -> Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]:
    def apply(f: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        for key, value in changes.items():
            col, row = key.rsplit("_", 1)
            f.loc[int(row), col] = value
        return f
    return apply


def case_truncated_shp(d: Path) -> tuple[Path, dict[str, object]]:
    p = shp(good(), d)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p, {}


def case_truncated_dbf(d: Path) -> tuple[Path, dict[str, object]]:
    p = shp(good(), d)
    dbf = p.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:-300])
    return p, {}


def case_truncated_gpkg(d: Path) -> tuple[Path, dict[str, object]]:
    p = gpkg(good(), d)
    p.write_bytes(p.read_bytes()[:4096])
    return p, {}


def case_empty_file(d: Path) -> tuple[Path, dict[str, object]]:
    p = d / "empty.gpkg"
    p.write_bytes(b"")
    return p, {}


def case_missing_dbf(d: Path) -> tuple[Path, dict[str, object]]:
    p = shp(good(), d)
    p.with_suffix(".dbf").unlink()
    return p, {}


def case_missing_shx(d: Path) -> tuple[Path, dict[str, object]]:
    p = shp(good(), d)
    p.with_suffix(".shx").unlink()
    return p, {}


def case_missing_prj(d: Path) -> tuple[Path, dict[str, object]]:
    p = shp(good(), d)
    p.with_suffix(".prj").unlink()
    return p, {}


def case_gbk_without_cpg(d: Path) -> tuple[Path, dict[str, object]]:
    # GBK attributes, no .cpg: must be decoded as GBK, so the bad code is reported with its Chinese text.
    f = edit(ZLDWDM_2="3602021012一组0000010")(good())
    p = shp(f, d, encoding="GBK")
    p.with_suffix(".cpg").unlink()
    return p, {"value": "3602021012一组0000010"}


def case_bowtie(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    x, y = 117.2, 29.3
    f.loc[1, "geometry"] = shapely.Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001), (x, y)])
    return gpkg(f, d), {"feature": f.loc[1, "BSM"]}


def case_unclosed_ring(d: Path) -> tuple[Path, dict[str, object]]:
    f = json.loads(good().to_json())
    ring = f["features"][0]["geometry"]["coordinates"][0]
    f["features"][0]["geometry"]["coordinates"][0] = ring[:-1]
    p = d / "unclosed.geojson"
    p.write_text(json.dumps(f), encoding="utf-8")
    return p, {}


def case_empty_geometry(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f.loc[2, "geometry"] = shapely.Polygon()
    return gpkg(f, d), {"feature": f.loc[2, "BSM"]}


def case_null_geometry(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f.loc[3, "geometry"] = None
    return gpkg(f, d), {"feature": f.loc[3, "BSM"]}


def case_wrong_geometry_type(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f["geometry"] = shapely.centroid(f.geometry.to_numpy())
    return gpkg(f, d), {}


def case_swapped_lonlat(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f["geometry"] = shapely.transform(f.geometry.to_numpy(), lambda xy: xy[:, ::-1])
    return gpkg(f, d), {}


def case_projected_without_zone_prefix(d: Path) -> tuple[Path, dict[str, object]]:
    f = good().to_crs(4548).set_crs(4527, allow_override=True)  # numbers without prefix, labelled with prefix
    return gpkg(f, d), {}


def case_projected_with_unexpected_prefix(d: Path) -> tuple[Path, dict[str, object]]:
    f = good().to_crs(4527).set_crs(4548, allow_override=True)
    return gpkg(f, d), {}


def case_outside_china(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f["geometry"] = f.geometry.translate(-100, 20)
    return gpkg(f, d), {}


def case_unsupported_crs(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(good().to_crs(3857), d), {}


def case_duplicate_bsm(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f.loc[7, "BSM"] = f.loc[6, "BSM"]
    return gpkg(f, d), {"feature": f.loc[6, "BSM"]}


def case_blank_bsm(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(edit(BSM_4="")(good()), d), {"feature": "第5行"}


def case_unknown_dlbm(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(edit(DLBM_3="0199")(good()), d), {"value": "0199"}


def case_zldwdm_outside_region(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(edit(ZLDWDM_0="4419001010010000100")(good()), d), {}


def case_zldwdm_letters(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(edit(ZLDWDM_1="36020210120A0000100")(good()), d), {"value": "36020210120A0000100"}


def case_zldwdm_short(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(edit(ZLDWDM_1="360202101200")(good()), d), {}


def case_kcmj_off(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f.loc[5, "KCXS"] = 0.08
    f.loc[5, "KCMJ"] = round(f.loc[5, "TBMJ"] * 0.08, 2) + 0.5
    f.loc[5, "TBDLMJ"] = f.loc[5, "TBMJ"] - f.loc[5, "KCMJ"]
    return gpkg(f, d), {"feature": f.loc[5, "BSM"]}


def case_tbdlmj_off(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f.loc[6, "TBDLMJ"] = f.loc[6, "TBDLMJ"] + 1.0
    return gpkg(f, d), {"feature": f.loc[6, "BSM"]}


def case_kcxs_out_of_range(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(edit(KCXS_0=1.5)(good()), d), {}


def case_missing_field(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(good().drop(columns=["TBDLMJ"]), d), {"field": "TBDLMJ"}


def case_text_in_numeric_field(d: Path) -> tuple[Path, dict[str, object]]:
    f = good()
    f["TBMJ"] = f["TBMJ"].astype(str)
    f.loc[2, "TBMJ"] = "约650"
    return gpkg(f, d), {"value": "约650"}


def case_unsupported_format(d: Path) -> tuple[Path, dict[str, object]]:
    p = d / "parcels.csv"
    p.write_text("BSM,DLBM\n1,0101\n", encoding="utf-8")
    return p, {}


def case_file_not_found(d: Path) -> tuple[Path, dict[str, object]]:
    return d / "nowhere.gpkg", {}


def case_two_layers_no_name(d: Path) -> tuple[Path, dict[str, object]]:
    p = d / "two.gpkg"
    good().to_file(p, layer="A", driver="GPKG")
    good().to_file(p, layer="B", driver="GPKG")
    return p, {}


def case_named_layer_missing(d: Path) -> tuple[Path, dict[str, object]]:
    p = d / "one.gpkg"
    good().to_file(p, layer="DLTB", driver="GPKG")
    return p, {"layer": "DLTB2023"}


def case_no_features(d: Path) -> tuple[Path, dict[str, object]]:
    return gpkg(good().iloc[0:0], d), {}


def case_not_a_database(d: Path) -> tuple[Path, dict[str, object]]:
    p = d / "fake.gpkg"
    p.write_bytes(b"PK\x03\x04 this is a zip, not a GeoPackage" * 50)
    return p, {}


CASES: dict[str, tuple[Maker, str]] = {
    "truncated_shp": (case_truncated_shp, "file.truncated"),
    "truncated_dbf": (case_truncated_dbf, "file.truncated"),
    "truncated_gpkg": (case_truncated_gpkg, "file.unreadable"),
    "empty_file": (case_empty_file, "file.empty"),
    "missing_dbf": (case_missing_dbf, "shp.missing_dbf"),
    "missing_shx": (case_missing_shx, "shp.missing_shx"),
    "missing_prj": (case_missing_prj, "crs.missing"),
    "gbk_without_cpg": (case_gbk_without_cpg, "survey.zldwdm_format"),
    "bowtie": (case_bowtie, "geometry.invalid"),
    "unclosed_ring": (case_unclosed_ring, "geometry.invalid"),
    "empty_geometry": (case_empty_geometry, "geometry.empty"),
    "null_geometry": (case_null_geometry, "geometry.null"),
    "wrong_geometry_type": (case_wrong_geometry_type, "geometry.wrong_type"),
    "swapped_lonlat": (case_swapped_lonlat, "crs.swapped_axes"),
    "projected_without_zone_prefix": (case_projected_without_zone_prefix, "crs.zone_prefix_missing"),
    "projected_with_unexpected_prefix": (case_projected_with_unexpected_prefix, "crs.zone_prefix_unexpected"),
    "outside_china": (case_outside_china, "crs.out_of_china"),
    "unsupported_crs": (case_unsupported_crs, "crs.unsupported"),
    "duplicate_bsm": (case_duplicate_bsm, "survey.duplicate_bsm"),
    "blank_bsm": (case_blank_bsm, "survey.bsm_missing"),
    "unknown_dlbm": (case_unknown_dlbm, "survey.unknown_class"),
    "zldwdm_outside_region": (case_zldwdm_outside_region, "survey.zldwdm_outside_region"),
    "zldwdm_letters": (case_zldwdm_letters, "survey.zldwdm_format"),
    "zldwdm_short": (case_zldwdm_short, "survey.zldwdm_format"),
    "kcmj_off": (case_kcmj_off, "survey.kcmj_mismatch"),
    "tbdlmj_off": (case_tbdlmj_off, "survey.tbdlmj_mismatch"),
    "kcxs_out_of_range": (case_kcxs_out_of_range, "survey.kcxs_range"),
    "missing_field": (case_missing_field, "survey.field_missing"),
    "text_in_numeric_field": (case_text_in_numeric_field, "survey.field_type"),
    "unsupported_format": (case_unsupported_format, "file.format_unsupported"),
    "file_not_found": (case_file_not_found, "file.not_found"),
    "two_layers_no_name": (case_two_layers_no_name, "layer.ambiguous"),
    "named_layer_missing": (case_named_layer_missing, "layer.not_found"),
    "no_features": (case_no_features, "survey.empty_layer"),
    "not_a_database": (case_not_a_database, "file.unreadable"),
}


def assert_nothing_imported(ws: Workspace) -> None:
    assert not (ws.layout.layers / "parcels" / "2023").exists()
    assert [p.name for p in (ws.layout.layers).rglob("*.parquet")] == []
    with ws.sessions() as s:
        assert s.scalars(select(Epoch)).all() == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_refused_with_its_code(tmp_path: Path, name: str) -> None:
    maker, code = CASES[name]
    ws = init_workspace(tmp_path / "ws", "360200")
    src = tmp_path / "src"
    src.mkdir()
    path, expect = maker(src)
    layer = expect.pop("layer", None)
    with pytest.raises(ValidationFailed) as err:
        import_survey_file(ws, path, 2023, layer=layer)  # type: ignore[arg-type]
    errors = err.value.report.errors
    assert code in [e.code for e in errors], [(e.code, e.message) for e in errors]
    hit = next(e for e in errors if e.code == code)
    assert hit.message and any("\u4e00" <= ch <= "\u9fff" for ch in hit.message)  # a Chinese message
    for key, value in expect.items():
        assert getattr(hit, key) == value, (key, hit)
    assert_nothing_imported(ws)


def test_corpus_has_at_least_25_distinct_files() -> None:
    assert len(CASES) >= 25


def test_repair_turns_invalid_geometry_into_warnings(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    src = tmp_path / "src"
    src.mkdir()
    path, _ = case_bowtie(src)
    report = import_survey_file(ws, path, 2023, repair=True)
    assert report.ok and report.imported == 16
    assert [w.code for w in report.warnings if w.code.startswith("geometry")] == ["geometry.repaired"]


def test_missing_prj_imports_when_crs_is_named(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    src = tmp_path / "src"
    src.mkdir()
    path, _ = case_missing_prj(src)
    assert import_survey_file(ws, path, 2023, crs="4490").imported == 16


def test_gbk_shapefile_without_cpg_reads_chinese_correctly(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    p = tmp_path / "gbk.shp"
    good().to_file(p, encoding="GBK")
    p.with_suffix(".cpg").unlink()
    report = import_survey_file(ws, p, 2023)
    assert report.ok
    assert any(w.code == "input.note" and "GBK" in w.message for w in report.warnings)
    # DLMC decoded as GBK equals the catalogue name, so there is no class-name warning
    assert [w for w in report.warnings if w.code == "survey.class_name_mismatch"] == []


def test_one_bad_feature_among_many_blocks_everything(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    f = sf.frame(sf.parcels(per_village=50))
    f.loc[199, "DLBM"] = "01"
    p = gpkg(f, tmp_path)
    with pytest.raises(ValidationFailed) as err:
        import_survey_file(ws, p, 2023)
    assert [(e.code, e.feature) for e in err.value.report.errors] == [("survey.unknown_class", f.loc[199, "BSM"])]
    assert_nothing_imported(ws)


def test_gpkg_left_untouched(tmp_path: Path) -> None:
    """Import never writes into the user's file."""
    ws = init_workspace(tmp_path / "ws", "360200")
    p = gpkg(good(), tmp_path)
    before = p.read_bytes()
    import_survey_file(ws, p, 2023)
    assert p.read_bytes() == before
    with sqlite3.connect(p) as c:
        assert c.execute("select count(*) from gpkg_contents").fetchone()[0] == 1
    shutil.rmtree(tmp_path / "ws")


def test_unknown_village_is_a_warning_township_level_code_is_not(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    f = edit(ZLDWDM_0="3602021019990000100", ZLDWDM_1="3602021010000000100")(good())
    report = import_survey_file(ws, gpkg(f, tmp_path), 2023)
    assert report.ok
    assert [(w.code, w.feature) for w in report.warnings if w.code.startswith("survey.zldwdm")] == [
        ("survey.zldwdm_unknown_village", f.loc[0, "BSM"])]


def _reencode_records(dbf: Path, rows: range, src: str, dst: str) -> None:
    """Rewrite the text of ``rows`` (0-based) of a DBF from encoding ``src`` to ``dst``, field by field."""
    raw = bytearray(dbf.read_bytes())
    hlen, rlen = struct.unpack("<HH", raw[8:12])
    widths, pos = [], 32
    while raw[pos] != 0x0D:
        widths.append(raw[pos + 16])
        pos += 32
    for r in rows:
        at = hlen + r * rlen + 1  # after the deletion flag
        for w in widths:
            text = bytes(raw[at:at + w]).decode(src).rstrip(" ")
            raw[at:at + w] = text.encode(dst).ljust(w, b" ")
            at += w
    dbf.write_bytes(bytes(raw))


def test_a_shapefile_with_mixed_encodings_is_refused(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "360200")
    p = tmp_path / "mixed.shp"
    frame = good()
    frame.to_file(p, encoding="UTF-8")  # UTF-8 field widths hold the shorter GBK text too
    p.with_suffix(".cpg").unlink()
    _reencode_records(p.with_suffix(".dbf"), range(0, len(frame), 2), "utf-8", "gbk")  # every other record
    with pytest.raises(UnreadableInput) as caught:
        import_survey_file(ws, p, 2023)
    assert caught.value.code == "file.mixed_encoding"
    assert caught.value.details["utf8"] == len(frame) // 2 and caught.value.details["gbk"] == len(frame) // 2
    with ws.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Epoch)) == 0
