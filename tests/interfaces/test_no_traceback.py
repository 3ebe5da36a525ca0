"""Bad input through the command line: every case gets its documented exit code and a coded error in the
one envelope, no Python traceback, and nothing stored."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import shapely
from typer.testing import CliRunner

from gengbao.interfaces.cli.app import app
from tests.support import survey_factory as sf

runner = CliRunner()


def run(*args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    res = runner.invoke(app, [*args, "--json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    text = res.stdout + (res.stderr if res.stderr_bytes is not None else "")
    assert "Traceback" not in text
    return res.exit_code, json.loads(res.stdout.strip().splitlines()[-1]), text


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nt")
    sf.frame(sf.parcels()).to_file(root / "dltb.gpkg", driver="GPKG")
    assert runner.invoke(app, ["init", str(root / "ws"), "--region", "360200"]).exit_code == 0
    assert runner.invoke(app, ["survey", "import", str(root / "ws"), str(root / "dltb.gpkg"), "--epoch", "2022"]
                         ).exit_code == 0
    return root


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return int(port)


CASES = [
    # (arguments after the workspace folder, exit code, error code)
    (["survey", "import", "{ws}", "{root}/dltb.gpkg", "--epoch", "2023", "--crs", "EPSG:99999999"], 4, "crs.unknown"),
    (["survey", "import", "{ws}", "{root}/dltb.gpkg", "--epoch", "2023", "--crs", "not a crs"], 4, "crs.unknown"),
    (["survey", "import", "{ws}", "{root}/dltb.gpkg", "--epoch", "-1"], 2, "survey.epoch_range"),
    (["survey", "import", "{ws}", "{root}/dltb.gpkg", "--epoch", "0"], 2, "survey.epoch_range"),
    (["survey", "stats", "{ws}", "--epoch", "99999"], 2, "survey.epoch_range"),
    (["survey", "stats", "{ws}", "--epoch", "2022", "--by", "bogus"], 2, "usage.choice"),
    (["survey", "stats", "{ws}", "--epoch", "abc"], 2, "usage.invalid_value"),
    (["survey", "stats", "{ws}"], 2, "usage.missing_option"),
    (["survey", "stats", "{ws}", "--epoch", "2022", "--nonsense"], 2, "usage.unknown_option"),
    (["monitor", "run", "{ws}", "--from", "0", "--to", "2022"], 2, "survey.epoch_range"),
    (["monitor", "run", "{ws}", "--from", "2021", "--to", "2022", "--by", "bogus"], 2, "usage.choice"),
    (["layers", "import", "{ws}", "{root}/dltb.gpkg", "--kind", "redline", "--epoch", "-5"], 2, "survey.epoch_range"),
    (["tasks", "import", "{ws}", "{root}/none.docx"], 4, "file.not_found"),
    (["survey", "import", "{ws}", "{root}/none.gpkg", "--epoch", "2023"], 4, "file.not_found"),
    (["survey", "stats", "{ws}", "--epoch", "2022", "--db", "postgresql://nobody@127.0.0.1:{port}/x"], 5, "db.unreachable"),
    (["survey", "stats", "{ws}", "--epoch", "2022", "--db", "not a url"], 5, "db.url_invalid"),
    (["survey", "export", "{ws}", "--epoch", "2022", "--out", "{root}/dltb.gpkg/inside.gpkg"], 4, "file.path_invalid"),
    (["init", "{root}/" + "长" * 300, "--region", "360200"], 4, "file.name_too_long"),
]


@pytest.mark.parametrize(("args", "exit_code", "code"), CASES, ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_gets_a_coded_error(ws: Path, args: list[str], exit_code: int, code: str) -> None:
    values = {"ws": str(ws / "ws"), "root": str(ws), "port": str(_closed_port())}
    got, doc, _ = run(*(a.format(**values) for a in args))
    assert (got, doc["ok"], doc["error"]["code"]) == (exit_code, False, code)
    assert doc["error"]["message"]  # Chinese, for people
    assert run("survey", "stats", values["ws"], "--epoch", "2022")[0] == 0  # nothing broke


def test_a_closed_scheduler_port_is_refused_at_once(tmp_path: Path) -> None:
    sf.frame(sf.parcels()).to_file(tmp_path / "dltb.gpkg", driver="GPKG")
    assert runner.invoke(app, ["init", str(tmp_path / "ws"), "--region", "360200"]).exit_code == 0
    for year in ("2021", "2022"):
        assert runner.invoke(app, ["survey", "import", str(tmp_path / "ws"), str(tmp_path / "dltb.gpkg"),
                                   "--epoch", year]).exit_code == 0
    got, doc, _ = run("monitor", "run", str(tmp_path / "ws"), "--from", "2021", "--to", "2022",
                      "--scheduler", f"tcp://127.0.0.1:{_closed_port()}")
    assert (got, doc["error"]["code"]) == (2, "monitor.scheduler_unreachable")
    got, doc, _ = run("monitor", "run", str(tmp_path / "ws"), "--from", "2021", "--to", "2022",
                      "--scheduler", "localhost")
    assert (got, doc["error"]["code"]) == (2, "monitor.scheduler_address")


def test_broken_files_are_refused_with_what_is_wrong(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "ws"), "--region", "360200"]).exit_code == 0
    numeric = sf.frame(sf.parcels())
    numeric["DLBM"] = numeric["DLBM"].astype(int)  # 0101 stored as 101
    numeric.to_file(tmp_path / "numeric.gpkg", driver="GPKG")
    got, doc, _ = run("survey", "import", str(tmp_path / "ws"), str(tmp_path / "numeric.gpkg"), "--epoch", "2022")
    assert got == 3 and [e["code"] for e in doc["error"]["report"]["errors"]] == ["survey.code_not_text"]
    huge = sf.frame(sf.parcels())
    huge.loc[0, "geometry"] = shapely.Polygon([(117.2, 29.3), (1e308, 29.3), (117.2, 29.4)])
    huge.to_file(tmp_path / "huge.gpkg", driver="GPKG")
    got, doc, _ = run("survey", "import", str(tmp_path / "ws"), str(tmp_path / "huge.gpkg"), "--epoch", "2022")
    errors = doc["error"]["report"]["errors"]
    assert got == 3 and [e["code"] for e in errors] == ["geometry.coordinate_out_of_range"]
    assert "1e+308" in errors[0]["message"] and len(errors[0]["message"]) < 300


def test_a_file_name_with_a_semicolon_imports(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "ws"), "--region", "360200"]).exit_code == 0
    items = sf.parcels()
    sf.frame(items).to_file(tmp_path / "plain.gpkg", driver="GPKG")  # GDAL itself cannot write such a name
    (tmp_path / "plain.gpkg").rename(tmp_path / "景德镇;2022.gpkg")
    got, doc, _ = run("survey", "import", str(tmp_path / "ws"), str(tmp_path / "景德镇;2022.gpkg"), "--epoch", "2022")
    assert (got, doc["imported"], doc["source"]) == (0, len(items), "景德镇;2022.gpkg")


def test_an_overlong_value_is_cut_in_the_envelope(ws: Path) -> None:
    got, doc, text = run("survey", "stats", str(ws / "ws"), "--epoch", "2022", "--by", "x" * 100_000)
    assert (got, doc["error"]["code"]) == (2, "usage.choice")
    assert len(text) < 2_000
