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

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from gengbao.sensing.bands import Band
from gengbao.sensing.indices import IndexSet, ndbi, ndvi, ndwi, vnbi
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


@dataclass(frozen=True, slots=True)
class ChangedPixels:
    """The figures evidence needs, kept only where a pixel was classed ``BUILT`` or ``WATER`` (flat indices)."""

    index: npt.NDArray[np.intp]
    ndvi_before: F32
    ndvi_after: F32
    ndwi_after: F32

    @staticmethod
    def concat(parts: list[ChangedPixels]) -> ChangedPixels:
        if not parts:
            e = np.empty(0, np.float32)
            return ChangedPixels(np.empty(0, np.intp), e, e, e)
        return ChangedPixels(*(np.concatenate([getattr(p, k) for p in parts])
                               for k in ("index", "ndvi_before", "ndvi_after", "ndwi_after")))


def classify_bands(before: Mapping[str, F32], after: Mapping[str, F32],
                   rule: ChangeRule = ChangeRule()) -> tuple[U8, ChangedPixels]:
    """``classify_pixels`` straight from reflectance bands, computing each index only where a test needs it:
    NDVI and NDWI after everywhere; NDWI before on the wet pixels; NDVI before and the built-up index on the
    pixels whose NDVI is low after. Returns the classes and the figures at the changed pixels."""
    na = ndvi(after[Band.RED], after[Band.NIR])
    wa = ndwi(after[Band.GREEN], after[Band.NIR])
    out = np.zeros(na.shape, dtype=np.uint8)
    flat = out.ravel()
    water = (wa >= rule.water_after).ravel()
    i = np.flatnonzero(water)
    if i.size:
        wb = ndwi(before[Band.GREEN].ravel()[i], before[Band.NIR].ravel()[i])
        flat[i[wb < rule.water_before]] = ChangeClass.WATER
    lost = (na <= rule.veg_after).ravel()
    lost &= ~water
    j = np.flatnonzero(lost)
    if j.size:
        nb = ndvi(before[Band.RED].ravel()[j], before[Band.NIR].ravel()[j])
        a = {k: v.ravel()[j] for k, v in after.items()}
        if Band.SWIR1 in after:
            built, built_min = ndbi(a[Band.SWIR1], a[Band.NIR]), rule.ndbi_after
        else:
            built, built_min = vnbi(a[Band.BLUE], a[Band.GREEN], a[Band.RED], a[Band.NIR]), rule.vnbi_after
        ok = (nb >= rule.veg_before) & (nb - na.ravel()[j] >= rule.drop) & (built >= built_min)
        flat[j[ok]] = ChangeClass.BUILT
    k = np.flatnonzero(flat)
    nbk = ndvi(before[Band.RED].ravel()[k], before[Band.NIR].ravel()[k])
    return out, ChangedPixels(k.astype(np.intp), nbk, na.ravel()[k], wa.ravel()[k])


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


def ring_counts_sparse(ids: npt.NDArray[np.integer], n: int, clear: Bool, px: int) -> tuple[F64, F64]:
    """Per candidate: pixels and clear pixels in the candidate and its ring — the background pixels within
    ``px`` pixels (Chebyshev), each given to the largest id within reach. Computed from the candidates' own
    pixels and their (2·px+1)² neighbours: the cost follows the candidates, not the grid."""
    h, w = ids.shape
    flat = ids.ravel()
    idx = np.flatnonzero(flat)
    own = flat[idx].astype(np.intp)
    pix, pix_ids = idx, own
    if idx.size and px > 0:
        r, c = np.divmod(idx, w)
        d = np.arange(-px, px + 1)
        dy, dx = (a.ravel() for a in np.meshgrid(d, d, indexing="ij"))
        rr, cc = r[:, None] + dy[None, :], c[:, None] + dx[None, :]
        inside = (rr >= 0) & (rr < h) & (cc >= 0) & (cc < w)
        near = (rr * w + cc)[inside]
        src = np.broadcast_to(own[:, None], rr.shape)[inside]
        bg = flat[near] == 0
        near, src = near[bg], src[bg]
        order = np.lexsort((-src, near))
        near, src = near[order], src[order]
        first = np.r_[True, near[1:] != near[:-1]] if near.size else np.zeros(0, bool)
        pix, pix_ids = np.r_[idx, near[first]], np.r_[own, src[first]]
    total = np.bincount(pix_ids, minlength=n + 1)[: n + 1].astype(np.float64)
    ok = np.bincount(pix_ids, weights=clear.ravel()[pix].astype(np.float64), minlength=n + 1)[: n + 1]
    return total, ok.astype(np.float64)


def evidence(ids: I32, n: int, classes: npt.NDArray[np.int64], pixels: ChangedPixels, clear: Bool, min_pixels: int,
             rule: ChangeRule = ChangeRule()) -> Evidence:
    """Evidence per candidate from an id raster (0 = none); ``classes[i]`` is candidate i's ``ChangeClass``,
    ``pixels`` the figures at the changed pixels, ``clear`` clear on both dates. Vectorised with bincount."""
    zone = ids.ravel()[pixels.index]
    sums = zonal_sums(zone, n, {"ndvi_b": pixels.ndvi_before, "ndvi_a": pixels.ndvi_after,
                                "ndwi_a": pixels.ndwi_after}, clear.ravel()[pixels.index])
    total, ok = ring_counts_sparse(ids, n, clear, rule.ring_px)
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
