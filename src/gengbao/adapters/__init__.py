"""Adapters: the only place that touches files, databases and external formats."""
