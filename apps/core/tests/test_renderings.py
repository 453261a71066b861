"""Documents laid out in the background (apps.core.renderings): one task per document,
a failure recorded, a document stored once and found by every process."""

from __future__ import annotations

import pytest

from apps.core.models import Rendering, RenderingStatus
from apps.core.renderings import (
    Prepared,
    State,
    file_name,
    request_rendering,
    run_rendering,
    stored,
)

pytestmark = pytest.mark.django_db


def test_one_request_enqueues_and_the_others_wait():
    name = file_name("test", b"source", "txt")
    enqueued: list[str] = []
    for _ in range(3):
        assert request_rendering(name, lambda: enqueued.append(name)) is State.WAITING
    assert enqueued == [name]
    assert run_rendering(name, lambda: Prepared(name, lambda: b"laid out")) == name
    assert stored(name) == b"laid out" and not Rendering.objects.exists()
    assert request_rendering(name, lambda: enqueued.append(name)) is State.READY
    assert enqueued == [name]


def test_a_failure_is_recorded_and_said():
    name = file_name("test", b"broken", "txt")
    request_rendering(name, lambda: None)

    def broken() -> bytes:
        raise RuntimeError("the layout failed")

    with pytest.raises(RuntimeError):
        run_rendering(name, lambda: Prepared(name, broken))
    row = Rendering.objects.get(name=name)
    assert row.status == RenderingStatus.FAILED and "layout failed" in row.error
    assert stored(name) is None
    assert request_rendering(name, lambda: pytest.fail("asked again at once")) is State.FAILED


def test_a_source_changed_meanwhile_is_stored_under_its_own_name():
    asked, made = file_name("test", b"before", "txt"), file_name("test", b"after", "txt")
    request_rendering(asked, lambda: None)
    assert run_rendering(asked, lambda: Prepared(made, lambda: b"after")) == made
    assert stored(made) == b"after" and stored(asked) is None
    assert not Rendering.objects.exists()  # the next request asks for the new name
