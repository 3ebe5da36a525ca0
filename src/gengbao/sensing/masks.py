"""Cloud and cloud-shadow masks from the four minimum bands (used when no mask file is given).

The test, per pixel, on reflectance (documented in docs/imagery.md):

- cloud: bright and white in the visible — blue ≥ ``cloud_blue``, mean(blue, green, red) ≥ ``cloud_bright``,
  (max − min of the visible) ≤ ``cloud_whiteness`` × mean, and the haze-optimised transform
  HOT = blue − 0.5 × red ≥ ``cloud_hot`` (Zhang et al. 2002, simplified);
- shadow: dark over all four bands but not water — blue + green + red + NIR ≤ ``shadow_sum`` and
  NDWI < ``shadow_ndwi`` (sunlit vegetation is bright in the NIR, sunlit soil and roofs in every band; water is
  dark too, hence the NDWI test; dark asphalt may be taken for shadow);
- both grown by ``buffer_px`` pixels (cloud edges are thin and half-transparent).

Pixels without data (NaN in any band) are never clear.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class CloudTest:
    cloud_blue: float = 0.2
    cloud_bright: float = 0.22
    cloud_whiteness: float = 0.35
    cloud_hot: float = 0.08
    shadow_sum: float = 0.22
    shadow_ndwi: float = 0.0
    buffer_px: int = 1


def grow(mask: Bool, px: int) -> Bool:
    """Binary dilation by a (2·px+1)² square, with array shifts (separable: rows then columns)."""
    if px <= 0 or mask.size == 0:
        return mask.copy()
    out = mask.copy()
    for k in range(1, px + 1):
        out[k:, :] |= mask[:-k, :]
        out[:-k, :] |= mask[k:, :]
    rows = out.copy()
    for k in range(1, px + 1):
        out[:, k:] |= rows[:, :-k]
        out[:, :-k] |= rows[:, k:]
    return out


def nodata(*bands: F32) -> Bool:
    out = np.zeros(bands[0].shape, dtype=bool)
    for b in bands:
        out |= np.isnan(b)
    return out


def spectral_test(blue: F32, green: F32, red: F32, nir: F32, test: CloudTest = CloudTest()) -> tuple[Bool, Bool, Bool]:
    """(cloud, shadow, no data), not yet grown. Each test first gates on one cheap comparison and evaluates the
    rest only on the few pixels that pass it (most pixels are neither cloud nor shadow)."""
    total = blue + green + red
    total += nir
    missing = np.isnan(total)
    cloud = blue >= test.cloud_blue
    i = np.flatnonzero(cloud)
    if i.size:
        b, g, r = blue.ravel()[i], green.ravel()[i], red.ravel()[i]
        vis = (b + g + r) / np.float32(3.0)
        spread = np.maximum(np.maximum(b, g), r) - np.minimum(np.minimum(b, g), r)
        ok = (vis >= test.cloud_bright) & (spread <= test.cloud_whiteness * vis)
        ok &= (b - np.float32(0.5) * r) >= test.cloud_hot
        cloud.ravel()[i] = ok
    shadow = total <= test.shadow_sum
    j = np.flatnonzero(shadow)
    if j.size:
        g, n = green.ravel()[j], nir.ravel()[j]
        wet = (g - n) >= test.shadow_ndwi * (g + n)
        shadow.ravel()[j] = ~wet & ~cloud.ravel()[j]
    return cloud, shadow, missing


def cloud_and_shadow(blue: F32, green: F32, red: F32, nir: F32, test: CloudTest = CloudTest()) -> tuple[Bool, Bool]:
    """(cloud, shadow) masks by the spectral test, each grown by the buffer."""
    cloud, shadow, _ = spectral_test(blue, green, red, nir, test)
    return grow(cloud, test.buffer_px), grow(shadow, test.buffer_px)


def clear_mask(blue: F32, green: F32, red: F32, nir: F32, given: Bool | None = None,
               test: CloudTest = CloudTest()) -> Bool:
    """True where a pixel has data and is neither cloud nor shadow; ``given`` (True = cloud/shadow) replaces
    the spectral test when a mask file came with the scene."""
    bad = nodata(blue, green, red, nir)
    if given is not None:
        bad |= given
    else:
        cloud, shadow = cloud_and_shadow(blue, green, red, nir, test)
        bad |= cloud | shadow
    return ~bad
