"""Enforcement cases: clues → field check → judgement → review → rectification → closure (销号)."""
