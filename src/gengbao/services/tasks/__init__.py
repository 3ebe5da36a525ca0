"""Responsibility task lists capability: import, organisations directory, progress, export."""
