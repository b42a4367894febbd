# The MOF column's fact (services.derived.mof_fact), written by the engine's store from then on, taken once
# from the stored periods of the admissions stored before it: the board reads it with the admission.

from collections import defaultdict

from django.db import migrations


def backfill(apps, schema_editor):
    from coordination import rules
    from coordination.services.derived import mof_fact

    Admission = apps.get_model("coordination", "Admission")
    Period = apps.get_model("coordination", "FaerdigbehandlingPeriod")
    periods = defaultdict(list)
    for p in Period.objects.order_by("admission_id", "registered_at").iterator(chunk_size=5000):
        periods[p.admission_id].append(
            rules.Period(
                registered=p.registered_on,
                ended=p.ended_on,
                days=p.days,
                voided=p.voided,
                waiting_for=tuple(p.waiting_for),
                registered_at=p.registered_at,
                disputed=p.disputed,
                dispute_note=p.dispute_note,
                resumed=p.resumed,
            )
        )
    ids = sorted(periods)
    for start in range(0, len(ids), 1000):
        admissions = list(Admission.objects.filter(pk__in=ids[start : start + 1000]).only("pk", "facts"))
        for admission in admissions:
            admission.facts = {**admission.facts, "mof": mof_fact(periods[admission.pk])}
        Admission.objects.bulk_update(admissions, ["facts"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0035_admission_last_event"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
