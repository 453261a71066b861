import pytest
from django.core.management import call_command

from apps.accounts import system_user
from apps.committees.models import Meeting
from apps.committees.tests.factories import make_committee, make_meeting, make_member
from apps.plans.tests.factories import make_commitment, make_institution, make_plan


@pytest.fixture
def plan(db):
    plan = make_plan(slug="plan")
    make_commitment(
        plan,
        [(100, 1), (20, 1)],
        number=1,
        title_ar="التزام أول",
        title_fr="Premier engagement",
        title_en="First commitment",
    )
    make_commitment(
        plan,
        [(0, 1)],
        number=2,
        title_ar="التزام ثان",
        title_fr="Deuxième engagement",
        title_en="Second commitment",
    )
    return plan


@pytest.fixture
def committee(plan):
    return make_committee(plan, slug="steering")


@pytest.fixture
def gov(db):
    return make_institution(slug="gov", kind="government", name_ar="وزارة", name_fr="Ministère")


@pytest.fixture
def cso(db):
    return make_institution(
        slug="cso", kind="civil_society", name_ar="جمعية", name_fr="Association"
    )


@pytest.fixture
def draft(committee, gov, cso):
    """A draft meeting with two members who attended."""
    meeting = make_meeting(committee)
    a = make_member(committee, gov, name="سارة")
    b = make_member(committee, cso, name="يوسف")
    from apps.committees import actions

    actions.do_record_attendance(
        meeting, {a.pk: "present", b.pk: "remote"}, acting_user=system_user()
    )
    actions.do_add_agenda_item(
        meeting, acting_user=system_user(), title="تقديم التقدم", shows_progress=True
    )
    return meeting


@pytest.fixture
def demo_meeting(db) -> Meeting:
    call_command("load_demo", "--no-admin", verbosity=0)
    return Meeting.objects.get(committee__slug="steering-committee")
