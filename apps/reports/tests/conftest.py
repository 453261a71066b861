from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.reports.models import ReportCycle
from apps.tracking.tests.test_mail import smtp  # noqa: F401  (a real local SMTP server)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_cycle(db, media) -> ReportCycle:
    call_command("load_demo", "--no-admin", verbosity=0)
    return ReportCycle.objects.get(plan__slug="morocco-2021-2023", kind="end_of_term")
