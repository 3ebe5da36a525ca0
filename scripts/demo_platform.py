"""Demo users for every role of a demo workspace, with fresh random passwords printed once.

    .venv/bin/python scripts/demo_platform.py demo-workspace

One user a role (admin, province/city/county reviewer, county filler, township, field chief, viewer), each
with the jurisdiction that role has in 景德镇市 (乐平市 for the county roles, its first township and village
below). Passwords are made now (nothing is kept in the repository); a user that exists already is left as it
is. All data are synthetic.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from gengbao.domain.errors import ConflictError
from gengbao.domain.regions import RegionLevel
from gengbao.services import users
from gengbao.services.workspace import open_workspace


def main(ws_path: Path) -> None:
    ctx = open_workspace(ws_path)
    county = "360281" if ctx.catalog.find("360281") else ctx.region
    township = next(iter(ctx.catalog.descendants(county, RegionLevel.TOWNSHIP)), None)
    village = next(iter(ctx.catalog.descendants(township.code, RegionLevel.VILLAGE)), None) if township else None
    plan = [("admin", "admin", "", "系统管理员"), ("province", "province_reviewer", "36", "省级审核员"),
            ("city", "city_reviewer", ctx.region, "市级审核员"), ("county", "county_reviewer", county, "县级审核员"),
            ("filler", "county_filler", county, "县级填报员"), ("viewer", "viewer", ctx.region, "只读用户")]
    if township is not None:
        plan.append(("township", "township", township.code, f"{township.name}用户"))
    if village is not None:
        plan.append(("chief", "field_chief", village.code, f"{village.name}田长"))
    print("演示用户（模拟数据；密码只显示这一次）：")
    for name, role, where, label in plan:
        password = secrets.token_urlsafe(9)
        try:
            users.add_user(ctx, name, role, where, password, label)
        except ConflictError:
            print(f"  {name:<9} 已存在，保留原密码")
            continue
        print(f"  {name:<9} {password:<14} {label}（{where or '全国'}）")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-workspace"))
