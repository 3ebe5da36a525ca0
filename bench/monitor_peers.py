"""The peers of bench/monitor.py, doing the same job the straightforward way on the same workspace:
change pieces between two epochs, their geodesic areas, their area on PBF, and their split by approvals.

* GeoPandas: ``geopandas.overlay`` of the two epochs, then overlays with PBF and approvals, and
  ``pyproj.Geod`` areas; writes a GeoPackage.
* DuckDB hash-skip (``duckdb_hash_skip``): gengbao's algorithm as an expert writes it in SQL.
* DuckDB spatial (``duckdb==1.5.5`` + ``duckdb-extension-spatial==1.5.5``, loaded by file path): the same
  joins in SQL with ``ST_Intersects`` spatial joins and ``ST_Area_Spheroid``; writes a GeoPackage.

Each returns its time split (read / diff / overlay / area / write) and the number of change pieces.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from gengbao.adapters import layer_store
from gengbao.adapters.db import approvals_store
from gengbao.services.workspace import Workspace

E1, E2, MIN_AREA = 2021, 2022, 1.0


class Timer(dict[str, float]):
    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        self[step] = self.get(step, 0.0) + time.perf_counter() - t0


def _approvals(ws: Workspace) -> gpd.GeoDataFrame:
    with ws.sessions() as s:
        rows = approvals_store.load(s)
    return gpd.GeoDataFrame({"aid": [r.approval_id for r in rows], "kind": [r.kind for r in rows]},
                            geometry=shapely.from_wkb([r.wkb for r in rows]), crs="EPSG:4490")


def geopandas_way(ws: Workspace, out: Path) -> tuple[dict[str, float], int]:
    t, geod = Timer(), Geod(ellps="GRS80")

    def area(frame: gpd.GeoDataFrame) -> np.ndarray:
        return np.array([abs(geod.geometry_area_perimeter(g)[0]) for g in frame.geometry])

    with t("read"):
        e1 = layer_store.read_dataset(ws.layout.layers, "parcels", E1, ["DLBM", "ZLDWDM"])
        e2 = layer_store.read_dataset(ws.layout.layers, "parcels", E2, ["DLBM"])
        pbf = layer_store.read_dataset(ws.layout.layers, "pbf", E1, ["BSM"])
        appr = _approvals(ws)
    with t("diff"):
        ov = gpd.overlay(e1[["DLBM", "ZLDWDM", "geometry"]], e2[["DLBM", "geometry"]], how="intersection",
                         keep_geom_type=True)
        ch = ov[ov["DLBM_1"] != ov["DLBM_2"]].reset_index(drop=True)
    with t("area"):
        ch["area_m2"] = area(ch)
    ch = ch[ch["area_m2"] >= MIN_AREA].reset_index(drop=True)
    ch["pid"] = np.arange(len(ch))
    with t("overlay"):
        on_pbf = gpd.overlay(ch[["pid", "geometry"]], pbf[["geometry"]], how="intersection", keep_geom_type=True)
        covered = gpd.overlay(ch[["pid", "geometry"]], appr, how="intersection", keep_geom_type=True)
        uncovered = gpd.overlay(ch[["pid", "geometry"]], appr[["geometry"]], how="difference", keep_geom_type=True)
    with t("area"):
        pbf_m2 = pd.Series(area(on_pbf), index=on_pbf["pid"]).groupby(level=0).sum()
        ch["pbf_m2"] = pbf_m2.reindex(ch["pid"]).fillna(0.0).to_numpy()
        covered["area_m2"], uncovered["area_m2"] = area(covered), area(uncovered)
    with t("write"):
        parts = pd.concat([covered.assign(part="covered"), uncovered.assign(part="uncovered", aid=None)])
        parts = gpd.GeoDataFrame(parts.merge(ch.drop(columns=["geometry", "area_m2"]), on="pid"), crs="EPSG:4490")
        parts.to_file(out / "geopandas.gpkg", driver="GPKG")
    return dict(t), len(ch)


def duckdb_extension() -> Path | None:
    try:
        import duckdb_extension_spatial
    except ImportError:
        return None
    return next(Path(duckdb_extension_spatial.__file__).parent.rglob("*.duckdb_extension"), None)


# Joins are materialised before any filter on their result: a filter on ST_Intersection(...) pushed into
# the join makes DuckDB 1.5.5 plan a nested-loop join instead of its SPATIAL_JOIN (minutes at 30k parcels).
SQL_DIFF = """
CREATE TABLE pairs AS SELECT e1.DLBM AS f, e2.DLBM AS t, e1.ZLDWDM AS z, e1.geom AS g1, e2.geom AS g2
  FROM e1 JOIN e2 ON ST_Intersects(e1.geom, e2.geom) WHERE e1.DLBM <> e2.DLBM;
CREATE TABLE pieces AS SELECT f, t, z, ST_CollectionExtract(ST_Intersection(g1, g2), 3) AS g FROM pairs;
CREATE TABLE ch AS SELECT row_number() OVER () AS pid, f, t, z, g, m2 AS area_m2 FROM (
  SELECT *, ST_Area_Spheroid(ST_FlipCoordinates(g)) AS m2 FROM pieces WHERE NOT ST_IsEmpty(g)) WHERE m2 >= {min_area};
"""
SQL_OVERLAY = """
CREATE TABLE pbf_pairs AS SELECT ch.pid, ch.g, pbf.geom FROM ch JOIN pbf ON ST_Intersects(ch.g, pbf.geom);
CREATE TABLE on_pbf AS SELECT pid, SUM(ST_Area_Spheroid(ST_FlipCoordinates(ST_Intersection(g, geom)))) AS m2
  FROM pbf_pairs GROUP BY pid;
CREATE TABLE appr_pairs AS SELECT ch.pid, a.aid, ch.g, a.geom FROM ch JOIN appr a ON ST_Intersects(ch.g, a.geom);
CREATE TABLE covered AS SELECT pid, aid, ST_CollectionExtract(ST_Intersection(g, geom), 3) AS g FROM appr_pairs;
CREATE TABLE cover_union AS SELECT pid, ST_Union_Agg(geom) AS geom FROM appr_pairs GROUP BY pid;
CREATE TABLE uncovered AS SELECT ch.pid, CASE WHEN u.geom IS NULL THEN ch.g
  ELSE ST_CollectionExtract(ST_Difference(ch.g, u.geom), 3) END AS g FROM ch LEFT JOIN cover_union u USING (pid);
"""


def duckdb_way(ws: Workspace, out: Path) -> tuple[dict[str, float], int]:
    import duckdb

    ext = duckdb_extension()
    t = Timer()
    con = duckdb.connect()
    con.execute(f"LOAD '{ext}'")
    layers = ws.layout.layers
    with t("read"):
        for name, kind, year, cols in (("e1", "parcels", E1, "DLBM, ZLDWDM"), ("e2", "parcels", E2, "DLBM"),
                                       ("pbf", "pbf", E1, "BSM")):
            src = layer_store.dataset_path(layers, kind, year) / "*" / "*.parquet"
            con.execute(f"CREATE TABLE {name} AS SELECT {cols}, geometry::GEOMETRY AS geom "
                        f"FROM read_parquet('{src}')")
        appr = _approvals(ws)
        frame = pd.DataFrame({"aid": appr["aid"], "wkb": shapely.to_wkb(appr.geometry.to_numpy())})
        con.register("appr_src", frame)
        con.execute("CREATE TABLE appr AS SELECT aid, ST_GeomFromWKB(wkb) AS geom FROM appr_src")
    with t("diff"):
        con.execute(SQL_DIFF.format(min_area=MIN_AREA))
    with t("overlay"):
        con.execute(SQL_OVERLAY)
    with t("area"):
        con.execute("CREATE TABLE parts AS SELECT pid, aid, g, ST_Area_Spheroid(ST_FlipCoordinates(g)) AS m2 FROM "
                    "(SELECT pid, aid, g FROM covered UNION ALL SELECT pid, NULL, g FROM uncovered) WHERE NOT ST_IsEmpty(g)")
    with t("write"):
        con.execute(f"COPY (SELECT p.pid, p.aid, p.m2, c.f, c.t, c.z, COALESCE(o.m2, 0) AS pbf_m2, p.g FROM parts p "
                    f"JOIN ch c USING (pid) LEFT JOIN on_pbf o USING (pid)) TO '{out / 'duckdb.gpkg'}' "
                    "WITH (FORMAT GDAL, DRIVER 'GPKG')")
    n = int(con.execute("SELECT count(*) FROM ch").fetchone()[0])  # type: ignore[index]
    return dict(t), n


# The hash-skip as an expert writes it in SQL: the stored geom_hash pairs unchanged and wholly re-classed
# parcels without touching a geometry (a hash occurring twice in one epoch counts as re-drawn, as in
# gengbao); only the residue (anti-join) is intersected, class-differing pairs only (the class filter runs
# after the spatial join is materialised: pushed into it, DuckDB 1.5.5 plans a nested loop, 15 s at 300k);
# pieces of one later parcel from one earlier class and located-in unit are one patch; ellipsoidal areas;
# patches < 1 m² go. It stops at the class-change patches: no PBF/approval split, judgement or writing.
SQL_HASH_SKIP = """
CREATE TABLE b AS SELECT row_number() OVER () AS rid, DLBM, ZLDWDM, geom_hash, geometry FROM read_parquet('{e1}');
CREATE TABLE a AS SELECT row_number() OVER () AS rid, DLBM, geom_hash, geometry FROM read_parquet('{e2}');
CREATE TABLE bu AS SELECT geom_hash FROM b GROUP BY geom_hash HAVING count(*) = 1;
CREATE TABLE au AS SELECT geom_hash FROM a GROUP BY geom_hash HAVING count(*) = 1;
CREATE TABLE hit AS SELECT b.rid AS brid, a.rid AS arid, b.DLBM <> a.DLBM AS changed
  FROM b JOIN bu USING (geom_hash) JOIN a USING (geom_hash) JOIN au USING (geom_hash);
CREATE TABLE whole AS SELECT b.geometry::GEOMETRY AS g FROM hit JOIN b ON b.rid = hit.brid WHERE hit.changed;
CREATE TABLE rb AS SELECT rid, DLBM, ZLDWDM, geometry::GEOMETRY AS geom FROM b ANTI JOIN hit ON b.rid = hit.brid;
CREATE TABLE ra AS SELECT rid, DLBM, geometry::GEOMETRY AS geom FROM a ANTI JOIN hit ON a.rid = hit.arid;
CREATE TABLE pairs AS SELECT ra.rid AS arid, rb.DLBM AS f, ra.DLBM AS t, rb.ZLDWDM AS z, rb.geom AS g1,
  ra.geom AS g2 FROM rb JOIN ra ON ST_Intersects(rb.geom, ra.geom);
CREATE TABLE pieces AS SELECT arid, f, z, ST_CollectionExtract(ST_Intersection(g1, g2), 3) AS g FROM pairs
  WHERE f <> t;
CREATE TABLE merged AS SELECT ST_Union_Agg(g) AS g FROM pieces WHERE NOT ST_IsEmpty(g) GROUP BY arid, f, z;
CREATE TABLE ch AS SELECT m2 FROM (SELECT ST_Area_Spheroid(ST_FlipCoordinates(g)) AS m2 FROM
  (SELECT g FROM whole UNION ALL SELECT g FROM merged)) WHERE m2 >= {min_area};
"""


def duckdb_hash_skip(ws: Workspace, out: Path) -> tuple[dict[str, float], int, float]:
    """Class-change patches of the two epochs by the hash-skip in DuckDB SQL: (time split, patches, m²)."""
    import duckdb

    t = Timer()
    with t("load"):  # connection and spatial extension: start-up, shown apart
        con = duckdb.connect()
        con.execute(f"LOAD '{duckdb_extension()}'")
    src = [layer_store.dataset_path(ws.layout.layers, "parcels", e) / "*" / "*.parquet" for e in (E1, E2)]
    with t("sql"):
        con.execute(SQL_HASH_SKIP.format(e1=src[0], e2=src[1], min_area=MIN_AREA))
    n, m2 = con.execute("SELECT count(*), coalesce(sum(m2), 0) FROM ch").fetchone()  # type: ignore[misc]
    return dict(t), int(n), float(m2)
