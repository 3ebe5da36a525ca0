"""Accountability rules use cases: validate a profile, evaluate every county for a year with its
history, and write the outcome table (.xlsx) with each clause's text."""

from gengbao.services.rules.evaluation import (
    ProfileReport,
    RulesReport,
    evaluate_rules,
    export_outcomes,
    validate_profile_file,
)

__all__ = ["ProfileReport", "RulesReport", "evaluate_rules", "export_outcomes", "validate_profile_file"]
