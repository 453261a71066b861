"""The co-creation's pages, as the public, participants and the secretariat use them."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.models import (
    Comment,
    PhaseKey,
    Process,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    Support,
)
from apps.cocreation.tests.factories import make_process, make_region, make_theme, phase, submit

pytestmark = pytest.mark.django_db

LANGS = ["ar", "fr", "en"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(process: Process, rest: str = "", lang: str = "ar") -> str:
    return f"/{lang}/participate/{process.slug}/{rest}"


def proposal_post(**overrides):
    data = {
        "author_name": "Association Amal",
        "language": "fr",
        "title": "Publier les budgets",
        "problem": "Les budgets ne sont pas publiés.",
        "solution": "Les publier chaque trimestre.",
        "values": ["access_to_information"],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("lang", LANGS)
def test_the_process_page_shows_the_five_phases_in_each_language(lang, process):
    html = Client().get(url(process, lang=lang)).content.decode()
    expected = {
        "ar": ["التوافق حول المنهجية واقتراح المحاور", "تجميع الأفكار والمقترحات"],
        "fr": ["S'accorder sur la méthode et proposer les axes", "Recueillir les idées"],
        "en": ["Agree the method and propose themes", "Collect ideas and proposals"],
    }[lang]
    for text in expected:
        assert text.replace("'", "&#x27;") in html or text in html
    assert html.count('class="cocreation-phase ') == 5
    separator = {"ar": "تقديم المقترحات، التعليق", "fr": "Propositions, Commentaires"}
    assert lang not in separator or separator[lang] in html  # the list reads in its language
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_a_citizen_submits_a_proposal_through_the_page(lang, process, citizen):
    client = signed_in(citizen)
    theme = make_theme(process, process_owner())
    region = make_region()
    form = client.get(url(process, "proposals/new/", lang))
    assert form.status_code == 200
    response = client.post(
        url(process, "proposals/new/", lang),
        proposal_post(theme=theme.pk, region=region.pk, title=f"Budget {lang}"),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/{lang}/participate/{process.slug}/proposals/1/"
    )
    assert proposal.author == citizen and proposal.theme == theme and proposal.region == region
    assert proposal.access_to_information and not proposal.civic_participation
    page = client.get(response["Location"]).content.decode()
    assert f"Budget {lang}" in page and "Association Amal" in page


def process_owner():
    from apps.accounts.models import User

    return User.objects.get(username="secretariat")


def test_a_proposal_outside_its_phase_is_refused_and_nothing_stored(secretariat, citizen):
    process = make_process(secretariat, open_phase=PhaseKey.METHOD)
    client = signed_in(citizen)
    page = client.get(url(process, "proposals/new/", "en")).content.decode()
    assert "Proposals are not open" in page and "<form" not in page.split("<main")[1]
    response = client.post(url(process, "proposals/new/", "en"), proposal_post(), follow=True)
    assert "Proposals are not open" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_public_is_sent_to_sign_in(process):
    response = Client().post(url(process, "proposals/new/"), proposal_post())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Proposal.objects.exists()


def test_html_is_text_everywhere(process, citizen):
    client = signed_in(citizen)
    client.post(
        url(process, "proposals/new/"),
        proposal_post(title="<script>alert(1)</script>", author_name="<b>x</b>"),
    )
    proposal = Proposal.objects.get()
    client.post(url(process, "proposals/1/comment/"), {"body": "<img src=x onerror=alert(1)>"})
    html = Client().get(proposal.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<b>x</b>" not in html


def test_an_attachment_is_checked_by_its_content(process, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(citizen)
    fake = SimpleUploadedFile("note.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url(process, "proposals/new/", "en"), proposal_post(attachments=fake))
    assert response.status_code == 400 and "is not really a PDF file" in response.content.decode()
    assert not Proposal.objects.exists() and not ProposalAttachment.objects.exists()
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n")
    client.post(url(process, "proposals/new/", "en"), proposal_post(attachments=pdf))
    attachment = ProposalAttachment.objects.get()
    download = Client().get(url(process, f"proposals/1/files/{attachment.pk}/"))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_supporting_twice_through_the_page_counts_once(process, citizen):
    proposal = submit(process, make_user("author"))
    client = signed_in(citizen)
    for _ in range(2):
        assert client.post(url(process, "proposals/1/support/")).status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).supports_count == 1 == Support.objects.count()
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="withdraw"' in html
    client.post(url(process, "proposals/1/support/"), {"withdraw": "1"})
    assert Proposal.objects.get(pk=proposal.pk).supports_count == 0


def test_a_support_after_the_window_is_refused(process, citizen, secretariat):
    proposal = submit(process, make_user("author"))
    actions.do_complete_phase(phase(process, PhaseKey.IDEAS), acting_user=secretariat)
    response = signed_in(citizen).post(url(process, "proposals/1/support/", "en"), follow=True)
    assert "Supports are not open" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).supports_count == 0


def test_supports_are_rate_limited_per_account(process, citizen, settings):
    settings.SHARAKA_COCREATION_RATES = {**settings.SHARAKA_COCREATION_RATES}
    settings.SHARAKA_COCREATION_RATES["support"] = ("3/h", "100/h")
    for _ in range(4):
        submit(process, make_user(f"a{Proposal.objects.count()}"))
    client = signed_in(citizen)
    statuses = [
        client.post(url(process, f"proposals/{n}/support/")).status_code for n in (1, 2, 3, 4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Support.objects.count() == 3


def test_proposals_are_rate_limited_per_address(process, settings):
    settings.SHARAKA_COCREATION_RATES = {**settings.SHARAKA_COCREATION_RATES}
    settings.SHARAKA_COCREATION_RATES["proposal"] = ("100/h", "2/h")
    statuses = [
        signed_in(make_user(f"p{i}")).post(url(process, "proposals/new/"), proposal_post())
        for i in range(3)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 429]
    assert Proposal.objects.count() == 2


def test_replies_hang_under_their_comment(process, citizen):
    submit(process, make_user("author"))
    client = signed_in(citizen)
    client.post(url(process, "proposals/1/comment/"), {"body": "سؤال"})
    question = Comment.objects.get()
    client.post(url(process, "proposals/1/comment/"), {"body": "جواب", "parent": question.pk})
    assert Comment.objects.get(body="جواب").parent == question
    assert (
        client.post(
            url(process, "proposals/1/comment/"), {"body": "x", "parent": 987654}
        ).status_code
        == 404
    )


def test_the_secretariat_hides_and_merges_through_the_page(process, secretariat, citizen):
    a = submit(process, citizen, title="أ")
    b = submit(process, make_user("other"), title="ب")
    actions.do_support(a, acting_user=make_user("voter"))
    client = signed_in(secretariat)
    refused = client.post(url(process, "proposals/1/merge/", "en"), {"target": 1, "response": "x"})
    assert refused.status_code == 400 and "cannot be merged into itself" in refused.content.decode()
    client.post(url(process, "proposals/1/merge/"), {"target": 2, "response": "مكرر"})
    assert Proposal.objects.get(pk=a.pk).status == ProposalStatus.MERGED
    assert Proposal.objects.get(pk=b.pk).supports_count == 1
    page = Client().get(a.get_absolute_url()).content.decode()
    assert 'data-testid="merged-into"' in page and "مكرر" in page
    client.post(url(process, "proposals/2/hide/"), {"reason": "خارج الموضوع"})
    page = Client().get(b.get_absolute_url()).content.decode()
    assert "خارج الموضوع" in page and 'data-testid="hidden-reason"' in page
    listing = Client().get(url(process, "proposals/")).content.decode()
    assert "/proposals/2/" not in listing  # hidden; the merged one still shows


@pytest.mark.parametrize("persona", ["citizen", "committee_member", "focal_point_a"])
def test_others_cannot_moderate(persona, personas, process):
    proposal = submit(process, make_user("author"))
    client = signed_in(personas[persona])
    assert client.post(url(process, "proposals/1/hide/"), {"reason": "x"}).status_code == 403
    assert client.get(url(process, "moderation/")).status_code == 403
    assert client.get(url(process, "manage/")).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_the_secretariat_runs_the_phases(secretariat):
    process = make_process(secretariat, open_phase=None)
    client = signed_in(secretariat)
    client.post(url(process, "phases/1/start/"))
    assert process.phases.get(order=1).started_on == timezone.localdate()
    response = client.post(url(process, "phases/2/start/", "en"), follow=True)
    assert "complete it first" in response.content.decode()
    response = client.post(
        url(process, "phases/2/"),
        {"planned_start": "2026-05-01", "planned_end": "2026-10-31", "openings": ["proposing"]},
    )
    assert response.status_code == 302
    ideas = process.phases.get(order=2)
    assert ideas.planned_end == datetime.date(2026, 10, 31)
    assert ideas.opens_proposing and not ideas.opens_supporting
    client.post(url(process, "themes/new/"), {"title_ar": "الشفافية", "title_fr": "Transparence"})
    assert process.themes.get().title_fr == "Transparence"


def test_a_person_s_data_is_on_the_platform_s_one_page(process, citizen):
    """The co-creation's data are part of "My data" (apps/people): its former addresses
    lead there, and the download carries the proposals."""
    submit(process, citizen, author_name="جمعية الأمل", title="نشر الميزانيات")
    client = signed_in(citizen)
    assert client.get("/ar/participate/my-data/")["Location"] == "/ar/account/data/"
    response = client.get("/ar/participate/my-data/download/", follow=True)
    data = json.loads(response.content)
    assert data["account"]["email"] == "citizen@example.org"
    assert data["cocreation"]["proposals"][0]["title"] == "نشر الميزانيات"


@pytest.mark.parametrize("lang", LANGS)
def test_the_statistics_draw_charts_with_a_table(lang, process, citizen):
    theme = make_theme(process, process_owner())
    a = submit(process, citizen, theme=theme, region=make_region())
    submit(process, citizen)
    actions.do_support(a, acting_user=make_user("voter"))
    html = Client().get(url(process, "statistics/", lang)).content.decode()
    assert 'data-testid="participants"><bdi>2</bdi>' in html  # the author and the voter
    assert 'data-testid="proposals"><bdi>2</bdi>' in html
    assert 'data-testid="supports"><bdi>1</bdi>' in html
    assert html.count("<svg") == 3 and html.count('role="img"') == 3
    charts = html.split('data-testid="participation"')[0]
    assert charts.count("<table") == 3
    assert 'data-testid="participation"' in html  # the meetings' figures, none yet
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'data-direction="{direction}"' in html
    assert (
        ","
        not in html.split('data-testid="chart-themes"')[1]
        .split("</svg>")[0]
        .split('x="')[1]
        .split('"')[0]
    )


def _make(process: Process, count: int) -> None:
    theme = make_theme(process, process_owner(), title=f"محور {count}")
    region = make_region()
    author = make_user(f"bulk{count}")
    now = timezone.now()
    start = Proposal.objects.filter(process=process).count()
    Proposal.objects.bulk_create(
        Proposal(
            process=process,
            number=start + i + 1,
            author=author,
            author_name="x",
            title=f"p{i}",
            problem="p",
            solution="s",
            theme=theme,
            region=region,
            supports_count=i % 7,
            created_at=now,
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    "path",
    [
        "proposals/",
        "proposals/?sort=supports",
        "proposals/?sort=supports&page=2",
        "proposals/?status=submitted&theme=1&region=1",
        "statistics/",
        "",
    ],
)
def test_pages_cost_the_same_queries_for_10_and_1000_proposals(path, process, citizen):
    client = signed_in(citizen)
    _make(process, 10)
    client.get(url(process, path))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(process, path)).status_code == 200
    _make(process, 990)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(process, path)).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large]


def test_hostile_filters_are_ignored(process):
    for query in ["?theme=abc", "?page=-1", "?status=<script>", "?region=9" + "9" * 30, "?sort=x"]:
        assert Client().get(url(process, "proposals/") + query).status_code == 200
