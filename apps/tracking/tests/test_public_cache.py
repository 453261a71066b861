"""Every action that changes a public page of a plan or a commitment shows through the
public cache at once: the page before (served from the cache), the action, the page
after (apps/core/public_cache.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.tests.public_cache import cached_twice, page, public_cache, text
from apps.plans import actions as plan_actions
from apps.tracking import actions
from apps.tracking.models import Follow
from apps.tracking.tests.factories import report, submitted

pytestmark = pytest.mark.django_db(transaction=True)
enabled = pytest.fixture(autouse=True)(public_cache.__wrapped__)  # type: ignore[attr-defined]


def _pages(activity) -> list[str]:
    commitment = activity.commitment
    return [
        commitment.get_absolute_url(),
        commitment.plan.get_absolute_url(),
        f"/api/v1/plans/{commitment.plan.slug}",
    ]


def _before(urls: list[str], absent: str) -> None:
    for url in urls:
        assert absent not in cached_twice(url), url


def test_a_validated_update_shows_at_once(activity, focal_point_a, secretariat):
    commitment = activity.commitment
    _before([commitment.get_absolute_url()], "تقدم ملموس جدا")
    plan_before = cached_twice(commitment.plan.get_absolute_url())
    api_before = cached_twice(f"/api/v1/plans/{commitment.plan.slug}")
    update = actions.do_record_progress(
        activity,
        report(85, narratives={"ar": "تقدم ملموس جدا"}),
        acting_user=focal_point_a,
        submit=True,
    )
    # Submitted, not yet validated: the public sees the same figures.
    actions.do_validate_update(update, acting_user=secretariat)
    assert "تقدم ملموس جدا" in text(commitment.get_absolute_url())
    assert text(commitment.plan.get_absolute_url()) != plan_before
    api_after = text(f"/api/v1/plans/{commitment.plan.slug}")
    assert api_after != api_before and "85" in api_after


def test_an_accepted_change_request_shows_at_once(
    activity, focal_point_a, committee_member, secretariat
):
    submitted_update = submitted(activity, focal_point_a, 40)
    actions.do_validate_update(submitted_update, acting_user=secretariat)
    url = activity.commitment.get_absolute_url()
    before = cached_twice(url)
    request = actions.do_propose_change(
        activity, acting_user=committee_member, progress=95, justification="تصحيح الرقم"
    )
    assert page(url)["X-Public-Cache"] == "miss"  # any committed write renews the pages
    actions.do_accept_change(request, acting_user=secretariat, reason="موافقة اللجنة")
    after = text(url)
    assert after != before and "95" in after


def test_an_edited_commitment_shows_at_once_by_the_action_and_by_the_admin(
    activity, secretariat, superuser
):
    from apps.core.tests.forms import FormReader

    commitment = activity.commitment
    urls = [commitment.get_absolute_url(), commitment.plan.get_absolute_url()]
    _before(urls, "عنوان جديد للالتزام")
    plan_actions.do_edit_commitment(
        commitment, acting_user=secretariat, title="عنوان جديد للالتزام"
    )
    for url in urls:
        assert "عنوان جديد للالتزام" in text(url), url
    _before(urls, "عنوان من لوحة الإدارة")
    admin = Client()
    admin.force_login(superuser)
    change = f"/ar/admin/plans/commitment/{commitment.pk}/change/"
    reader = FormReader()
    reader.feed(admin.get(change).content.decode())
    data = {k: v for k, v in reader.values.items() if v != "texte"}
    for button in ("_saveasnew", "_addanother", "_continue"):
        data.pop(button, None)
    [field] = [k for k, v in data.items() if v == "عنوان جديد للالتزام"]
    data[field] = "عنوان من لوحة الإدارة"
    response = admin.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    for url in urls:
        assert "عنوان من لوحة الإدارة" in text(url), url


def test_a_hand_over_shows_at_once(activity, focal_point_b, secretariat, ministry_a):
    focal_point_b.institution = ministry_a
    focal_point_b.save()
    url = activity.commitment.get_absolute_url()
    _before([url], "تسليم المهمة إلى زميل")
    actions.do_hand_over(
        activity.commitment, focal_point_b, acting_user=secretariat, note="تسليم المهمة إلى زميل"
    )
    assert "تسليم المهمة إلى زميل" in text(url)


def test_the_follow_form_of_a_cached_page_works_for_every_visitor(activity, citizen):
    """The visitor's follow form has no token of its own (apps.core.visitors): the plan and
    commitment pages are the same bytes for every visitor, kept in browsers and proxies
    (``public``), with no cookie to set; the form still works, and a signed-in citizen
    still gets their own page with a token."""
    commitment_url = activity.commitment.get_absolute_url()
    for url in (commitment_url, activity.commitment.plan.get_absolute_url()):
        first = page(url)
        assert first["X-Public-Cache"] == "miss" and first["Cache-Control"] == "public, no-cache"
        second = page(url, Client(enforce_csrf_checks=True))
        assert second["X-Public-Cache"] == "hit" and not second.cookies
        assert second.content == first.content and second["ETag"] == first["ETag"]
        assert b'name="email"' in second.content and b"csrf" not in second.content.lower()
    same_origin = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    for n in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page(commitment_url, visitor)  # kept again after the first visitor's follow
        email = f"visitor{n}@example.org"
        posted = visitor.post(f"{commitment_url}follow/", {"email": email}, **same_origin)
        assert posted.status_code == 302, posted.status_code
        assert Follow.objects.filter(email=email).exists()
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(citizen)
    mine = signed_in.get(commitment_url)
    assert "X-Public-Cache" not in mine and b"csrfmiddlewaretoken" in mine.content


def test_a_signed_in_focal_point_sees_their_page_not_the_public_copy(activity, focal_point_a):
    url = activity.commitment.get_absolute_url()
    public = cached_twice(url)
    mine = Client()
    mine.force_login(focal_point_a)
    response = mine.get(url)
    assert "X-Public-Cache" not in response and response["Cache-Control"] == "private, no-store"
    assert response.content.decode() != public


def test_a_cached_plan_or_commitment_page_costs_no_query(activity, django_assert_num_queries):
    for url in _pages(activity):
        cached_twice(url)
        with django_assert_num_queries(0):
            assert page(url)["X-Public-Cache"] == "hit"
