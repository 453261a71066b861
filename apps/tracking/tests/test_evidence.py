"""Evidence files are checked by content, not only by name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.tracking.evidence import check_evidence_file
from apps.tracking.tests.factories import (
    EXE,
    PDF,
    PNG,
    docx_bytes,
    odt_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        (
            "minutes.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "table.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("note.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_it_accepts_real_documents(name, content, content_type):
    assert check_evidence_file(upload(name, content)) == content_type


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", EXE, "content"),
        ("virus.exe", EXE, "extension"),
        ("script.html", b"<script>alert(1)</script>", "extension"),
        ("image.png", PDF, "content"),
        ("fake.docx", zip_bytes({"hello.txt": b"hi"}), "content"),
        ("fake.xlsx", docx_bytes(), "content"),
        (
            "fake.odt",
            zip_bytes({"mimetype": b"application/zip"}, stored_first="mimetype"),
            "content",
        ),
        ("empty.pdf", b"", "content"),
        ("noextension", PDF, "extension"),
    ],
)
def test_it_rejects_what_is_not_what_it_claims(name, content, code):
    with pytest.raises(ValidationError) as error:
        check_evidence_file(upload(name, content))
    assert error.value.code == code


def test_it_rejects_a_file_over_the_limit_before_reading_it(settings):
    settings.SHARAKA_EVIDENCE_MAX_BYTES = 1024
    big = upload("big.pdf", PDF + b"0" * 2000)
    big.file.close()  # any read would now fail: the size alone must decide
    with pytest.raises(ValidationError) as error:
        check_evidence_file(big)
    assert error.value.code == "size"
