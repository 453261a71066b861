"""The co-creation's notifications to followers, with a real SMTP server that refuses
half-way: the task is sent again and each follower gets one mail."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from apps.accounts.tests.personas import make_user
from apps.cocreation import actions
from apps.cocreation.tests.factories import make_process, submit
from apps.tracking.tests.test_mail import RefusingInbox, mail_server, run_worker


class RefusingTheSecond(RefusingInbox):
    """Accepts the first mail, refuses the second once (451), then accepts."""

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if len(self.envelopes) == 1 and not self.refused:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


# The worker closes its database connections between tasks: real transactions here.
@pytest.mark.django_db(transaction=True)
def test_followers_refused_half_way_get_one_mail_each(settings, secretariat, citizen):
    with mail_server(settings, RefusingTheSecond(refusals=0), retries=[0, 0]) as inbox:
        proposal = submit(make_process(secretariat), citizen)  # its author follows it
        actions.do_follow(proposal, acting_user=make_user("follower"))
        DBTaskResult.objects.all().delete()
        actions.do_comment(proposal, "رأي", acting_user=make_user("commenter"))

        run_worker()
        assert inbox.refused == 1
        recipients = sorted(m["To"] for m in inbox.messages)
        assert recipients == ["citizen@example.org", "follower@example.org"]
        assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
            "SUCCESSFUL",
            "SUCCESSFUL",
        ]
