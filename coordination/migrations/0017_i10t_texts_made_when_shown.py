"""Texts made when shown (issue 10): an inbox item keeps its kind and parameters instead of a Danish sentence,
and a staff member's e-mails are written in their language.

The existing items are converted from what they point at (the reminder, or the event of the new message):
the sentence they stored is not parsed. An item that points at neither keeps its old text as a parameter
and is shown as it was. An admission whose stored warnings are still Danish sentences is asked to be derived
again by the next reminder sweep (`reevaluate_at`), which stores the warnings' keys and parameters."""

from django.db import migrations, models
from django.utils import timezone

# The messages that follow from events (rules.types.EVENT_MESSAGE_CODES, as of this migration).
EVENT_CODES = {"faerdigbehandlet": "MOF", "treatment_resumed": "MOF-GENOPTAGET", "discharge_registered": "ADVIS-UD"}


def _params(item) -> dict:
    if item.kind == "reminder" and item.reminder_id is not None:
        reminder = item.reminder
        obligation = reminder.obligation
        code = obligation.message_code if obligation is not None else ""
        if not code and reminder.rule == "R-READ" and reminder.label.endswith(" læses"):
            code = reminder.label.removesuffix(" læses")
        return {
            "rule": reminder.rule,
            "message_code": code or None,
            "due_at": reminder.due_at.isoformat(),
            "overdue": reminder.due_at <= item.created_at,
        }
    if item.kind == "message" and item.event_id is not None:
        event = item.event
        code = event.data.get("code") if event.type == "message" else EVENT_CODES.get(event.type, "")
        return {
            "code": code,
            "sender": event.recorded_by_organisation or "",
            "at": event.occurred_at.isoformat(),
            "subject": event.data.get("subject") or "",
        }
    return {"text": item.text}


def forward(apps, schema_editor):
    Notification = apps.get_model("coordination", "Notification")
    items = Notification.objects.select_related("reminder__obligation", "event")
    for item in items.iterator(chunk_size=500):
        item.params = _params(item)
        item.save(update_fields=["params"])
    Admission = apps.get_model("coordination", "Admission")
    now = timezone.now()
    for admission in Admission.objects.exclude(warnings=[]).only("pk", "warnings", "reevaluate_at"):
        if any("key" not in w for w in admission.warnings or ()):
            admission.reevaluate_at = now
            admission.save(update_fields=["reevaluate_at"])


def backward(apps, schema_editor):
    """Back to stored sentences: the Danish text made from the parameters."""
    from django.utils import translation

    from coordination.texts import notification_text

    Notification = apps.get_model("coordination", "Notification")
    with translation.override("da"):
        for item in Notification.objects.select_related("admission__citizen").iterator(chunk_size=500):
            item.text = notification_text(item, item.created_at)[:400]
            item.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0016_i11b_database_enforces"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parametre"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="notification", name="text"),
        migrations.AddField(
            model_name="staffmember",
            name="language",
            field=models.CharField(
                choices=[("da", "Dansk"), ("en", "English")],
                default="da",
                max_length=8,
                verbose_name="sprog i e-mails",
            ),
        ),
    ]
