"""Findings on land whose class did not change between the epochs (``change.Status``): their legality.

``STATUS_LEGALITY``: a planting attribute (撂荒, 永农种植非粮作物) needs no approval — it is no
occupation; it goes to the registries (撂荒地台账) and to rectification. Temporary-use land still 1301
after its permit expired is 临时用地到期未复垦.

Which permits count (``expired_in_period``): a permit is valid through its ``valid_until`` day, so it has
expired at a date d when valid_until < d (as ``Approval.expired_on`` and ``prejudge`` read it). Land is
reported in the period in which its permit went from valid at the earlier epoch's date to expired at
the later one (earlier date ≤ valid_until < later date), so each expiry is reported once, by the run
covering it, not again by every later run while the land stays unrestored (that is case follow-up).
Ground that a permit still valid at the later date, or a conversion approval issued by then, covers is
lawful and not reported (``keeps_temporary_lawful``).
"""

from __future__ import annotations

from datetime import date

from gengbao.domain.change import PatchKind
from gengbao.domain.legality import Approval, ApprovalKind, Legality

STATUS_LEGALITY: dict[PatchKind, Legality] = {
    PatchKind.PLANTING: Legality.NOT_APPLICABLE,
    PatchKind.UNRESTORED: Legality.TEMPORARY_EXPIRED,
}


def expired_in_period(a: Approval, earlier: date, later: date) -> bool:
    """A temporary-use permit issued by ``later``, valid at ``earlier`` and expired at ``later``."""
    return (a.kind is ApprovalKind.TEMPORARY and a.valid_until is not None and a.issued <= later
            and not a.expired_on(earlier) and a.expired_on(later))


def keeps_temporary_lawful(a: Approval, day: date) -> bool:
    """An approval that makes temporary-use land (1301) lawful at ``day``: a conversion approval issued
    by then, or a temporary-use permit issued by then and not expired."""
    if a.kind is ApprovalKind.CONVERSION:
        return a.counts_for(day)
    return a.kind is ApprovalKind.TEMPORARY and a.counts_for(day) and not a.expired_on(day)
