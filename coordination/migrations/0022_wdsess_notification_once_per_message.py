"""Issue 14: one inbox item per message and recipient ("Ny PFP" came once per version of the plan).

Each "Ny besked" item is given the message it is news of (its code, or KM-<sequence> for a KM); where a
person had several items of one message (the versions of a PFP), the newest version's item is kept, unread if
any of them was, and the others go. Then the database keeps it so."""

from django.conf import settings
from django.db import migrations, models


def one_item_per_message(apps, schema_editor):
    Notification = apps.get_model("coordination", "Notification")
    rows = (
        Notification.objects.filter(kind="message", event__isnull=False, admission__isnull=False)
        .select_related("event")
        .order_by("user_id", "admission_id", "-event__sequence", "-pk")
    )
    kept: dict[tuple, object] = {}
    doubles, unread_again = [], set()
    for row in rows.iterator(chunk_size=2000):
        code = (row.params or {}).get("code") or ""
        message = f"KM-{row.event.sequence}" if code == "KM" else code[:40]
        key = (row.user_id, row.admission_id, message)
        newest = kept.get(key)
        if newest is None:
            kept[key] = row
            row.message = message
            Notification.objects.filter(pk=row.pk).update(message=message)
            continue
        doubles.append(row.pk)
        if row.read_at is None and newest.read_at is not None:
            unread_again.add(newest.pk)
    Notification.objects.filter(pk__in=unread_again).update(read_at=None)
    for start in range(0, len(doubles), 1000):
        Notification.objects.filter(pk__in=doubles[start : start + 1000]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0021_wdfind_obligation_possible"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="besked"),
        ),
        migrations.RunPython(one_item_per_message, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("message__isnull", False)),
                fields=("user", "admission", "message"),
                name="notification_once_per_message",
            ),
        ),
    ]
