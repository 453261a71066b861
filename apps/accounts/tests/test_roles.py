import pytest

from apps.accounts.rules import is_committee_member, is_focal_point, is_secretariat, is_translator

pytestmark = pytest.mark.django_db


def test_each_persona_holds_exactly_its_role(personas):
    held = {
        "anonymous": set(),
        "citizen": set(),
        "focal_point_a": {is_focal_point},
        "focal_point_b": {is_focal_point},
        "committee_member": {is_committee_member},
        "committee_chair": {is_committee_member},
        "translator": {is_translator},
        "secretariat": {is_secretariat},
        "superuser": {is_secretariat, is_focal_point},  # the demo's admin, as in the demo
    }
    assert set(held) == set(personas)
    for name, user in personas.items():
        for predicate in (is_secretariat, is_focal_point, is_committee_member, is_translator):
            assert predicate(user) == (predicate in held[name]), (name, predicate.name)


def test_a_superuser_counts_as_secretariat(superuser):
    assert is_secretariat(superuser)


def test_an_inactive_user_holds_no_role(secretariat):
    secretariat.is_active = False
    assert not is_secretariat(secretariat)
