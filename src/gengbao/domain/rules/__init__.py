"""Accountability rules as data (警示、约谈、问责、一票否决、指标冻结、移送、罚款): profiles validated
from plain data (:mod:`.schema`), facts per county per year (:mod:`.facts`), evaluation with its
explanation (:mod:`.evaluate`), case outcomes (:mod:`.cases`). YAML is read by an adapter.
"""

from gengbao.domain.rules.cases import CaseOutcome
from gengbao.domain.rules.evaluate import CountyResult, Outcome, evaluate, evaluate_county
from gengbao.domain.rules.facts import (
    CaseFact,
    CountyYearFacts,
    Decision,
    FactSource,
    FactsProvider,
    check_history,
)
from gengbao.domain.rules.profile import SCHEMA, Clause, Consequence, Reading, RuleProfile
from gengbao.domain.rules.schema import validate_profile
from gengbao.domain.rules.thresholds import Figure, Op, Threshold, ThresholdUnit, mu4

__all__ = [
    "SCHEMA", "CaseFact", "CaseOutcome", "Clause", "Consequence", "CountyResult", "CountyYearFacts", "Decision",
    "FactSource", "FactsProvider", "Figure", "Op", "Outcome", "Reading", "RuleProfile", "Threshold", "ThresholdUnit",
    "check_history", "evaluate", "evaluate_county", "mu4", "validate_profile",
]
