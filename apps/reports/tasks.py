"""Background tasks (django-tasks, database backend; run ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from apps.core.languages import LANGUAGES
from apps.core.mail import send_or_retry
from apps.core.renderings import Prepared, again_later, request_each, run_rendering
from apps.reports.actions import run_generation
from apps.reports.document import build_report
from apps.reports.mail import send_verification_mail
from apps.reports.models import ReportVersion
from apps.reports.render import prepare_docx, prepare_pdf

PREPARERS = {"pdf": prepare_pdf, "docx": prepare_docx}


@task()
def generate_report_task(job_id: int) -> int | None:
    """Render a queued generation of a self-assessment report (every language and
    format) and keep it as a numbered version."""
    version = run_generation(job_id)
    return version.pk if version else None


@task()
def send_verification_mail_task(comment_id: int, language: str, attempt: int = 1) -> None:
    """Mail a consultation comment's author the link that publishes it (again later if
    the SMTP server refuses: ``apps/core/mail.py``)."""
    send_or_retry(
        send_verification_mail_task,
        lambda: send_verification_mail(comment_id, language),
        comment_id,
        language,
        attempt=attempt,
    )


def _prepared(version_id: int, language: str, extension: str) -> Prepared:
    content = ReportVersion.objects.values_list("content", flat=True).get(pk=version_id)
    return PREPARERS[extension](build_report(content, language))


@task()
def render_report_task(
    version_id: int, language: str, extension: str, name: str, attempt: int = 1
) -> str | None:
    """Lay out a report version's PDF or DOCX in ``language`` and store it under its
    name (:mod:`apps.core.renderings`); a failed layout is tried again later, a bounded
    number of times."""

    again = again_later(render_report_task, version_id, language, extension, name)
    return run_rendering(
        name, lambda: _prepared(version_id, language, extension), attempt=attempt, again=again
    )


@task()
def render_version_documents_task(version_id: int) -> list[str]:
    """Ask for a report version's PDF and DOCX in every language (one rendering task
    each, unless stored or under way already): run when the version is approved or
    published. Returns the names asked for."""

    def name(object_id: int, language: str, extension: str) -> str:
        return _prepared(object_id, language, extension).name

    return request_each(version_id, LANGUAGES, PREPARERS, name, render_report_task)
