"""The layers a workspace holds: survey parcels and PBF per epoch, and patch layers per run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gengbao.adapters.db import catalog_store
from gengbao.domain.access import Action
from gengbao.services.context import Context


@dataclass(frozen=True, slots=True)
class LayerEntry:
    kind: str
    epoch: int
    features: int | None
    counties: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "epoch": self.epoch, "features": self.features, "counties": list(self.counties)}


def stored_layers(ctx: Context) -> list[LayerEntry]:
    """Imported epochs of every layer kind; counties cut to the caller's jurisdiction, and the feature
    count only for a caller that sees the whole workspace."""
    ctx.authorise(Action.READ)
    with ctx.sessions() as s:
        rows = catalog_store.epochs(s)
    whole = ctx.actor.covers(ctx.region)
    out = []
    for e in rows:
        counties = tuple(c for c in e.counties if ctx.actor.covers(c) or ctx.actor.jurisdiction.startswith(c))
        out.append(LayerEntry(e.kind, e.year, e.feature_count if whole else None, counties))
    return out
