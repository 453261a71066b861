import pytest
from django.core.management import call_command

from apps.cocreation.models import PhaseKey, Process, Proposal, ProposalStatus

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_seeds_third_plan_process():
    call_command("load_demo", "--no-admin", verbosity=0)
    process = Process.objects.get(slug="morocco-third-plan")
    phases = list(process.phases.order_by("order"))
    assert [(p.key, p.planned_start.month, p.planned_end.month) for p in phases] == [
        (PhaseKey.METHOD, 4, 4),
        (PhaseKey.IDEAS, 5, 9),
        (PhaseKey.PRIORITIES, 10, 10),
        (PhaseKey.CARDS, 11, 11),
        (PhaseKey.ADOPTION, 12, 12),
    ]
    assert {p.planned_start.year for p in phases} == {2023}
    assert process.open_phase().key == PhaseKey.IDEAS
    assert process.themes.filter(agreed_on__isnull=False).count() == 5
    assert set(Proposal.objects.values_list("language", flat=True)) == {"ar", "fr"}
    merged = Proposal.objects.get(status=ProposalStatus.MERGED)
    assert merged.merged_into.supports_count == 2  # its supporter already supported the target
    call_command("load_demo", "--no-admin", verbosity=0)
    assert Process.objects.count() == 1
    call_command("load_demo", "--no-admin", "--reset", verbosity=0)
    assert Process.objects.count() == 1


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_demo_pages_open(lang):
    from django.test import Client

    call_command("load_demo", "--no-admin", verbosity=0)
    for path in ("", "statistics/", "proposals/", "proposals/1/", "proposals/6/"):
        response = Client().get(f"/{lang}/participate/morocco-third-plan/{path}")
        assert response.status_code == 200, path
