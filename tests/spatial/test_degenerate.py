"""Parts and holes of no area are dropped; real parts and holes are kept; areas do not change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from gengbao.services.survey.export import export_layer
from gengbao.services.survey.importing import import_survey_file, import_survey_frame
from gengbao.services.survey.stats import region_stats
from gengbao.services.workspace import init_workspace
from gengbao.spatial.area import ellipsoidal_area
from gengbao.spatial.degenerate import drop_degenerate
from tests.support import survey_factory as sf

FIELD = shapely.box(117.2, 29.3, 117.201, 29.3006)
SLIVER = shapely.Polygon([(117.2011, 29.3), (117.2012, 29.3), (117.20115, 29.3)])  # three collinear points


def test_slivers_go_real_parts_and_holes_stay() -> None:
    hole = shapely.box(117.2002, 29.3002, 117.2004, 29.3004)
    geoms = np.array([
        shapely.multipolygons([FIELD, SLIVER]),                      # field + sliver part
        shapely.Polygon(FIELD.exterior, [hole.exterior.coords]),     # a real hole
        shapely.Polygon(FIELD.exterior, [SLIVER.exterior.coords]),   # a hole of no area
        shapely.multipolygons([FIELD, shapely.box(117.203, 29.3, 117.204, 29.3005)]),  # two real parts
        FIELD,
    ], dtype=object)
    out, changed = drop_degenerate(geoms)
    assert changed.tolist() == [True, False, True, False, False]
    assert shapely.equals(out[0], FIELD) and shapely.equals(out[2], FIELD)
    assert out[1] is geoms[1] and out[3] is geoms[3]
    assert np.abs(ellipsoidal_area(out) - ellipsoidal_area(geoms)).max() < 0.005  # m²: below the 0.01 m² precision


def test_a_parcel_with_a_sliver_part_survives_a_shapefile_round_trip(tmp_path: Path) -> None:
    items = sf.parcels()
    frame = sf.frame(items)
    frame.loc[0, "geometry"] = shapely.multipolygons([frame.geometry.iloc[0], shapely.Polygon(
        [(117.2, 29.3), (117.2000001, 29.3), (117.20000005, 29.3)])])  # a sliver on the parcel's corner
    ws = init_workspace(tmp_path / "ws", "360200")
    report = import_survey_frame(ws, frame, 2022, source="dltb")
    assert [w.code for w in report.warnings] == ["geometry.degenerate_removed"]
    export_layer(ws, 2022, tmp_path / "dltb.shp")
    again = init_workspace(tmp_path / "again", "360200")
    back = import_survey_file(again, tmp_path / "dltb.shp", 2022)
    assert (back.ok, back.imported, back.errors) == (True, len(items), [])
    assert [r.farmland_m2 for r in region_stats(again, 2022)] == [r.farmland_m2 for r in region_stats(ws, 2022)]
