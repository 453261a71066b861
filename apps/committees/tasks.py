"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from apps.committees.minutes import PREPARERS, build_minutes
from apps.committees.models import Meeting, Snapshot
from apps.core.renderings import Prepared, run_rendering


@task()
def render_minutes_task(meeting_id: int, language: str, extension: str, name: str) -> str:
    """Lay out a meeting's minutes (``extension``: pdf or docx) in ``language`` and
    store them under their name (:mod:`apps.core.renderings`)."""

    def prepare() -> Prepared:
        with translation.override(language):
            return _prepare()

    def _prepare() -> Prepared:
        meeting = Meeting.objects.for_page().get(pk=meeting_id)
        snapshot = Snapshot.objects.with_rows().filter(meeting=meeting).first()
        return PREPARERS[extension](build_minutes(meeting, snapshot, language))

    return run_rendering(name, prepare)
