"""Approvals capability: import of conversion approvals, facility filings and temporary-use permits."""
