"""A citizen's files count against their upload quota (apps/core/files.py): a proposal
that would exceed it is refused whole, nothing of it stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.cocreation.models import Proposal, ProposalAttachment
from apps.cocreation.tests.factories import submit
from apps.core.files import UploadRefused
from apps.tracking.tests.factories import PDF, upload

pytestmark = pytest.mark.django_db


def pdf(name: str, size: int) -> tuple[object, str]:
    return upload(name, PDF + b"0" * (size - len(PDF))), "application/pdf"


def test_a_citizen_s_quota_counts_every_proposal(settings, tmp_path, process, citizen):
    settings.MEDIA_ROOT = tmp_path
    settings.SHARAKA_USER_UPLOAD_QUOTA_MB = 1
    submit(process, citizen, files=[pdf("a.pdf", 600 * 1024)])
    with pytest.raises(UploadRefused, match="1"):
        submit(process, citizen, title="ثانية", files=[pdf("b.pdf", 600 * 1024)])
    assert Proposal.objects.count() == 1 and ProposalAttachment.objects.count() == 1
    assert len([p for p in Path(tmp_path).rglob("*") if p.is_file()]) == 1


def test_a_proposal_s_files_may_not_exceed_the_update_total(settings, tmp_path, process, citizen):
    settings.MEDIA_ROOT = tmp_path
    settings.SHARAKA_MAX_UPDATE_UPLOAD_MB = 1
    with pytest.raises(UploadRefused):
        submit(process, citizen, files=[pdf("a.pdf", 600 * 1024), pdf("b.pdf", 600 * 1024)])
    assert not Proposal.objects.exists() and not any(Path(tmp_path).rglob("*.pdf"))
