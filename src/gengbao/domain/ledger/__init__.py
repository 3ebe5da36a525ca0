"""Offset ledger (占补平衡台账): append-only postings in Decimal, balances derived, checks as findings.

See :mod:`.model` for the accounts and commodities, :mod:`.projects` for the supplementary project
lifecycle, :mod:`.operations` for draws, transfers and trades, :mod:`.freezes` for per-case freezes,
:mod:`.profile` for the 2024 switch and price caps, :mod:`.index` for the balance index.
"""

from gengbao.domain.ledger.book import Book, Outcome, Rejected
from gengbao.domain.ledger.freezes import Freeze, FreezeState
from gengbao.domain.ledger.index import BalanceIndex, naive_balance
from gengbao.domain.ledger.ledger import Ledger
from gengbao.domain.ledger.model import (
    COMMODITIES,
    Account,
    AccountKind,
    Amounts,
    Commodity,
    Entry,
    EntryKind,
    Posting,
    bank,
)
from gengbao.domain.ledger.operations import DrawRequest, TradeRequest, trade_value
from gengbao.domain.ledger.profile import LedgerProfile, LossKind, ProfileSchedule
from gengbao.domain.ledger.projects import (
    TRANSITIONS,
    Certification,
    Project,
    ProjectAction,
    ProjectState,
)

__all__ = [
    "COMMODITIES", "TRANSITIONS", "Account", "AccountKind", "Amounts", "BalanceIndex", "Book", "Certification",
    "Commodity", "DrawRequest", "Entry", "EntryKind", "Freeze", "FreezeState", "Ledger", "LedgerProfile",
    "LossKind", "Outcome", "Posting", "ProfileSchedule", "Project", "ProjectAction", "ProjectState", "Rejected",
    "TradeRequest", "bank", "naive_balance", "trade_value",
]
