"""进出平衡 use cases: check a county's yearly plan (from .xlsx/.csv/.gpkg) and compare it with the
year's actual flows; write the balance sheet (.xlsx)."""

from gengbao.services.balances.check import BalanceReport, check_plan_file, export_report

__all__ = ["BalanceReport", "check_plan_file", "export_report"]
