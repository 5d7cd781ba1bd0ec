"""Answers and bullet comments written together (ADR 0740).

In a class of 300 phones most messages arrive within a few seconds. Each consumer used to
hop to Django's one database thread per message (``database_sync_to_async`` runs in a
single thread by default), so a burst queued there behind 300 small transactions. Here each
process keeps, per live session and kind of message, a list of what arrived; one task on the
event loop takes all of it every few milliseconds and hands it to one service call in one
thread hop and one transaction (``services.answers_submit``, ``services.comments_send``).
Each sender awaits its own result, so a refusal still reaches the phone that sent it, and
``after`` runs once per batch on the loop (one message to the screen instead of one each).

The database stays the authority (ADR 0711): nothing is acknowledged before it is committed.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async

logger = logging.getLogger(__name__)

GATHER_SECONDS = 0.005  # how long a batch waits for company after its first message
IDLE_SECONDS = 2.0  # a batch with nothing to do for this long ends (the next message restarts it)

Writer = Callable[[list[Any]], list[Any]]
After = Callable[[list[Any], list[Any]], Awaitable[None]]


class _Batch:
    def __init__(self, writer: Writer, after: After | None) -> None:
        self.writer = writer
        self.after = after
        self.items: list[tuple[Any, asyncio.Future[Any]]] = []
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def run(self, key: tuple[Any, ...]) -> None:
        try:
            while True:
                if not self.items:
                    self.wake.clear()
                    try:
                        await asyncio.wait_for(self.wake.wait(), IDLE_SECONDS)
                    except TimeoutError:
                        if not self.items:
                            return
                await asyncio.sleep(GATHER_SECONDS)
                taken, self.items = self.items, []
                await self._write(taken)
        finally:
            if _batches.get(key) is self:
                del _batches[key]
            for _item, future in self.items:  # cancelled with work left: nobody is left hanging
                if not future.done():
                    future.cancel()

    async def _write(self, taken: list[tuple[Any, "asyncio.Future[Any]"]]) -> None:
        items = [item for item, _future in taken]
        try:
            results = await database_sync_to_async(self.writer)(items)
        except Exception as exc:  # each sender hears of the failure
            for _item, future in taken:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_item, future), result in zip(taken, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
        if self.after is not None:
            try:
                await self.after(items, results)
            except Exception:  # the writes stand; the screen catches up at its next state
                logger.exception("live batch: telling the screens failed")


_batches: dict[tuple[Any, ...], _Batch] = {}


async def submit(
    key: tuple[Any, ...], item: Any, writer: Writer, after: After | None = None
) -> Any:
    """Queue ``item`` in the batch of ``key`` (made with ``writer`` and ``after`` when none
    runs) and return its result, or raise its refusal."""
    loop = asyncio.get_running_loop()
    full_key = (id(loop), *key)
    batch = _batches.get(full_key)
    if batch is None or batch.task is None or batch.task.done():
        batch = _Batch(writer, after)
        _batches[full_key] = batch
        batch.task = loop.create_task(batch.run(full_key))
    future: asyncio.Future[Any] = loop.create_future()
    batch.items.append((item, future))
    batch.wake.set()
    return await future
