import pytest

from apps.plans.models import Activity
from apps.plans.tests.factories import make_commitment, make_plan


@pytest.fixture
def commitment(db):
    plan = make_plan()
    # Two activities: one completed, one under way; neither has an English title.
    return make_commitment(plan, activities=[(100, 1), (50, 1)])


@pytest.fixture
def done(commitment):
    return Activity.objects.get(commitment=commitment, progress=100)


@pytest.fixture
def ongoing(commitment):
    return Activity.objects.get(commitment=commitment, progress=50)
