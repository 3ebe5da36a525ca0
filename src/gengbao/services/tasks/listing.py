"""The imported task lists and their measures, as the ``tasks list`` command shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gengbao.adapters.db import tasks_store as store
from gengbao.domain.tasks.measures import Measure
from gengbao.services.context import Context
from gengbao.services.tasks.importing import measure_json


@dataclass(frozen=True, slots=True)
class DocumentListing:
    key: str
    title: str
    region: str
    layout: str
    phases: tuple[dict[str, str], ...]
    measures: tuple[Measure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.key,
            "title": self.title,
            "region": self.region,
            "layout": self.layout,
            "phases": [dict(p) for p in self.phases],
            "measures": [measure_json(m) for m in self.measures],
        }


def list_documents(ws: Context, document: str | None = None) -> list[DocumentListing]:
    """The document named by key or id (``document``), or every document, with its current measures."""
    with ws.sessions() as s:
        docs = [store.find_document(s, document)] if document else store.documents(s)
        return [
            DocumentListing(d.key, d.title, d.region, d.layout, d.phases, tuple(store.measures_of(s, d)))
            for d in docs
        ]
