"""Optional PyTorch back end: the per-pixel part of a change (indices, spectral cloud/shadow test, classes) and
zonal sums, on a CUDA device. The same formulas in the same float32 order as the NumPy path, so results agree
within 1e-6 (classes and masks exactly, bar a value sitting on a threshold within rounding).

PyTorch is not a dependency: it is imported here lazily, only when a caller asks, and ``available()`` says
whether it is installed and sees a CUDA device. Nothing downloads anything.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from gengbao.sensing.bands import Band
from gengbao.sensing.change import ChangeClass, ChangeRule
from gengbao.sensing.masks import CloudTest

F32 = npt.NDArray[np.float32]


def _torch() -> Any:
    return importlib.import_module("torch")


def available() -> bool:
    """PyTorch installed and a CUDA device present."""
    try:
        torch = _torch()
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


@dataclass(frozen=True, slots=True)
class PixelResult:
    """Device tensors: ``labels`` (uint8, clouds not applied), ``bad`` (spectral cloud or shadow of either date,
    not grown), ``missing`` (no data on either date), NDVI before/after and NDWI after."""

    labels: Any
    bad: Any
    missing: Any
    ndvi_before: Any
    ndvi_after: Any
    ndwi_after: Any

    def numpy(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k).cpu().numpy() for k in ("labels", "bad", "missing", "ndvi_before", "ndvi_after",
                                                             "ndwi_after")}


def _nd(a: Any, b: Any) -> Any:
    num = a - b
    den = a + b
    out = num / den
    out[den == 0] = float("nan")
    return out


def _spectral(b: Any, g: Any, r: Any, n: Any, test: CloudTest) -> tuple[Any, Any]:
    total = b + g + r
    total = total + n
    vis = (b + g + r) / 3.0
    spread = b.maximum(g).maximum(r) - b.minimum(g).minimum(r)
    cloud = (b >= test.cloud_blue) & (vis >= test.cloud_bright) & (spread <= test.cloud_whiteness * vis)
    cloud &= (b - 0.5 * r) >= test.cloud_hot
    wet = (g - n) >= test.shadow_ndwi * (g + n)
    shadow = (total <= test.shadow_sum) & ~wet & ~cloud
    return cloud | shadow, total.isnan()


def to_device(bands: Mapping[str, F32], device: str = "cuda") -> dict[str, Any]:
    torch = _torch()
    return {k: torch.from_numpy(np.ascontiguousarray(v)).to(device, non_blocking=True) for k, v in bands.items()}


def change_pixels(before: Mapping[str, Any], after: Mapping[str, Any], rule: ChangeRule = ChangeRule(),
                  test: CloudTest = CloudTest()) -> PixelResult:
    """``before``/``after``: float32 reflectance tensors on one device, keyed by band name."""
    torch = _torch()
    bb, ba = before, after
    bad_b, miss_b = _spectral(bb[Band.BLUE], bb[Band.GREEN], bb[Band.RED], bb[Band.NIR], test)
    bad_a, miss_a = _spectral(ba[Band.BLUE], ba[Band.GREEN], ba[Band.RED], ba[Band.NIR], test)
    nb, na = _nd(bb[Band.NIR], bb[Band.RED]), _nd(ba[Band.NIR], ba[Band.RED])
    wb, wa = _nd(bb[Band.GREEN], bb[Band.NIR]), _nd(ba[Band.GREEN], ba[Band.NIR])
    if Band.SWIR1 in ba:
        built, built_min = _nd(ba[Band.SWIR1], ba[Band.NIR]), rule.ndbi_after
    else:
        vis = ba[Band.BLUE] + ba[Band.GREEN]
        vis = (vis + ba[Band.RED]) / 3.0
        built, built_min = _nd(vis, ba[Band.NIR]), rule.vnbi_after
    labels = torch.zeros(nb.shape, dtype=torch.uint8, device=nb.device)
    water = wa >= rule.water_after
    labels[water & (wb < rule.water_before)] = int(ChangeClass.WATER)
    lost = (na <= rule.veg_after) & ~water & (nb >= rule.veg_before) & ((nb - na) >= rule.drop) & (built >= built_min)
    labels[lost] = int(ChangeClass.BUILT)
    return PixelResult(labels, bad_b | bad_a, miss_b | miss_a, nb, na, wa)


def zonal_sums(ids: Any, n: int, values: Any, valid: Any) -> tuple[Any, Any]:
    """(count, sum) per zone 0..n of ``values`` over ``valid`` finite pixels; ``ids`` an int64 device tensor."""
    torch = _torch()
    ok = valid & values.isfinite()
    flat, w = ids[ok], values[ok].double()
    return torch.bincount(flat, minlength=n + 1)[: n + 1], torch.bincount(flat, weights=w, minlength=n + 1)[: n + 1]
