"""Background tasks of the co-creation (django-tasks; run ``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from apps.cocreation.mail import notify_followers


@task()
def notify_followers_task(proposal_id: int, kind: str, object_id: int, exclude: Any) -> int:
    """Mail a proposal's followers of a new comment, a merge or a decision."""
    return notify_followers(proposal_id, kind, object_id, exclude)
