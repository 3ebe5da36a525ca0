"""Monitoring runs: list, detail (regions cut to the caller), start a run in the background and poll it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from gengbao.domain.access import Action
from gengbao.interfaces.http.auth import guard
from gengbao.interfaces.http.jobs import Job, Jobs
from gengbao.services.context import Context
from gengbao.services.monitoring import runs
from gengbao.services.monitoring.run import run_monitor

router = APIRouter(prefix="/api", tags=["monitoring"])


class RunBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_epoch: int | None = Field(default=None, ge=1900, le=2199)
    to_epoch: int | None = Field(default=None, ge=1900, le=2199)
    min_area_m2: float = Field(default=1.0, ge=0, le=1e6)


def _jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


@router.get("/monitoring/runs", summary="监测批次列表")
def list_runs(ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    return {"ok": True, "runs": [r.to_dict() for r in runs.list_runs(ctx)]}


@router.get("/monitoring/runs/{run_id}", summary="监测批次详情（各行政区汇总）")
def run_detail(run_id: int = Path(ge=1, le=2**31 - 1), ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    return {"ok": True, "run": runs.run_detail(ctx, run_id).to_dict(with_regions=True)}


@router.post("/monitoring/runs", status_code=202, summary="在后台开始一次变化监测（返回任务号，轮询进度）")
def start_run(body: RunBody, request: Request, ctx: Context = Depends(guard(Action.RUN))) -> dict[str, Any]:
    def work(job: Job) -> dict[str, Any]:
        report = run_monitor(ctx, body.from_epoch, body.to_epoch, min_area_m2=body.min_area_m2,
                             progress=job.progress)
        return {"run_id": report.run_id, "patches": len(report.patches), "warnings": report.warnings}

    job = _jobs(request).start("monitor.run", ctx.actor.user_id, work)
    return {"ok": True, "job": job.to_dict()}


@router.get("/jobs/{job_id}", summary="后台任务进度")
def job_status(request: Request, job_id: str = Path(min_length=1, max_length=64),
               ctx: Context = Depends(guard(Action.READ))) -> dict[str, Any]:
    return {"ok": True, "job": _jobs(request).get(job_id, ctx.actor.user_id).to_dict()}
