"""Follow-ups of earlier events, played at the start of an epoch before any new random event:

* temporary use whose permit expired by the epoch's date: restored to its former farmland class
  (``temporary_restoration``) or left unrestored (``temporary_expired``, no change, unlawful);
* earlier illegal construction demolished and restored to farmland (``demolition``);
* earlier illegal construction declared rectified but still built (``fake_rectification``).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from gengbao.scenario.events import EpochPlayer
from gengbao.scenario.profile import EventsProfile
from gengbao.scenario.records import Event, epoch_date


def _restore(p: EpochPlayer, earlier: Event, kind: str, approval_id: str | None = None) -> Event | None:
    row = p.carve_bsm(earlier.bsm)
    if row is None:
        return None
    built = str(row["dlbm"])
    row.update(dlbm=earlier.from_class, zzsx="LS", tbxh=None, czcs="")
    event = p.record(kind, row, built, True, approval_id=approval_id, related=earlier.event_id)
    earlier.restored, earlier.restored_epoch = True, p.epoch
    return event


def temporary(p: EpochPlayer) -> None:
    truth = p.county.truth
    by_id = {e.event_id: e for e in truth.events}
    for a in truth.approvals:
        if a.kind != "temporary" or a.event_id is None or a.restored_epoch is not None or a.valid_until is None:
            continue
        earlier = by_id[a.event_id]
        if earlier.epoch >= p.epoch or date.fromisoformat(a.valid_until) > epoch_date(p.epoch):
            continue
        if any(e.type == "temporary_expired" and e.related_event == earlier.event_id for e in truth.events):
            continue
        if a.will_restore:
            if _restore(p, earlier, "temporary_restoration", a.approval_id) is not None:
                a.restored_epoch = p.epoch
            continue
        row = p.row_of(earlier.bsm)
        if row is not None:
            p.record("temporary_expired", row, str(row["dlbm"]), False, approval_id=a.approval_id,
                     related=earlier.event_id)


def rectification(p: EpochPlayer, profile: EventsProfile) -> None:
    truth = p.county.truth
    faked = {e.related_event for e in truth.events if e.type == "fake_rectification"}
    open_cases = [e for e in truth.events if e.type == "illegal_construction" and not e.restored and e.epoch < p.epoch]
    n = len(open_cases)
    n_demolish = int(np.floor(n * profile["demolition"].share + p.rng.random())) if n else 0
    chosen = p.rng.choice(n, size=min(n_demolish, n), replace=False) if n_demolish else np.empty(0, dtype=int)
    for i in np.sort(chosen):
        _restore(p, open_cases[int(i)], "demolition")
    left = [e for i, e in enumerate(open_cases) if i not in set(chosen.tolist()) and e.event_id not in faked]
    m = len(left)
    n_fake = int(np.floor(m * profile["fake_rectification"].share + p.rng.random())) if m else 0
    for i in np.sort(p.rng.choice(m, size=min(n_fake, m), replace=False)) if n_fake else []:
        earlier = left[int(i)]
        row = p.row_of(earlier.bsm)
        if row is not None:
            p.record("fake_rectification", row, str(row["dlbm"]), False, related=earlier.event_id, declared=True)


def play_follow_ups(p: EpochPlayer, profile: EventsProfile) -> None:
    temporary(p)
    rectification(p, profile)
