"""Ledger statements as .xlsx: the balance sheet per county and the statement of one county's bank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from gengbao.adapters.ledger_reports import Table, write_report
from gengbao.domain.area_units import AreaUnit, from_m2
from gengbao.domain.ledger import Amounts
from gengbao.services.context import Context
from gengbao.services.ledgers.operations import balances, statement

MU = "0.0000"
M2 = "0.00"


def _mu(v: Amounts) -> list[object]:
    return [v.quantity_m2, from_m2(v.quantity_m2, AreaUnit.MU).quantize(Decimal("0.0001")), v.paddy_m2, v.grain_kg]


def export_balances(ws: Context, path: Path, as_of: dt.date | None = None) -> Path:
    rows: list[list[object]] = []
    for r in balances(ws, None, as_of):
        rows.append([r.county, "可用", *_mu(r.available)])
        rows.append([r.county, "冻结", *_mu(r.frozen)])
        rows.append([r.county, "已使用", *_mu(r.spent)])
        for pid, a in r.lots:
            rows.append([r.county, f"  其中项目 {pid}", *_mu(a)])
    when = f"截至 {as_of}" if as_of else "当前"
    table = Table("指标余额", f"补充耕地指标余额表（{when}）",
                  ["县级代码", "项目", "耕地数量（平方米）", "耕地数量（亩）", "水田规模（平方米）", "粮食产能（千克）"],
                  rows, note="余额由台账分录推算，不单独存储；亩由平方米精确换算后保留 4 位小数。",
                  formats={2: M2, 3: MU, 4: M2, 5: M2}, widths=[12, 24, 18, 16, 18, 16])
    return write_report(path, [table])


def export_statement(ws: Context, county: str, path: Path) -> Path:
    rows: list[list[object]] = []
    for e, change, after in statement(ws, county):
        rows.append([e.date.isoformat(), e.id, e.kind.label, e.memo, *_mu(change), after.quantity_m2,
                     after.paddy_m2, after.grain_kg])
    headers = ["日期", "分录", "类型", "摘要", "数量变动（平方米）", "数量变动（亩）", "水田变动（平方米）",
               "产能变动（千克）", "可用数量余额（平方米）", "可用水田余额（平方米）", "可用产能余额（千克）"]
    table = Table(f"{county}指标库", f"{county} 补充耕地指标库台账", headers, rows,
                  note="每笔分录借贷平衡；冻结、使用、调剂均从指标库转出，解冻转回。",
                  formats={4: M2, 5: MU, 6: M2, 7: M2, 8: M2, 9: M2, 10: M2}, widths=[12, 16, 12, 36] + [16] * 7)
    return write_report(path, [table])
