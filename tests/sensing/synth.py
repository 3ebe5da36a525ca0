"""Scene synthesiser (tests and bench): renders a generated scenario's parcels to 10 m multispectral rasters.

Each pixel takes the land class of the parcel its centre lies in. Classes have end-member spectra (blue, green,
red, NIR, SWIR1, SWIR2 reflectance); vegetated classes mix a green-leaf and a soil spectrum by a seasonal
green-cover fraction (crops peak around day 200; abandoned farmland — planting attribute WG — never greens up);
each parcel gets its own small offset of the fraction; sensor noise is Gaussian per band and pixel; clouds are
a smooth random field thresholded to a requested share, bright and white, with shadows displaced beside them.
Everything rendered is synthetic; ``Rendered.obscured`` is the truth mask of cloud and shadow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
from affine import Affine
from rasterio import features

VEG = np.array([0.03, 0.07, 0.04, 0.45, 0.22, 0.11], np.float32)
SOIL = np.array([0.10, 0.13, 0.18, 0.24, 0.32, 0.27], np.float32)
BUILT = np.array([0.16, 0.17, 0.18, 0.21, 0.26, 0.23], np.float32)
WATER = np.array([0.06, 0.07, 0.04, 0.02, 0.01, 0.005], np.float32)
CLOUD = np.array([0.45, 0.46, 0.47, 0.50, 0.36, 0.26], np.float32)
GROUPS = ("crop", "abandoned", "orchard", "forest", "grass", "water", "built", "bare")


def group_of(dlbm: str, zzsx: object) -> str:
    if dlbm in ("0101", "0102", "0103"):
        return "abandoned" if zzsx == "WG" else "crop"
    if dlbm.startswith("02"):
        return "orchard"
    if dlbm.startswith("03") or dlbm in ("0304", "0306"):
        return "forest"
    if dlbm.startswith("04") or dlbm in ("1203", "1006"):
        return "grass"
    if dlbm.startswith("11") and dlbm not in ("1109",):
        return "water"
    if dlbm in ("1205", "1206", "1207", "1204", "1303", "1301"):
        return "bare"
    return "built"


def green_cover(group: str, doy: float) -> float:
    """Seasonal green-cover fraction of a class on a day of the year."""
    season = float(np.exp(-(((doy - 200.0) / 70.0) ** 2)))
    return {"crop": 0.15 + 0.75 * season, "abandoned": 0.12 + 0.10 * season, "orchard": 0.55 + 0.25 * season,
            "forest": 0.80 + 0.10 * season, "grass": 0.30 + 0.35 * season}.get(group, 0.0)


def spectrum(group: str, doy: float) -> np.ndarray:
    if group == "water":
        return WATER
    if group == "built":
        return BUILT
    if group == "bare":
        return SOIL
    f = green_cover(group, doy)
    return (f * VEG + (1 - f) * SOIL).astype(np.float32)


@dataclass(frozen=True)
class Window:
    epsg: int
    x0: float
    y0: float  # top edge
    width: int
    height: int
    pixel: float = 10.0

    @property
    def transform(self) -> Affine:
        return Affine(self.pixel, 0, self.x0, 0, -self.pixel, self.y0)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0 - self.height * self.pixel, self.x0 + self.width * self.pixel, self.y0)


def densest_window(points: gpd.GeoSeries, epsg: int, size_m: float) -> Window:
    """The size_m × size_m window (on a 10 m lattice) holding the most of ``points`` (any CRS)."""
    p = points.to_crs(epsg)
    x, y = p.x.to_numpy(), p.y.to_numpy()
    best, where = -1, (0.0, 0.0)
    for cx, cy in zip(x, y, strict=True):
        n = int(((abs(x - cx) <= size_m / 2) & (abs(y - cy) <= size_m / 2)).sum())
        if n > best:
            best, where = n, (cx, cy)
    x0 = np.floor((where[0] - size_m / 2) / 10) * 10
    y0 = np.ceil((where[1] + size_m / 2) / 10) * 10
    n = int(size_m // 10)
    return Window(epsg, float(x0), float(y0), n, n)


def _parcel_noise(bsm: np.ndarray, scale: float) -> np.ndarray:
    h = np.array([int(hashlib.blake2b(str(b).encode(), digest_size=4).hexdigest(), 16) for b in bsm], np.float64)
    return ((h / 2**32) - 0.5) * 2 * scale


def class_raster(parcels: gpd.GeoDataFrame, window: Window) -> tuple[np.ndarray, np.ndarray]:
    """(group index per pixel, green-cover offset per pixel) from parcels with DLBM/ZZSXDM/BSM (any CRS)."""
    g = parcels.to_crs(window.epsg)
    b = window.bounds
    g = g.cx[b[0]:b[2], b[1]:b[3]]
    groups = np.array([GROUPS.index(group_of(str(d), z)) for d, z in zip(g["DLBM"], g["ZZSXDM"], strict=True)])
    shape = (window.height, window.width)
    idx = features.rasterize(zip(g.geometry, np.arange(1, len(g) + 1), strict=True), out_shape=shape,
                             transform=window.transform, fill=0, dtype="int32")
    grp = np.r_[GROUPS.index("bare"), groups][idx]
    jitter = np.r_[0.0, _parcel_noise(g["BSM"].to_numpy(), 0.04)][idx].astype(np.float32)
    return grp.astype(np.int16), jitter


def clouds(shape: tuple[int, int], share: float, rng: np.random.Generator, cell: int = 24,
           shadow_shift: tuple[int, int] = (6, 9)) -> tuple[np.ndarray, np.ndarray]:
    """(cloud, shadow) masks: a smooth random field above its (1 − share) quantile; shadows displaced."""
    if share <= 0:
        z = np.zeros(shape, bool)
        return z, z.copy()
    gh, gw = shape[0] // cell + 2, shape[1] // cell + 2
    coarse = rng.standard_normal((gh, gw))
    yy = np.arange(shape[0]) / cell
    xx = np.arange(shape[1]) / cell
    y0, x0 = yy.astype(int), xx.astype(int)
    fy, fx = (yy - y0)[:, None], (xx - x0)[None, :]
    field = (coarse[y0][:, x0] * (1 - fy) * (1 - fx) + coarse[y0 + 1][:, x0] * fy * (1 - fx)
             + coarse[y0][:, x0 + 1] * (1 - fy) * fx + coarse[y0 + 1][:, x0 + 1] * fy * fx)
    cloud = field > np.quantile(field, 1 - share)
    dy, dx = shadow_shift
    shadow = np.zeros(shape, bool)
    shadow[dy:, dx:] = cloud[:-dy, :-dx]
    return cloud, shadow & ~cloud


@dataclass(frozen=True)
class Rendered:
    path: Path
    obscured: np.ndarray  # truth: cloud or shadow


def render(parcels: gpd.GeoDataFrame, window: Window, doy: float, path: Path, *, seed: int = 0,
           cloud_share: float = 0.0, swir: bool = True, noise: float = 0.004, descriptions: bool = True,
           supersample: int = 1) -> Rendered:
    """Write a uint16 GeoTIFF (DN = reflectance × 10000, Sentinel-2 band order B02 B03 B04 B08 [B11 B12]).

    ``supersample`` k > 1 paints a k× finer grid and averages k × k blocks: mixed pixels along every edge."""
    rng = np.random.default_rng(seed)
    k = max(1, int(supersample))
    fine = Window(window.epsg, window.x0, window.y0, window.width * k, window.height * k, window.pixel / k)
    grp, jitter = class_raster(parcels, fine)
    nb = 6 if swir else 4
    table = np.stack([spectrum(g, doy) for g in GROUPS])  # groups × 6
    refl = table[grp][..., :nb].astype(np.float32)  # rows × cols × bands
    veg = np.isin(grp, [GROUPS.index(g) for g in ("crop", "abandoned", "orchard", "forest", "grass")])
    refl[veg] += (jitter[veg][:, None] * (VEG - SOIL)[:nb])
    if k > 1:
        refl = refl.reshape(window.height, k, window.width, k, nb).mean(axis=(1, 3), dtype=np.float32)
    refl += rng.normal(0.0, noise, refl.shape).astype(np.float32)
    cloud, shadow = clouds((window.height, window.width), cloud_share, rng)
    refl[cloud] = CLOUD[:nb] + rng.normal(0.0, 0.01, (int(cloud.sum()), nb)).astype(np.float32)
    refl[shadow] *= np.float32(0.25)
    dn = np.clip(np.rint(refl * 10000), 1, 65535).astype(np.uint16)
    profile = {"driver": "GTiff", "width": window.width, "height": window.height, "count": nb, "dtype": "uint16",
               "crs": rasterio.CRS.from_epsg(window.epsg), "transform": window.transform, "tiled": True,
               "blockxsize": 256, "blockysize": 256, "compress": "deflate"}
    with rasterio.open(path, "w", **profile) as ds:
        for k in range(nb):
            ds.write(dn[..., k], k + 1)
        if descriptions:
            ds.descriptions = ("B02", "B03", "B04", "B08", "B11", "B12")[:nb]
    return Rendered(path, cloud | shadow)


def write_mask(mask: np.ndarray, window: Window, path: Path) -> Path:
    profile = {"driver": "GTiff", "width": window.width, "height": window.height, "count": 1, "dtype": "uint8",
               "crs": rasterio.CRS.from_epsg(window.epsg), "transform": window.transform}
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(mask.astype(np.uint8), 1)
    return path
