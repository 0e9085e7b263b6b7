"""A small OpenAI-compatible server on loopback that answers with chosen responses.

Each request takes the next behaviour from a script (the last one repeats). Answers follow
the request's shape: a tool call when tools were offered, JSON content otherwise. With the
``oracle`` behaviour it answers every chunk with the gold facts it contains: the LLM path
run against it must score F1 = 1.0, so any loss is the pipeline's own (``nianbao eval
--run --oracle``). The tests use the other behaviours to play a hallucinating, malformed,
rate-limited or failing model.
"""

from __future__ import annotations

import email.policy
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from extract.facts.grounding import locate

Behaviour = Callable[[dict[str, Any]], tuple[int, dict[str, str], bytes]]


def _completion(request: dict[str, Any], payload: str, cut_off: bool = False) -> bytes:
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    if request.get("tools"):
        name = request["tools"][0]["function"]["name"]
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": name, "arguments": payload}}
        ]
        finish = "tool_calls"
    else:
        message["content"] = payload
    completion_tokens = 20
    if cut_off:  # as llama.cpp reports it: every token allowed used, finish_reason as usual
        completion_tokens = int(request.get("max_tokens") or 20)
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.get("model", "test"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": 100,
            "completion_tokens": completion_tokens,
            "total_tokens": 100 + completion_tokens,
        },
    }
    return json.dumps(body, ensure_ascii=False).encode()


def answer(facts: list[dict[str, Any]] | Callable[[str], list[dict[str, Any]]]) -> Behaviour:
    """Answer with these facts, or with facts computed from the text the request shows: the
    chunk (a re-ask's excerpt), or for a repair the unreadable answer shown back."""

    def respond(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        chosen = facts(shown_text(request)) if callable(facts) else facts
        return 200, {}, _completion(request, json.dumps({"facts": chosen}, ensure_ascii=False))

    return respond


def says(text: str | Callable[[str], str], cut_off: bool = False) -> Behaviour:
    """Answer with exactly this text (or text computed from the text the request shows),
    whether it can be read or not; ``cut_off``: as if it had run into ``max_tokens``."""

    def respond(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        payload = text(shown_text(request)) if callable(text) else text
        return 200, {}, _completion(request, payload, cut_off)

    return respond


def malformed() -> Behaviour:
    return says('{"facts": [{"field": "trainings", "value": 3,')


def status(code: int, headers: dict[str, str] | None = None) -> Behaviour:
    def respond(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        body = {"error": {"message": f"test server says {code}", "type": "test", "code": code}}
        return code, headers or {}, json.dumps(body).encode()

    return respond


def oracle(facts_by_text: list[tuple[str, list[dict[str, Any]]]]) -> Behaviour:
    """Answer with the gold facts of whichever document the chunk comes from, each with its
    evidence copied from the chunk itself (as a perfect model would); asked to repair an
    answer, re-emit the gold facts that answer held."""

    def respond(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        facts = oracle_reply(facts_by_text, request)
        return 200, {}, _completion(request, json.dumps({"facts": facts}, ensure_ascii=False))

    return respond


def oracle_reply(
    facts_by_text: list[tuple[str, list[dict[str, Any]]]], request: dict[str, Any]
) -> list[dict[str, Any]]:
    """The facts a perfect model answers a request with: for a first ask or a re-ask, the
    gold facts its text holds; for a repair, those the answer shown back holds."""
    repaired = repaired_answer(request)
    if repaired is not None:
        return repaired_facts(facts_by_text, repaired)
    return oracle_facts(facts_by_text, chunk_of(request))


def oracle_facts(
    facts_by_text: list[tuple[str, list[dict[str, Any]]]], chunk: str
) -> list[dict[str, Any]]:
    """The gold facts whose evidence is in the chunk, evidence copied from the chunk."""
    head = chunk.strip().split("\n", 1)[0][:200]
    out = []
    for text, facts in facts_by_text:
        if head not in text:
            continue  # the chunk comes from another document
        for fact in facts:
            span = locate(chunk, fact["evidence"])
            if span is not None:
                out.append({**fact, "evidence": chunk[span[0] : span[1]]})
    return out


def repaired_facts(
    facts_by_text: list[tuple[str, list[dict[str, Any]]]], shown: str
) -> list[dict[str, Any]]:
    """The gold facts an unreadable answer held (those whose evidence it quotes, quote and
    bracket widths aside), written as they should have been: what a model that only failed
    at the JSON re-emits. Evidence is the gold's, verbatim from the document."""
    out: list[dict[str, Any]] = []
    for _, facts in facts_by_text:
        for fact in facts:
            if locate(shown, fact["evidence"]) is not None and fact not in out:
                out.append(fact)
    return out


def _last_user(request: dict[str, Any]) -> str:
    users = [m["content"] for m in request["messages"] if m["role"] == "user"]
    content = users[-1] if users else ""
    if isinstance(content, list):  # content parts
        content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content)


def chunk_of(request: dict[str, Any]) -> str:
    """The report text a request shows (a first ask's chunk, a re-ask's excerpt); "" for a
    repair, which shows none."""
    user = _last_user(request)
    if "<<<\n" not in user:
        return ""
    return user.split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]


def repaired_answer(request: dict[str, Any]) -> str | None:
    """The unreadable answer a repair request shows back, or None for any other request."""
    user = _last_user(request)
    if "<<<回答\n" not in user:
        return None
    return user.split("<<<回答\n", 1)[1].rsplit("\n>>>", 1)[0]


def shown_text(request: dict[str, Any]) -> str:
    """What a request gives the model to read: the answer shown back for a repair, else the
    report text."""
    repaired = repaired_answer(request)
    return chunk_of(request) if repaired is None else repaired


@dataclass
class FakeServer:
    script: list[Behaviour]
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    # The Batch API fake: uploaded files, batches, and how often a batch says "in progress".
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    batch_polls: dict[str, int] = field(default_factory=dict)
    polls_before_done: int = 1

    def next(self) -> Behaviour:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]


def _upload(state: FakeServer, headers: Any, raw: bytes) -> bytes:
    """POST /files: keep the uploaded file (multipart/form-data) under a new id."""
    message = BytesParser(policy=email.policy.default).parsebytes(
        f"content-type: {headers['content-type']}\r\n\r\n".encode() + raw
    )
    data = b""
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
    file_id = f"file-{len(state.files) + 1}"
    state.files[file_id] = data
    return json.dumps(
        {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 1_700_000_000,
            "filename": "batch.jsonl",
            "purpose": "batch",
            "status": "processed",
        }
    ).encode()


def _create_batch(state: FakeServer, request: dict[str, Any], lock: threading.Lock) -> bytes:
    """POST /batches: answer every line now with the script's behaviour; report it done
    after ``polls_before_done`` status checks."""
    out = []
    for n, raw in enumerate(state.files[request["input_file_id"]].decode().splitlines()):
        if not raw.strip():
            continue
        line = json.loads(raw)
        with lock:
            state.requests.append(line["body"])
            behaviour = state.next()
        code, _, body = behaviour(line["body"])
        out.append(
            {
                "id": f"batch_req_{n}",
                "custom_id": line["custom_id"],
                "response": {
                    "status_code": code,
                    "request_id": f"req_{n}",
                    "body": json.loads(body),
                },
                "error": None,
            }
        )
    output_id = f"file-{len(state.files) + 1}"
    state.files[output_id] = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out).encode()
    batch_id = f"batch_{len(state.batches) + 1}"
    state.batches[batch_id] = {
        "id": batch_id,
        "object": "batch",
        "endpoint": request["endpoint"],
        "input_file_id": request["input_file_id"],
        "completion_window": request["completion_window"],
        "status": "completed",
        "output_file_id": output_id,
        "error_file_id": None,
        "created_at": 1_700_000_000,
        "request_counts": {"total": len(out), "completed": len(out), "failed": 0},
    }
    pending = dict(state.batches[batch_id], status="validating", output_file_id=None)
    return json.dumps(pending).encode()


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops connections when many clients connect at once, and
    # each drop costs the client a one-second SYN retry.
    request_queue_size = 256
    daemon_threads = True


@contextmanager
def serve(script: list[Behaviour]) -> Iterator[FakeServer]:
    state = FakeServer(script=list(script))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _send(
            self,
            code: int,
            body: bytes,
            headers: dict[str, str] | None = None,
            kind: str = "application/json",
        ) -> None:
            self.send_response(code)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            raw = self.rfile.read(length)
            if self.path.endswith("/files"):
                return self._send(200, _upload(state, self.headers, raw))
            if self.path.endswith("/batches"):
                return self._send(200, _create_batch(state, json.loads(raw), lock))
            request = json.loads(raw or b"{}")
            with lock:
                state.requests.append(request)
                state.headers.append(dict(self.headers))
                behaviour = state.next()
            code, headers, body = behaviour(request)
            self._send(code, body, headers)

        def do_GET(self) -> None:
            parts = self.path.rstrip("/").split("/")
            if "batches" in parts:
                batch_id = parts[-1]
                state.batch_polls[batch_id] = state.batch_polls.get(batch_id, 0) + 1
                batch = dict(state.batches[batch_id])
                if state.batch_polls[batch_id] <= state.polls_before_done:
                    batch.update(status="in_progress", output_file_id=None)
                return self._send(200, json.dumps(batch).encode())
            if parts[-1] == "content":
                return self._send(200, state.files[parts[-2]], kind="application/octet-stream")
            self._send(404, b'{"error": {"message": "not found"}}')

        def log_message(self, *args: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
