"""One chunk's conversation with the model: ask, check fact by fact, re-ask about the
failing facts only, keep what holds.

instructor shapes the request for the structured-output mode (tool parameters, a JSON
schema, or the schema in the prompt); the answer is read here, leniently (``answers``), and
every fact is grounded on its own (``validation``). A fact that fails is re-asked about
with its reason and the sentences it can come from, not the whole chunk again; a re-ask
that mends nothing is not repeated. In the end only the facts that still fail are dropped,
each with a reason that names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import instructor
from instructor.processing.response import handle_response_model

from extract.llm.answers import UnreadableAnswer, raw_facts
from extract.llm.chunking import Chunk
from extract.llm.client import MODES, CircuitBreaker, with_transport_retries
from extract.llm.prompting import Messages, PromptTemplate
from extract.llm.schema import ChunkAnswer, ExtractedFacts
from extract.llm.settings import LLMSettings
from extract.llm.validation import Failure, can_come_from, check_answer, excerpt_for
from extract.record import Usage


def usage_of(completion: Any) -> Usage:
    """Tokens of one response; cached prompt tokens as OpenAI (``prompt_tokens_details.
    cached_tokens``) or DeepSeek (``prompt_cache_hit_tokens``) report them."""
    usage = getattr(completion, "usage", None)
    if usage is None:
        return Usage()
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) if details is not None else None
    if cached is None:
        cached = getattr(usage, "prompt_cache_hit_tokens", None)
    return Usage(
        input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        cached_input_tokens=int(cached or 0),
    )


def answer_text(completion: Any) -> str:
    """What the model said: a tool call's arguments, else the message text."""
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise UnreadableAnswer("the response holds no answer")
    message = choices[0].message
    for call in getattr(message, "tool_calls", None) or []:
        function = getattr(call, "function", None)
        if function is not None and function.arguments:
            return str(function.arguments)
    return str(message.content or "")


def _cache_control(kwargs: dict[str, Any], template: PromptTemplate) -> None:
    """DashScope (Qwen): mark the static system message as a cacheable block."""
    for message in kwargs["messages"]:
        if message["role"] == "system" and isinstance(message["content"], str):
            message["content"] = [
                {"type": "text", "text": message["content"], "cache_control": {"type": "ephemeral"}}
            ]
            return


def _prompt_cache_key(kwargs: dict[str, Any], template: PromptTemplate) -> None:
    """OpenAI: requests sharing a key are routed to the same prompt cache."""
    kwargs["prompt_cache_key"] = f"nianbao-{template.version}"


CACHE_HINTS = {"cache_control": _cache_control, "prompt_cache_key": _prompt_cache_key}


def request(settings: LLMSettings, template: PromptTemplate, messages: Messages) -> dict[str, Any]:
    """The keyword arguments of one chat completion request in the configured mode."""
    _, kwargs = handle_response_model(
        ExtractedFacts, mode=MODES[settings.mode], messages=[dict(m) for m in messages]
    )
    kwargs.update(
        model=settings.model, temperature=settings.temperature, max_tokens=settings.max_tokens
    )
    if settings.cache_hint:
        CACHE_HINTS[settings.cache_hint](kwargs, template)
    return kwargs


class ChunkFailed(Exception):
    """A request of this chunk failed for good (an API error, the circuit open); carries
    what the chunk's requests had cost until then."""

    def __init__(self, cause: BaseException, usage: Usage) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.usage = usage


@dataclass
class Conversation:
    """Sends the requests of one chunk and counts what they cost."""

    client: instructor.AsyncInstructor
    settings: LLMSettings
    template: PromptTemplate
    breaker: CircuitBreaker | None = None
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0  # requests of this chunk, transport retries aside

    async def send(self, messages: Messages) -> str:
        self.attempts += 1
        kwargs = request(self.settings, self.template, messages)
        raw = getattr(self.client, "client", self.client)

        async def call() -> Any:
            self.usage += Usage(requests=1)
            return await raw.chat.completions.create(**kwargs)

        completion = await with_transport_retries(self.settings, call, self.breaker)
        self.usage += usage_of(completion)
        return answer_text(completion)


def _field(failure: Failure) -> str:
    return getattr(failure.fact, "field", None) or failure.fact.describe().split("=")[0]


async def _first_answer(talk: Conversation, chunk: Chunk) -> list[Any] | str:
    """The facts of the first readable answer, or why none could be read. An unreadable
    answer is asked again once, with the error: a model that cannot write the JSON twice
    will not the third time, and each repair resends the chunk."""
    answer = await talk.send(talk.template.messages(chunk.text))
    for attempt in range(2 if talk.settings.max_reasks else 1):
        try:
            return raw_facts(answer)
        except UnreadableAnswer as exc:
            error = str(exc)
        if attempt == 0 and talk.settings.max_reasks:
            answer = await talk.send(talk.template.repair_messages(chunk.text, answer, error))
    return error


async def ask_chunk(
    client: instructor.AsyncInstructor,
    settings: LLMSettings,
    template: PromptTemplate,
    chunk: Chunk,
    breaker: CircuitBreaker | None = None,
) -> tuple[ChunkAnswer, Usage]:
    """The checked facts of one chunk, the reasons for every fact dropped, and the usage.
    A request that fails for good raises ChunkFailed (the caller decides what it means for
    the document)."""
    talk = Conversation(client, settings, template, breaker)
    try:
        return await _converse(talk, chunk)
    except Exception as exc:
        raise ChunkFailed(exc, talk.usage) from exc


async def _converse(talk: Conversation, chunk: Chunk) -> tuple[ChunkAnswer, Usage]:
    settings, template = talk.settings, talk.template
    first = await _first_answer(talk, chunk)
    if isinstance(first, str):
        reason = (
            f"chunk at offset {chunk.start}: no fact could be read from the model's answer "
            f"after {talk.attempts} attempts: {first}"
        )
        return ChunkAnswer(dropped=[reason]), talk.usage
    checked = check_answer(chunk, first)
    out = ChunkAnswer(facts=checked.facts, checks=checked.checks)
    failing = checked.failures
    for _ in range(settings.max_reasks):
        # A fact nothing in the text resembles cannot be grounded by asking again.
        hopeless = [f for f in failing if not can_come_from(chunk.text, f)]
        out.dropped.extend(f"{f.describe()} (nothing in the text resembles it)" for f in hopeless)
        failing = [f for f in failing if f not in hopeless]
        if not failing:
            break
        answer = await talk.send(
            template.reask_messages(
                [f.describe() for f in failing], excerpt_for(chunk.text, failing)
            )
        )
        try:
            again = check_answer(chunk, raw_facts(answer))
        except UnreadableAnswer:
            break
        known = {(f.field, f.value, f.start) for f in out.facts}
        new = [f for f in again.facts if (f.field, f.value, f.start) not in known]
        out.facts.extend(new)
        out.checks.extend(again.checks)
        asked = {_field(f) for f in failing}
        mended = {f.field for f in new} & asked
        still = {_field(f) for f in again.failures}
        out.dropped.extend(
            f"{f.describe()} (withdrawn when re-asked)"
            for f in failing
            if _field(f) not in mended and _field(f) not in still
        )
        failing = again.failures
        if not mended:
            break  # the re-ask mended nothing: asking again would not either
    out.dropped.extend(f.describe() for f in failing)
    out.dropped = [f"chunk at offset {chunk.start}: dropped {d}" for d in out.dropped]
    return out, talk.usage
