"""Two-date change: per-pixel classes, then evidence figures per candidate (after polygonising).

Per pixel (both dates clear):
- ``BUILT`` (vegetation lost to built-up or bare soil): NDVI before ≥ ``veg_before``, NDVI after ≤ ``veg_after``,
  NDVI drop ≥ ``drop``, built-up index after ≥ the rule's threshold for its kind, NDWI after < ``water_after``;
- ``WATER`` (land to water): NDWI after ≥ ``water_after`` and NDWI before < ``water_before``.
Pixels clear on neither or only one date are ``OBSCURED``: nothing can be said there, and the candidates they
form are reported ``inconclusive`` (never as "no change").

Per candidate (an id raster from the polygons): mean NDVI before/after over its pixels, the share of clear
pixels in the candidate and a ring of ``ring_px`` pixels around it (a change next to a cloud may continue
under it), a confidence in 0–1, and ``inconclusive`` when the share is below ``min_clear_share`` or there are
fewer clear pixels than the minimum mapping unit holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from gengbao.sensing.indices import IndexSet
from gengbao.sensing.masks import Bool
from gengbao.sensing.zonal import zonal_sums

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]


class ChangeClass(IntEnum):
    NONE = 0
    BUILT = 1
    WATER = 2
    OBSCURED = 3

    @property
    def code(self) -> str:
        return ("none", "built_or_bare", "water", "obscured")[self.value]

    @property
    def label(self) -> str:
        return ("无变化", "植被变为建设或裸土", "变为水面", "云或阴影遮挡")[self.value]


@dataclass(frozen=True, slots=True)
class ChangeRule:
    veg_before: float = 0.4
    veg_after: float = 0.25
    drop: float = 0.25
    ndbi_after: float = -0.1
    vnbi_after: float = -0.4
    water_after: float = 0.1
    water_before: float = 0.0
    min_clear_share: float = 0.9
    ring_px: int = 2


def classify_pixels(ndvi_before: F32, ndvi_after: F32, ndwi_before: F32, ndwi_after: F32, builtup_after: F32,
                    builtup_kind: str, rule: ChangeRule = ChangeRule()) -> U8:
    """``BUILT`` / ``WATER`` / ``NONE`` per pixel, clouds not yet considered. Gated: the vegetation-loss test runs
    on the pixels whose NDVI fell at all, the water test on those wet after."""
    out = np.zeros(ndvi_before.shape, dtype=np.uint8)
    flat = out.ravel()
    water = (ndwi_after >= rule.water_after).ravel()
    i = np.flatnonzero(water)
    if i.size:
        flat[i[ndwi_before.ravel()[i] < rule.water_before]] = ChangeClass.WATER
    lost = (ndvi_after <= rule.veg_after).ravel()
    lost &= ~water
    j = np.flatnonzero(lost)
    if j.size:
        built_min = rule.ndbi_after if builtup_kind == "ndbi" else rule.vnbi_after
        nb, na = ndvi_before.ravel()[j], ndvi_after.ravel()[j]
        ok = (nb >= rule.veg_before) & (nb - na >= rule.drop) & (builtup_after.ravel()[j] >= built_min)
        flat[j[ok]] = ChangeClass.BUILT
    return out


def classify(before: IndexSet, after: IndexSet, clear_before: Bool, clear_after: Bool,
             rule: ChangeRule = ChangeRule()) -> U8:
    """Per-pixel ``ChangeClass`` codes (uint8): pixels not clear on both dates are ``OBSCURED``."""
    out = classify_pixels(before.ndvi, after.ndvi, before.ndwi, after.ndwi, after.builtup, after.builtup_kind, rule)
    out[~(clear_before & clear_after)] = ChangeClass.OBSCURED
    return out


@dataclass(frozen=True, slots=True)
class Evidence:
    """Per candidate id 1..n (index 0 unused): figures behind each call."""

    pixels: npt.NDArray[np.int64]
    ndvi_before: F64
    ndvi_after: F64
    ndwi_after: F64
    clear_share: F64
    confidence: F64
    inconclusive: npt.NDArray[np.bool_]


def _ring_ids(ids: I32, px: int) -> I32:
    """Each candidate's id grown by ``px`` pixels into the background (the larger id wins where rings meet)."""
    out = ids.copy()
    for _ in range(px):
        grown = out.copy()
        np.maximum(grown[1:, :], out[:-1, :], out=grown[1:, :])
        np.maximum(grown[:-1, :], out[1:, :], out=grown[:-1, :])
        g2 = grown.copy()
        np.maximum(g2[:, 1:], grown[:, :-1], out=g2[:, 1:])
        np.maximum(g2[:, :-1], grown[:, 1:], out=g2[:, :-1])
        out = np.where(ids > 0, ids, g2)
    return out


def ring_counts(ids: I32, n: int, clear: Bool, px: int, rows: int | None = None) -> tuple[F64, F64]:
    """Per candidate: pixels and clear pixels in the candidate and its ring of ``px`` pixels, computed in blocks
    of ``rows`` rows with a halo (default: blocks of ~2¹⁷ pixels, which stay in cache)."""
    total, ok = np.zeros(n + 1), np.zeros(n + 1)
    h = ids.shape[0]
    rows = rows or max(8, (1 << 17) // max(1, ids.shape[1]))
    for r0 in range(0, h, rows):
        r1 = min(h, r0 + rows)
        a, b = max(0, r0 - px), min(h, r1 + px)
        ring = _ring_ids(ids[a:b], px)[r0 - a: r0 - a + (r1 - r0)] if px > 0 else ids[r0:r1]
        flat = ring.ravel().astype(np.intp, copy=False)
        total += np.bincount(flat, minlength=n + 1)[: n + 1]
        ok += np.bincount(flat, weights=clear[r0:r1].ravel().astype(np.float64), minlength=n + 1)[: n + 1]
    return total, ok


def evidence(ids: I32, n: int, classes: npt.NDArray[np.int64], ndvi_before: F32, ndvi_after: F32, ndwi_after: F32,
             clear: Bool, min_pixels: int, rule: ChangeRule = ChangeRule()) -> Evidence:
    """Evidence per candidate from an id raster (0 = none); ``classes[i]`` is candidate i's ``ChangeClass``,
    ``clear`` is clear on both dates. Vectorised with bincount: no loop over candidates."""
    sums = zonal_sums(ids, n, {"ndvi_b": ndvi_before, "ndvi_a": ndvi_after, "ndwi_a": ndwi_after}, clear, sparse=True)
    total, ok = ring_counts(ids, n, clear, rule.ring_px)
    share = np.divide(ok, total, out=np.zeros(n + 1), where=total > 0)
    count = sums.count
    nb, na, wa = sums.mean("ndvi_b"), sums.mean("ndvi_a"), sums.mean("ndwi_a")
    strength = np.zeros(n + 1)
    cls = np.r_[0, classes].astype(np.int64)
    built, water = cls == ChangeClass.BUILT, cls == ChangeClass.WATER
    strength[built] = np.clip(0.5 + ((nb - na)[built] - rule.drop) / 0.3, 0.0, 1.0)
    strength[water] = np.clip(0.5 + (wa[water] - rule.water_after) / 0.3, 0.0, 1.0)
    conf = np.nan_to_num(strength * share)
    inconclusive = (share < rule.min_clear_share) | (count < min_pixels) | (cls == ChangeClass.OBSCURED)
    conf[cls == ChangeClass.OBSCURED] = 0.0
    return Evidence(count, nb, na, wa, share, conf, inconclusive)
