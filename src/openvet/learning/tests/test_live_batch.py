"""The live class's batches (ADR 0740): messages arriving together are written by one call,
each sender gets its own result or refusal, and the screen is told once per batch."""

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from openvet.core.errors import ValidationFailed
from openvet.learning.live import batch

# The hop to the database thread tidies Django's connections there (Channels), which after
# other tests of the same worker may touch the database: allowed, though nothing is written.
pytestmark = pytest.mark.django_db


def test_messages_arriving_together_are_written_once_and_each_sender_hears_its_own() -> None:
    calls: list[list[Any]] = []
    told: list[list[Any]] = []

    def writer(items: list[Any]) -> list[Any]:
        calls.append(list(items))
        return [ValidationFailed("odd") if n % 2 else n * 10 for n in items]

    async def after(items: list[Any], results: list[Any]) -> None:
        told.append(list(items))

    async def send(n: int) -> Any:
        try:
            return await batch.submit(("test", 1), n, writer, after)
        except ValidationFailed as exc:
            return str(exc.message)

    async def scenario() -> list[Any]:
        first = await asyncio.gather(*(send(n) for n in range(6)))
        later = await send(8)  # after the first batch was written: a batch of its own
        return [*first, later]

    results = async_to_sync(scenario)()
    assert results == [0, "odd", 20, "odd", 40, "odd", 80]
    assert calls == [[0, 1, 2, 3, 4, 5], [8]]
    assert told == calls


def test_a_failed_write_is_reported_to_every_sender_of_the_batch() -> None:
    def writer(items: list[Any]) -> list[Any]:
        raise RuntimeError("database gone")

    async def scenario() -> list[str]:
        outcomes = await asyncio.gather(
            *(batch.submit(("test", 2), n, writer) for n in range(3)), return_exceptions=True
        )
        return [str(o) for o in outcomes]

    assert async_to_sync(scenario)() == ["database gone"] * 3
