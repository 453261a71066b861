"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from apps.committees.minutes import PREPARERS, build_minutes, document_name
from apps.committees.models import Meeting, Snapshot
from apps.core.languages import LANGUAGES
from apps.core.renderings import Prepared, again_later, request_each, run_rendering


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

    again = again_later(render_minutes_task, meeting_id, language, extension, name)
    return run_rendering(
        name, lambda: _prepared(meeting_id, language, extension), attempt=attempt, again=again
    )


@task()
def render_meeting_documents_task(meeting_id: int) -> list[str]:
    """Ask for the minutes' PDF and DOCX in every language (one rendering task each,
    unless stored or under way already): run when the minutes change state, so that
    the first reader finds them laid out. Returns the names asked for."""

    def name(object_id: int, language: str, extension: str) -> str:
        return _prepared(object_id, language, extension).name

    return request_each(meeting_id, LANGUAGES, PREPARERS, name, render_minutes_task)
