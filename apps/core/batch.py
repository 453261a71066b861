"""Many writes as one: follow-up work gathered and done once at the end.

An import writes thousands of rows; what listens to each save (the search index) would
redo its work row after row. Inside :func:`batched`, a listener asks :func:`pending` for
the batch's collector, adds to it, and the collector runs once when the batch ends
without an error, inside the import's transaction. Outside a batch ``pending`` gives
None and the listener works at once, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol, TypeVar


class Collector(Protocol):
    def __call__(self) -> None: ...


C = TypeVar("C", bound=Collector)

_current: ContextVar[dict[str, Collector] | None] = ContextVar("sharaka_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Gather follow-up work until the end of the block (nested blocks join the outer)."""
    if _current.get() is not None:
        yield
        return
    collectors: dict[str, Collector] = {}
    token = _current.set(collectors)
    try:
        yield
    finally:
        _current.reset(token)
    # Only reached without an error: a failed block's transaction is rolled back anyway.
    for collector in collectors.values():
        collector()


def pending(name: str, make: Callable[[], C]) -> C | None:
    """The current batch's collector ``name`` (made on first use), or None outside a batch."""
    collectors = _current.get()
    if collectors is None:
        return None
    if name not in collectors:
        collectors[name] = make()
    return collectors[name]  # type: ignore[return-value]
