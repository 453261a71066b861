"""The OGP-wide data set, built with bulk inserts: at ``scale=1`` 180 plans, 5,040
commitments, 30,240 activities, 500,000 progress updates (one in four with an evidence
row), a focal point per commitment, a steering committee per plan with a meeting and a
frozen snapshot, and 5,000 change requests. On top of the demo (``load_demo``): its
personas (secretariat, committee member) and its meeting stay the reference pages.

One plan (``bench-plan-7``) belongs to a focal point persona, ``bench-focal-point``
(password ``sharaka-demo``), so that "my commitments" and the focal point's pages see an
ordinary workload; one commitment (``bench-plan-0``, number 1) carries the long tail: 1,800
updates at scale 1.

Use::

    from ogp_scale import build
    sizes = build(scale=0.05)  # after synthetic.setup_django()
"""

from __future__ import annotations

import datetime
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any

from synthetic import generate

PLANS, COMMITMENTS_PER_PLAN, ACTIVITIES_PER_COMMITMENT = 180, 28, 6
UPDATES, CHANGE_REQUESTS, HEAVY_UPDATES = 500_000, 5_000, 1_800
EVIDENCE_EVERY = 4  # one update in four carries an evidence row (a link)
COMMITMENTS_PER_FOCAL_POINT = 5
FOCAL_PLAN = "bench-plan-7"
FOCAL_USERNAME = "bench-focal-point"
HEAVY_PLAN = "bench-plan-0"
PASSWORD = "sharaka-demo"
BATCH = 5000


@dataclass
class Sizes:
    plans: int = 0
    commitments: int = 0
    activities: int = 0
    updates: int = 0
    evidence: int = 0
    focal_points: int = 0
    meetings: int = 0
    snapshot_rows: int = 0
    change_requests: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def line(self) -> str:
        return (
            f"{self.plans} plans, {self.commitments} commitments, {self.activities} activities, "
            f"{self.updates} updates, {self.evidence} evidence rows, {self.focal_points} focal "
            f"points, {self.meetings} meetings with snapshots ({self.snapshot_rows} rows), "
            f"{self.change_requests} change requests"
        )


def scaled(n: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


def build(scale: float = 1.0, seed: int = 1, demo: bool = True) -> Sizes:
    """Load the demo, then add the OGP-wide data set at ``scale`` (1 = OGP-wide)."""
    from django.core.management import call_command

    sizes = Sizes()
    rng = random.Random(seed)

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        sizes.seconds[name] = now - started
        return now

    t = time.perf_counter()
    if demo:
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", "--no-admin", verbosity=0, stdout=quiet)
        t = step("demo", t)
    plans = scaled(PLANS, scale, minimum=8)
    generate(plans, COMMITMENTS_PER_PLAN, ACTIVITIES_PER_COMMITMENT, seed=seed)
    sizes.plans = plans
    sizes.commitments = plans * COMMITMENTS_PER_PLAN
    sizes.activities = sizes.commitments * ACTIVITIES_PER_COMMITMENT
    t = step("plans, commitments, activities", t)
    secretariat, focal_users = _people(sizes)
    t = step("focal points", t)
    _updates(sizes, rng, scaled(UPDATES, scale), scaled(HEAVY_UPDATES, scale, 12), focal_users)
    t = step("updates and evidence", t)
    _change_requests(sizes, rng, scaled(CHANGE_REQUESTS, scale), secretariat)
    t = step("change requests", t)
    _meetings(sizes, secretariat)
    t = step("meetings and snapshots", t)
    # The plans' stored figures (progress, number of commitments), as the actions keep
    # them: the bulk inserts above bypass the actions.
    from apps.plans.figures import refresh_all

    refresh_all()
    t = step("plans' figures", t)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of such a load on a production server:
        # the planner's statistics (SQLite keeps none: the indexes must do without).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("ANALYZE", t)
    return sizes


def _people(sizes: Sizes) -> tuple[Any, dict[int, Any]]:
    """Focal points: one account per few commitments, each with its current assignment;
    the commitments of ``FOCAL_PLAN`` go to the focal point persona."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.accounts.roles import Role
    from apps.plans.models import Commitment
    from apps.tracking.models import FocalPointAssignment

    secretariat = User.objects.get(username="demo-secretariat")
    group = Group.objects.get_or_create(name=Role.FOCAL_POINT.value)[0]
    commitments = list(
        Commitment.objects.filter(plan__slug__startswith="bench-plan-")
        .select_related("plan")
        .order_by("plan_id", "number")
    )
    unusable = make_password(None)
    count = (len(commitments) + COMMITMENTS_PER_FOCAL_POINT - 1) // COMMITMENTS_PER_FOCAL_POINT
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-fp-{i}",
                password=unusable,
                first_name="مخاطب",
                last_name=str(i),
                email=f"bench-fp-{i}@example.org",
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    persona = User.objects.create_user(
        FOCAL_USERNAME, f"{FOCAL_USERNAME}@example.org", PASSWORD, first_name="مخاطب"
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in [*users, persona]],
        batch_size=BATCH,
    )
    start = datetime.date(2021, 1, 1)
    focal_of: dict[int, Any] = {}
    assignments = []
    for i, commitment in enumerate(commitments):
        user = (
            persona
            if commitment.plan.slug == FOCAL_PLAN
            else users[i // COMMITMENTS_PER_FOCAL_POINT]
        )
        focal_of[commitment.pk] = user
        assignments.append(
            FocalPointAssignment(
                commitment=commitment, user=user, started_on=start, assigned_by=secretariat
            )
        )
    FocalPointAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    sizes.focal_points = len(users) + 1
    return secretariat, focal_of


def _updates(
    sizes: Sizes, rng: random.Random, total: int, heavy: int, focal_of: dict[int, Any]
) -> None:
    """``total`` progress updates spread over the activities (``heavy`` of them on the
    activities of one commitment), mostly validated, the last ones of a few activities
    submitted, returned or drafts; created over the plans' three years. Written with
    COPY on PostgreSQL and one prepared INSERT on SQLite (model instances would take
    minutes), then one evidence row (a link) for every fourth update in one statement."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.plans.models import Activity
    from apps.tracking.models import Evidence, ProgressUpdate, UpdateSource, UpdateStatus

    activities = list(
        Activity.objects.filter(commitment__plan__slug__startswith="bench-plan-")
        .order_by("commitment__plan_id", "commitment__number", "order")
        .values_list("pk", "commitment_id", "commitment__plan__slug", "commitment__number")
    )
    heavy_ids = [a for a in activities if a[2] == HEAVY_PLAN and a[3] == 1]
    others = [a for a in activities if not (a[2] == HEAVY_PLAN and a[3] == 1)]
    counts: dict[int, int] = {}
    for a in heavy_ids:
        counts[a[0]] = heavy // len(heavy_ids)
    rest = total - sum(counts.values())
    per, extra = divmod(rest, len(others))
    for i, a in enumerate(others):
        counts[a[0]] = per + (1 if i < extra else 0)

    fields = [f for f in ProgressUpdate._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {
        f.attname: f.get_db_prep_save(f.get_default(), connection) if f.has_default() else None
        for f in fields
    }
    for f in fields:  # text columns without a default (narratives) are empty strings
        if defaults[f.attname] is None and not f.null:
            defaults[f.attname] = ""
    ops = connection.ops
    tz = timezone.get_current_timezone()
    origin = datetime.datetime(2021, 1, 4, 9, tzinfo=tz)
    span = 3 * 365 * 24 * 3600 - 86400 * 30
    statuses = [UpdateStatus.SUBMITTED, UpdateStatus.RETURNED, UpdateStatus.DRAFT]
    validated = str(UpdateStatus.VALIDATED)

    def rows() -> Any:
        for n, (activity_id, commitment_id, _slug, _number) in enumerate(activities):
            k = counts[activity_id]
            author = focal_of[commitment_id].pk
            progress = 0
            for j in range(k):
                at = origin + datetime.timedelta(seconds=span * (j + rng.random()) / max(k, 1))
                stamp = ops.adapt_datetimefield_value(at)
                before = progress
                progress = min(100, progress + rng.randint(0, 12))
                status = validated
                if j == k - 1 and n % 10 < 3:
                    status = str(statuses[n % 3])
                values = dict(defaults)
                values.update(
                    created_at=stamp,
                    updated_at=stamp,
                    activity_id=activity_id,
                    author_id=author,
                    status=status,
                    source=str(UpdateSource.REPORT),
                    progress=progress,
                    previous_progress=before if status == validated else None,
                    language="ar",
                    narrative_ar=f"تقدم النشاط {activity_id}: {progress}٪",
                    reported_on=ops.adapt_datefield_value(at.date()),
                    submitted_at=stamp if status != UpdateStatus.DRAFT else None,
                    validated_at=stamp if status == validated else None,
                    return_reason="ناقص" if status == UpdateStatus.RETURNED else "",
                )
                yield tuple(values[f.attname] for f in fields)

    table = ProgressUpdate._meta.db_table
    quoted = ", ".join(ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
            batch: list[tuple[Any, ...]] = []
            for row in rows():
                batch.append(row)
                if len(batch) >= BATCH * 4:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
        bench = ProgressUpdate.objects.filter(
            activity__commitment__plan__slug__startswith="bench-plan-"
        )
        first = bench.order_by("pk").values_list("pk", flat=True).first() or 0
        evidence = Evidence._meta.db_table
        cursor.execute(
            f"INSERT INTO {evidence} (update_id, file, original_name, content_type, url) "
            f"SELECT id, '', '', '', 'https://example.org/evidence/' || CAST(id AS TEXT) "
            f"FROM {table} WHERE id >= %s AND (id - %s) %% {EVIDENCE_EVERY} = 0",
            [first, first],
        )
    sizes.updates = bench.count()
    sizes.evidence = Evidence.objects.filter(update__pk__gte=first).count()


def _change_requests(sizes: Sizes, rng: random.Random, total: int, secretariat: Any) -> None:
    """Change requests by the committee member: one in ten pending, the others decided."""
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.plans.models import Activity
    from apps.tracking.models import ChangeRequest, ChangeRequestStatus

    member = User.objects.get(username="demo-committee")
    ids = list(
        Activity.objects.filter(commitment__plan__slug__startswith="bench-plan-").values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    rows = []
    for i in range(total):
        status = [
            ChangeRequestStatus.PENDING,
            ChangeRequestStatus.ACCEPTED,
            ChangeRequestStatus.REJECTED,
        ][0 if i % 10 == 0 else 1 + i % 2]
        decided = status != ChangeRequestStatus.PENDING
        rows.append(
            ChangeRequest(
                activity_id=ids[rng.randrange(len(ids))],
                proposed_by=member,
                current_progress=20,
                proposed_progress=60,
                justification="التقدم المسجل يبرر ذلك",
                status=status,
                decided_by=secretariat if decided else None,
                decided_at=now if decided else None,
                decision_reason="تم" if decided else "",
            )
        )
    ChangeRequest.objects.bulk_create(rows, batch_size=BATCH)
    sizes.change_requests = total


def _meetings(sizes: Sizes, secretariat: Any) -> None:
    """A steering committee per plan, a meeting on the plan's last day of 2022 with its
    snapshot frozen through the action (the rows as a real meeting stores them)."""
    from apps.committees import actions
    from apps.committees.models import Committee, Member, Seat
    from apps.plans.models import ActionPlan

    plans = list(ActionPlan.objects.filter(slug__startswith="bench-plan-").order_by("pk"))
    committees = Committee.objects.bulk_create(
        Committee(slug=f"bench-committee-{p.pk}", kind="steering", name=f"لجنة {p.pk}", plan=p)
        for p in plans
    )
    Member.objects.bulk_create(
        Member(
            committee=c,
            order=i,
            name=f"عضو {i}",
            seat=Seat.GOVERNMENT if i % 2 else Seat.CIVIL_SOCIETY,
        )
        for c in committees
        for i in range(6)
    )
    starts = datetime.datetime(2022, 12, 15, 10, tzinfo=datetime.UTC)
    for committee in committees:
        meeting = actions.do_create_meeting(
            committee, acting_user=secretariat, starts_at=starts, place="الرباط"
        )
        snapshot = actions.do_freeze_snapshot(meeting, acting_user=secretariat)
        sizes.meetings += 1
        sizes.snapshot_rows += snapshot.rows.count()
