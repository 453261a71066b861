import pytest

from apps.accounts.rules import is_committee_member, is_focal_point, is_secretariat, is_translator

pytestmark = pytest.mark.django_db


def test_each_persona_holds_exactly_its_role(
    secretariat, focal_point_a, committee_member, translator, citizen
):
    from django.contrib.auth.models import AnonymousUser

    table = {
        "secretariat": (secretariat, {is_secretariat}),
        "focal point": (focal_point_a, {is_focal_point}),
        "member": (committee_member, {is_committee_member}),
        "translator": (translator, {is_translator}),
        "citizen": (citizen, set()),
        "anonymous": (AnonymousUser(), set()),
    }
    for name, (user, held) in table.items():
        for predicate in (is_secretariat, is_focal_point, is_committee_member, is_translator):
            assert predicate(user) == (predicate in held), (name, predicate.name)


def test_a_superuser_counts_as_secretariat(django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    assert is_secretariat(admin)


def test_an_inactive_user_holds_no_role(secretariat):
    secretariat.is_active = False
    assert not is_secretariat(secretariat)
