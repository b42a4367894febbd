"""Issue 15: when the first USR was sent is one of the engine's stored facts (`facts["usr_sent_at"]`, what
meets R-USR), so the board reads it from the admission instead of prefetching every admission's USR events.
The admissions with a USR get the fact now, as the board showed it until now (the first USR by time not
entered in error); their next derivation stores the engine's own. An admission without one needs nothing:
no fact is no USR."""

from django.db import migrations


def usr_sent_at(apps, schema_editor):
    Admission = apps.get_model("coordination", "Admission")
    Event = apps.get_model("coordination", "Event")
    sent = Event.objects.filter(type="message", data__code="USR").order_by(
        "admission_id", "occurred_at", "sequence"
    )
    first: dict[int, list] = {}
    for admission_id, sequence, occurred_at in sent.values_list("admission_id", "sequence", "occurred_at"):
        first.setdefault(admission_id, []).append((sequence, occurred_at))
    changed = []
    for admission in Admission.objects.filter(pk__in=list(first)).only("pk", "facts"):
        corrections = admission.facts.get("corrections") or []
        in_error = {c["event"] for c in corrections if c.get("kind") == "entered_in_error"}
        at = next((when for sequence, when in first[admission.pk] if sequence not in in_error), None)
        admission.facts = {**admission.facts, "usr_sent_at": at.isoformat() if at else None}
        changed.append(admission)
    Admission.objects.bulk_update(changed, ["facts"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0030_accesslog_without_foreign_key_checks"),
    ]

    operations = [migrations.RunPython(usr_sent_at, migrations.RunPython.noop)]
