"""Scenario generator: synthetic counties with ground truth (all output labelled synthetic)."""
