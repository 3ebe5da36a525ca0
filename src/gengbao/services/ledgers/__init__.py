"""Offset ledger use cases (占补平衡台账): each loads the book, runs one domain operation, and in
one transaction appends its entries, saves project/freeze states and the audit record — or, when
the ledger refuses, stores nothing and raises ``Rejected`` with every finding."""

from gengbao.services.ledgers.operations import (
    BalanceRow,
    add_project,
    advance_project,
    balances,
    consume,
    draw,
    freeze,
    list_projects,
    release,
    schedule_of,
    statement,
    trade,
    transfer,
)

__all__ = [
    "BalanceRow", "add_project", "advance_project", "balances", "consume", "draw", "freeze", "list_projects",
    "release", "schedule_of", "statement", "trade", "transfer",
]
