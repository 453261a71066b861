"""The secretariat imports a plan sheet in Debian's Chromium, in Arabic, French and
English: upload, the check in the background, the preview, apply, the result."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from apps.core.tests.tasks import run_tasks
from apps.exchange import plan_sheet
from apps.plans.models import ActionPlan, Activity
from apps.plans.tests.test_browser import browser  # noqa: F401 - the shared fixture
from apps.tracking.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
APPLIED = {
    "ar": "طُبِّق الاستيراد: كُتبت جميع الصفوف.",
    "fr": "Appliqué : toutes les lignes ont été écrites.",
    "en": "Applied: every row was written.",
}
NEW = {"ar": "جديد", "fr": "Nouveau", "en": "New"}


def _sheet(path: Path, lang: str) -> Path:
    keys = [c.key for c in plan_sheet.COLUMNS]
    rows = [
        {
            "plan": "imported",
            "plan_member_ar": "المغرب",
            "plan_ordinal": "4",
            "plan_title_ar": "الخطة المستوردة",
            "plan_start": "2025-01-01",
            "plan_end": "2027-12-31",
            "commitment": "1",
            "commitment_title_ar": "نشر الميزانية المفتوحة",
            "activity": str(order),
            "activity_title_ar": f"النشاط {order}",
            "progress": f"{20 * order} %",
        }
        for order in (1, 2)
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(plan_sheet.headers(lang))
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_secretariat_uploads_and_applies_a_plan_sheet(
    live_server,
    browser,  # noqa: F811
    secretariat,
    settings,
    tmp_path,
    lang,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = sign_in(browser, live_server.url, lang, secretariat.username)
    page.goto(f"{live_server.url}/{lang}/imports/")
    page.select_option("#id_kind", "plan")
    page.set_input_files("#id_file", str(_sheet(tmp_path / f"plan-{lang}.csv", lang)))
    with page.expect_navigation():
        page.click("[data-testid=upload]")
    assert page.locator("[data-testid=import-status]").get_attribute("data-status") == "uploaded"
    run_tasks()  # the worker checks the file
    page.reload()
    assert page.locator("[data-outcome=create]").first.inner_text().startswith(NEW[lang])
    assert page.locator("table.import-rows tbody tr").count() == 2
    assert not ActionPlan.objects.exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"import-preview-{lang}.png"), full_page=True)
    with page.expect_navigation():
        page.click("[data-testid=apply]")
    run_tasks()  # the worker applies it
    page.reload()
    assert page.locator("[data-testid=import-applied]").inner_text().strip() == APPLIED[lang]
    assert sorted(Activity.objects.values_list("progress", flat=True)) == [20, 40]
    page.screenshot(path=str(SCREENSHOTS / f"import-applied-{lang}.png"), full_page=True)
    page.context.close()
