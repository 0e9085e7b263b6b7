"""One chunk's conversation with the model: ask, check fact by fact, re-ask about the
failing facts only, keep what holds.

instructor shapes the request for the structured-output mode (tool parameters, a JSON
schema, or the schema in the prompt); the answer is read here, leniently (``answers``), and
every fact is grounded on its own (``validation``). A fact that fails is re-asked about
with its reason and the sentences it can come from, not the whole chunk again; a re-ask
that mends nothing is not repeated. An answer that cannot be read at all is shown back to
be written again in the required shape, without the chunk; an answer cut off by the token
limit keeps the facts completed before the cut. In the end only the facts that still fail
are dropped, each with a reason that names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import instructor
from instructor.processing.response import handle_response_model

from extract.llm.answers import (
    UnreadableAnswer,
    complete_facts,
    excerpt,
    raw_facts,
    unreadable_part,
)
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


@dataclass(frozen=True)
class Reply:
    """What the model said, and whether it stopped only because of the token limit."""

    text: str
    cut_off: bool = False


def reply_of(completion: Any, max_tokens: int | None = None) -> Reply:
    """What the model said: a tool call's arguments, else the message text. Cut off when
    the response says ``length`` or used every token allowed (llama.cpp says ``tool_calls``
    for a tool call it had to stop)."""
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise UnreadableAnswer("the response holds no answer")
    choice = choices[0]
    used = getattr(getattr(completion, "usage", None), "completion_tokens", None)
    cut_off = getattr(choice, "finish_reason", None) == "length" or (
        max_tokens is not None and isinstance(used, int) and used >= max_tokens
    )
    message = choice.message
    for call in getattr(message, "tool_calls", None) or []:
        function = getattr(call, "function", None)
        if function is not None and function.arguments:
            return Reply(str(function.arguments), cut_off)
    return Reply(str(message.content or ""), cut_off)


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

    async def send(self, messages: Messages) -> Reply:
        self.attempts += 1
        kwargs = request(self.settings, self.template, messages)
        raw = getattr(self.client, "client", self.client)

        async def call() -> Any:
            self.usage += Usage(requests=1)
            return await raw.chat.completions.create(**kwargs)

        completion = await with_transport_retries(self.settings, call, self.breaker)
        self.usage += usage_of(completion)
        return reply_of(completion, self.settings.max_tokens)

    def read(self, reply: Reply) -> tuple[list[Any], str | None]:
        """The raw facts of a reply, and a note when it was cut off by the token limit (its
        facts completed before the cut are kept; asking again would be cut off too).
        Raises UnreadableAnswer for a whole reply that cannot be read."""
        if not reply.cut_off:
            return raw_facts(reply.text), None
        try:
            json.loads(reply.text)
        except ValueError:
            kept = complete_facts(reply.text)
            limit = f"the model's answer ran into max_tokens={self.settings.max_tokens}"
            said = (
                f"{limit}: kept the {len(kept)} facts complete before the cut"
                if kept
                else f"{limit} before one fact was complete"
            )
            return kept, (
                f"{said}: {excerpt(reply.text)}; not asked again (re-emitted, it would be cut "
                "off too); raise max_tokens if the model's answers are this long"
            )
        return raw_facts(reply.text), None


def _field(failure: Failure) -> str:
    return getattr(failure.fact, "field", None) or failure.fact.describe().split("=")[0]


async def _first_answer(talk: Conversation, chunk: Chunk) -> tuple[list[Any], str | None]:
    """The raw facts of the first answer and a note on what of it was lost, if anything.

    An answer that cannot be read is repaired once: the facts before the point where
    reading breaks are kept, and the rest is shown back with the error, without the chunk,
    to be written in the required shape (a model that cannot write the JSON twice will not
    the third time). An answer cut off by the token limit is not: re-emitted, it would be
    cut off again."""
    reply = await talk.send(talk.template.messages(chunk.text))
    try:
        return talk.read(reply)
    except UnreadableAnswer as exc:
        unread = exc
    kept, rest, why = unreadable_part(reply.text)
    if talk.settings.max_reasks:
        try:
            repaired, note = talk.read(await talk.send(talk.template.repair_messages(rest, why)))
            return kept + repaired, note
        except UnreadableAnswer as exc:
            unread = exc
    attempts = f"after {talk.attempts} attempts: {unread}"
    if kept:
        return kept, (
            f"the model's answer breaks off as JSON after {len(kept)} facts (kept); the "
            f"rest could not be read {attempts}"
        )
    return [], f"no fact could be read from the model's answer {attempts}"


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
    first, note = await _first_answer(talk, chunk)
    checked = check_answer(chunk, first)
    out = ChunkAnswer(facts=checked.facts, checks=checked.checks)
    notes = [note] if note else []
    failing = checked.failures
    for _ in range(settings.max_reasks):
        # A fact nothing in the text resembles cannot be grounded by asking again.
        hopeless = [f for f in failing if not can_come_from(chunk.text, f)]
        out.dropped.extend(f"{f.describe()} (nothing in the text resembles it)" for f in hopeless)
        failing = [f for f in failing if f not in hopeless]
        if not failing:
            break
        reply = await talk.send(
            template.reask_messages(
                [f.describe() for f in failing], excerpt_for(chunk.text, failing)
            )
        )
        try:
            facts, note = talk.read(reply)
        except UnreadableAnswer:
            break
        notes.extend([note] if note else [])
        again = check_answer(chunk, facts)
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
    out.dropped[:0] = [f"chunk at offset {chunk.start}: {n}" for n in notes]
    return out, talk.usage
