"""The tests' handle on the package's scripted OpenAI-compatible server."""

from extract.evaluation.openai_server import (  # noqa: F401 - re-exported for the tests
    FakeServer,
    answer,
    chunk_of,
    malformed,
    oracle,
    says,
    serve,
    status,
)
