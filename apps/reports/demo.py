"""The demo's self-assessment report: the seed's 2023 end-of-term cycle of the Morocco
2021–2023 plan, its six stages dated inside the story, the figures of the seed meeting's
snapshot (28 March 2023) and one generated version in Arabic, French and English."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User, system_user
from apps.committees.models import Snapshot
from apps.core.models import AuditLog
from apps.plans.models import ActionPlan
from apps.reports import actions, review
from apps.reports.models import CycleKind, ReportCycle, Resolution, ReviewComment, Section, StageKey

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
CREATED_AT = datetime.datetime(2023, 4, 3, 9, 0, tzinfo=CASABLANCA)
GENERATED_AT = datetime.datetime(2023, 5, 22, 11, 0, tzinfo=CASABLANCA)

# Stage → (started, completed) as the story tells it: the platform was updated late,
# the report generated in May, the committees reviewing it since late May.
ACTUAL = {
    StageKey.UPDATE: (datetime.date(2023, 4, 3), datetime.date(2023, 6, 2)),
    StageKey.TRANSLATE: (datetime.date(2023, 4, 10), datetime.date(2023, 5, 26)),
    StageKey.GENERATE: (datetime.date(2023, 5, 22), datetime.date(2023, 5, 22)),
    StageKey.REVIEW: (datetime.date(2023, 5, 29), None),
}

LESSONS = {
    "ar": "تحيين المنصة بانتظام يسهل إعداد التقرير، وإشراك المجتمع المدني منذ البداية يعزز الثقة.",
    "fr": "Une plateforme tenue à jour facilite le rapport ; associer la société civile dès le "
    "départ renforce la confiance.",
    "en": "A platform kept up to date makes the report easy; involving civil society from the "
    "start builds trust.",
}


# The committees' review as it stood in June 2023: three comments of the demo committee
# member, the first resolved by the secretariat. (day, section, commitment number, text)
REVIEW_COMMENTS = [
    (
        datetime.datetime(2023, 5, 30, 10, 30, tzinfo=CASABLANCA),
        Section.INTRODUCTION,
        None,
        "يستحسن أن تذكّر المقدمة بالسياق الوطني وبأهم مراحل إعداد الخطة وتنفيذها.",
    ),
    (
        datetime.datetime(2023, 6, 1, 15, 0, tzinfo=CASABLANCA),
        Section.COMMITMENT,
        1,
        "نسبة الإنجاز المعلنة لا تأخذ بعين الاعتبار الأنشطة المنجزة بعد اجتماع 28 مارس؛ "
        "المرجو التحقق منها قبل الاستشارة العمومية.",
    ),
    (
        datetime.datetime(2023, 6, 5, 9, 45, tzinfo=CASABLANCA),
        Section.PARTICIPATION,
        None,
        "ينبغي إبراز عدد ممثلي المجتمع المدني الحاضرين في كل اجتماع على حدة.",
    ),
]
RESOLVED_AT = datetime.datetime(2023, 6, 8, 11, 0, tzinfo=CASABLANCA)
RESPONSE = (
    "تمت إضافة فقرة عن السياق الوطني ومراحل إعداد الخطة، وستظهر في النسخة المقبلة من التقرير."
)


def _load_review(cycle: ReportCycle) -> None:
    """The review comments, written and resolved through the actions, dated in the story."""
    member = User.objects.filter(username="demo-committee").first()
    if member is None:  # the tracking demo creates the demo's people
        return
    secretariat = User.objects.filter(username="demo-secretariat").first() or system_user()
    commitments = {c.number: c for c in cycle.plan.commitments.all()}
    written: list[ReviewComment] = []
    for at, section, number, text in REVIEW_COMMENTS:
        comment = review.do_comment_review(
            cycle,
            section=section,
            commitment=commitments.get(number) if number else None,
            body=text,
            acting_user=member,
            at=at,
        )
        AuditLog.objects.filter(action="report.comment_review", target_id=comment.pk).update(at=at)
        written.append(comment)
    review.do_resolve_review(
        written[0],
        resolution=Resolution.ACCEPTED,
        response=RESPONSE,
        acting_user=secretariat,
        at=RESOLVED_AT,
    )
    AuditLog.objects.filter(action="report.resolve_review", target_id=written[0].pk).update(
        at=RESOLVED_AT
    )


def reset_reports_demo() -> None:
    for cycle in ReportCycle.objects.filter(plan__slug="morocco-2021-2023"):
        for version in cycle.versions.all():
            for item in version.files.all():
                item.file.delete(save=False)
        # A comment keeps the version it read (PROTECT): the comments go first.
        ReviewComment.objects.filter(cycle=cycle).delete()
        cycle.delete()


@transaction.atomic
def load_reports_demo(plan: ActionPlan) -> ReportCycle:
    existing = ReportCycle.objects.filter(plan=plan, kind=CycleKind.END_OF_TERM).first()
    if existing is not None:
        return existing
    loading_started = timezone.now()
    platform = system_user()
    snapshot = Snapshot.objects.filter(plan=plan).order_by("meeting__starts_at").first()
    cycle = actions.do_create_cycle(
        plan, CycleKind.END_OF_TERM, 2023, acting_user=platform, snapshot=snapshot, at=CREATED_AT
    )
    cycle = actions.do_edit_cycle(cycle, acting_user=platform, snapshot=snapshot, lessons=LESSONS)
    job = actions.do_request_generation(cycle, acting_user=platform, at=GENERATED_AT, enqueue=False)
    actions.run_generation(job.pk, at=GENERATED_AT)
    for stage in cycle.stages.all():
        started, completed = ACTUAL.get(stage.key, (None, None))  # type: ignore[call-overload]
        if started:
            stage = actions.do_start_stage(stage, acting_user=platform, on=started)
        if completed:
            actions.do_complete_stage(stage, acting_user=platform, on=completed)
    AuditLog.objects.filter(at__gte=loading_started).update(at=GENERATED_AT)
    _load_review(cycle)
    User.objects.filter(pk=platform.pk, date_joined__gte=loading_started).update(
        date_joined=CREATED_AT
    )
    return cycle
