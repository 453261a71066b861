"""Minutes approved before approval fixed their content get their record now, from the
rows as they stand (the best that can be done: what changed since is not known)."""

from django.db import migrations


def freeze(apps, schema_editor):
    from apps.committees.record import capture

    meeting_model = apps.get_model("committees", "Meeting")
    record_model = apps.get_model("committees", "MinutesRecord")
    meetings = meeting_model.objects.exclude(status="draft").filter(minutes_record__isnull=True)
    for meeting in meetings.select_related("committee"):
        content = capture(meeting)
        record_model.objects.create(meeting=meeting, schema=content["schema"], content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_minutes_record"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
