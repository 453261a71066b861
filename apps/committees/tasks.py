"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django_tasks import task

from apps.committees.minutes import PREPARERS, build_minutes, document_name
from apps.committees.models import Meeting, Snapshot
from apps.core.languages import LANGUAGES
from apps.core.renderings import Prepared, request_rendering, run_rendering


def _prepared(meeting_id: int, language: str, extension: str) -> Prepared:
    """The minutes' document under the name requests look for
    (:func:`~apps.committees.minutes.document_name`), laid out only when called."""
    meeting = Meeting.objects.for_page().get(pk=meeting_id)

    def render() -> bytes:
        with translation.override(language):
            snapshot = Snapshot.objects.with_rows().filter(meeting=meeting).first()
            minutes = build_minutes(meeting, snapshot, language)
            return PREPARERS[extension](minutes).render()

    return Prepared(document_name(meeting, language, extension), render)


@task()
def render_minutes_task(
    meeting_id: int, language: str, extension: str, name: str, attempt: int = 1
) -> str | None:
    """Lay out a meeting's minutes (``extension``: pdf or docx) in ``language`` and
    store them under their name (:mod:`apps.core.renderings`); a failed layout is tried
    again later, a bounded number of times."""

    def again(attempt: int, delay: int) -> None:
        queued = render_minutes_task
        if delay and queued.get_backend().supports_defer:
            queued = queued.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        queued.enqueue(meeting_id, language, extension, name, attempt=attempt)

    return run_rendering(
        name, lambda: _prepared(meeting_id, language, extension), attempt=attempt, again=again
    )


@task()
def render_meeting_documents_task(meeting_id: int) -> list[str]:
    """Ask for the minutes' PDF and DOCX in every language (one rendering task each,
    unless stored or under way already): run when the minutes change state, so that
    the first reader finds them laid out. Returns the names asked for."""
    names = []
    for language in LANGUAGES:
        for extension in PREPARERS:
            name = _prepared(meeting_id, language, extension).name

            def enqueue(language: str = language, extension: str = extension, name: str = name):
                return render_minutes_task.enqueue(meeting_id, language, extension, name)

            request_rendering(name, enqueue)
            names.append(name)
    return names
