"""The audit row of an edited update names every changed field, evidence included."""

from __future__ import annotations

import pytest

from apps.core.models import AuditLog
from apps.tracking import actions
from apps.tracking.tests.factories import report, upload

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"


def test_a_narrative_edit_and_a_removed_file_are_in_the_audit_row(activity, focal_point_a):
    draft = actions.do_record_progress(
        activity,
        report(40, files=[(upload("proof.pdf", PDF_BYTES, "application/pdf"), "application/pdf")]),
        acting_user=focal_point_a,
    )
    created = AuditLog.objects.get(action="tracking.create_update")
    assert created.after["narrative_ar"] == "تقدم ملموس"
    assert created.after["evidence_added"] == ["proof.pdf"]
    evidence = draft.evidence.get()
    actions.do_edit_update(
        draft,
        report(40, narratives={"ar": "تقدم ملموس", "fr": "Progrès réel"}),
        acting_user=focal_point_a,
        remove_evidence=[evidence.pk],
    )
    row = AuditLog.objects.get(action="tracking.edit_update")
    assert row.before == {"status": "draft", "narrative_fr": "", "evidence_removed": ["proof.pdf"]}
    assert row.after == {"status": "draft", "narrative_fr": "Progrès réel"}
