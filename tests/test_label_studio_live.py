"""Against a real Label Studio server on loopback (marker `labelstudio`).

`.ci/run` installs Label Studio into its own virtual environment (it pins Django and friends
that have no business in ours) and points NIANBAO_LABEL_STUDIO at its `label-studio`
executable; without it these tests skip. The server is started once for the module with a
legacy API token (Label Studio 1.23 issues personal access tokens by default; the legacy
token is what plain `Authorization: Token …` scripts use) and bound to 127.0.0.1
(`--internal-host`; the default binds every interface).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from procs import free_port

from extract.cli import main
from extract.evaluation.gold import check_gold
from extract.evaluation.labelling import label_config

EXECUTABLE = os.environ.get("NIANBAO_LABEL_STUDIO") or shutil.which("label-studio")
TOKEN = "0123456789abcdef0123456789abcdef01234567"

pytestmark = [
    pytest.mark.labelstudio,
    pytest.mark.skipif(
        EXECUTABLE is None,
        reason="Label Studio is not installed (set NIANBAO_LABEL_STUDIO; .ci/run does)",
    ),
]


class Server:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
        return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    assert EXECUTABLE is not None
    data_dir = tmp_path_factory.mktemp("label-studio")
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    env = {**os.environ, "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    process = subprocess.Popen(
        [
            EXECUTABLE,
            "start",
            "--data-dir",
            str(data_dir),
            "--internal-host",
            "127.0.0.1",
            "-p",
            str(port),
            "--username",
            "labeller@example.com",
            "--password",
            "not-a-real-password",
            "--user-token",
            TOKEN,
            "--enable-legacy-api-token",
            "--no-browser",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # first start runs the migrations
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=5)
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "Label Studio did not start:\n"
                        + (data_dir / "server.log").read_text(errors="replace")[-3000:]
                    )
                time.sleep(2)
        yield Server(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def project(server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two seed reports exported by nianbao and imported into a new project."""
    work = tmp_path_factory.mktemp("tasks")
    runner = CliRunner()
    records = work / "records.jsonl"
    seeds = [str(FIXTURES / f"{d}.txt") for d in ("lishan-2024", "yuezhuang-2024")]
    assert runner.invoke(main, ["extract", "-q", *seeds, "-o", str(records)]).exit_code == 0
    tasks_file = work / "tasks.json"
    result = runner.invoke(main, ["label", "export", str(records), "-o", str(tasks_file)])
    assert result.exit_code == 0, result.output
    created = server.call(
        "POST", "/api/projects", {"title": "nianbao", "label_config": label_config()}
    )
    tasks = json.loads(tasks_file.read_text("utf-8"))
    server.call("POST", f"/api/projects/{created['id']}/import", tasks)
    listed = server.call("GET", f"/api/tasks?project={created['id']}&fields=all")
    by_doc = {t["data"]["doc_id"]: t for t in listed["tasks"]}
    return {"id": created["id"], "tasks": by_doc, "records": records, "work": work}


def _export(server: Server, project_id: int, kind: str, out: Path) -> Path:
    exported = server.call("GET", f"/api/projects/{project_id}/export?exportType={kind}")
    out.write_text(json.dumps(exported, ensure_ascii=False), "utf-8")
    return out


def test_predictions_accepted_edited_and_skipped_round_trip(
    server: Server, project: dict[str, Any], tmp_path: Path
) -> None:
    lishan = project["tasks"]["lishan-2024"]
    yuezhuang = project["tasks"]["yuezhuang-2024"]
    (prediction,) = lishan["predictions"]
    result = prediction["result"]
    # The labeller accepts the pre-annotations but deletes one region (a fact they reject).
    region = next(r["id"] for r in result if r.get("value", {}).get("labels"))
    deleted = next(
        (r["value"]["labels"][0], r["value"]["text"]) for r in result if r["id"] == region
    )
    edited = [r for r in result if r["id"] != region]
    server.call(
        "POST",
        f"/api/tasks/{lishan['id']}/annotations",
        {"result": edited, "was_cancelled": False, "ground_truth": True},
    )
    # A later, sloppier annotation that is not the ground truth.
    server.call(
        "POST",
        f"/api/tasks/{lishan['id']}/annotations",
        {"result": edited[:1], "was_cancelled": False},
    )
    # The second report is skipped.
    server.call(
        "POST",
        f"/api/tasks/{yuezhuang['id']}/annotations",
        {"result": [], "was_cancelled": True},
    )
    export = _export(server, project["id"], "JSON", tmp_path / "export.json")
    out = tmp_path / "gold"
    run = CliRunner().invoke(main, ["label", "import", str(export), "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "yuezhuang-2024" in run.output and "skipped or never annotated" in run.output
    assert sorted(p.name for p in out.glob("*.json")) == ["lishan-2024.json"]
    gold = json.loads((out / "lishan-2024.json").read_text("utf-8"))
    expected = {
        (f["field"], f["value"], f["approximate"])
        for f in json.loads(
            next(
                line
                for line in project["records"].read_text("utf-8").splitlines()
                if '"lishan-2024"' in line
            )
        )["facts"]
    }
    got = {(f["field"], f["value"], f["approximate"]) for f in gold["facts"]}
    removed = {(f, v, a) for (f, v, a) in expected - got}
    assert len(got) == len(expected) - 1 and got < expected
    assert [f for f, _, _ in removed] == [deleted[0]]
    # the offsets survived the trip: every evidence is the text at its span, and verbatim
    assert (out / "lishan-2024.txt").read_text("utf-8") == lishan["data"]["text"]
    assert check_gold(out / "lishan-2024.json") == []


def test_json_min_export_is_refused_with_what_to_do(
    server: Server, project: dict[str, Any], tmp_path: Path
) -> None:
    export = _export(server, project["id"], "JSON_MIN", tmp_path / "min.json")
    run = CliRunner().invoke(main, ["label", "import", str(export), "--out", str(tmp_path / "g")])
    assert run.exit_code == 1
    assert "Export → JSON" in run.output
    assert not (tmp_path / "g").exists()
