import pytest

from apps.tracking.tests.factories import assign, make_activity


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def activity(ministry_a, focal_point_a, secretariat):
    """An activity (20%) of a commitment of ministry A, assigned to focal point A."""
    activity = make_activity(ministry_a, progress=20)
    assign(activity.commitment, focal_point_a, secretariat)
    return activity


@pytest.fixture
def other_activity(ministry_b, focal_point_b, secretariat):
    """An activity of ministry B, assigned to focal point B."""
    activity = make_activity(ministry_b, progress=10)
    assign(activity.commitment, focal_point_b, secretariat)
    return activity
