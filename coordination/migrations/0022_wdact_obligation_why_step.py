"""Issue 14: each obligation says why it is due when it is (`why`: a text key and parameters) and which step
meets it (`step`); the admission's facts carry the steps the engine judged. Rows derived before are derived
again by the next reminder sweep (`reevaluate_at` set to now); until then the page offers every form of the
side, as before, and shows the rule's label and seed without this case's arithmetic."""

from django.db import migrations, models
from django.utils import timezone


def ask_for_derivation(apps, schema_editor):
    Admission = apps.get_model("coordination", "Admission")
    Admission.objects.update(reevaluate_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0021_wdfind_obligation_possible"),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="step",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="obligation",
            name="why",
            field=models.JSONField(blank=True, default=dict, verbose_name="hvorfor"),
        ),
        migrations.RunPython(ask_for_derivation, migrations.RunPython.noop),
    ]
