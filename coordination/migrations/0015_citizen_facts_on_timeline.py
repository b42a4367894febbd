"""The facts the rules read about a citizen (known in EOJ, residence, social area, terminal) move from the
citizen's registry row to each admission's timeline: the `admitted` event records them, `citizen_changed`
events change them. Admissions made before this migration get the citizen's facts as they stood now in their
`admitted` event: the one time an event row is completed (the append-only trigger is paused for it).

Free text moves into the event too (a KM's text into its content, a conference's minutes into its data):
the separate note table goes."""

from django.db import migrations, models

FACTS = ("known_in_eoj", "residence", "social_area", "terminal")


def facts_to_timeline(apps, schema_editor):
    Event = apps.get_model("coordination", "Event")
    Admission = apps.get_model("coordination", "Admission")
    EventNote = apps.get_model("coordination", "EventNote")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE coordination_event DISABLE TRIGGER coordination_event_append_only")
    for note in EventNote.objects.select_related("event"):
        data = dict(note.event.data)
        if note.event.type == "conference_held":
            data["minutes"] = note.text
        else:
            data["content"] = {**(data.get("content") or {}), "text": note.text}
        Event.objects.filter(pk=note.event_id).update(data=data)
    for event in Event.objects.filter(type="admitted").select_related("admission__citizen"):
        if "citizen" in event.data:
            continue
        citizen = event.admission.citizen
        facts = {name: getattr(citizen, name) for name in FACTS}
        Event.objects.filter(pk=event.pk).update(data={**event.data, "citizen": facts})
        admission = Admission.objects.get(pk=event.admission_id)
        admission.facts = {**admission.facts, "citizen": facts}
        admission.save(update_fields=["facts"])
    if postgres:
        schema_editor.execute("ALTER TABLE coordination_event ENABLE TRIGGER coordination_event_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0014_i11a_accesslog_append_only"),
    ]

    operations = [
        migrations.RunPython(facts_to_timeline, migrations.RunPython.noop),
        migrations.RemoveField(model_name="citizen", name="known_in_eoj"),
        migrations.RemoveField(model_name="citizen", name="residence"),
        migrations.RemoveField(model_name="citizen", name="social_area"),
        migrations.RemoveField(model_name="citizen", name="terminal"),
        migrations.DeleteModel(name="EventNote"),
        migrations.AlterField(
            model_name="event",
            name="type",
            field=models.CharField(
                choices=[
                    ("admitted", "Indlagt"),
                    ("message", "Besked"),
                    ("message_read", "Besked læst"),
                    ("coordination_identified", "Behov for yderligere koordinering"),
                    ("discharge_planned", "Udskrivning planlagt"),
                    ("phone_agreement", "Telefonaftale om udskrivning"),
                    ("municipality_contacted", "Kommunen har kontaktet hospitalet"),
                    ("conference_planned", "Planlægningskonference indkaldt"),
                    ("conference_held", "Planlægningskonference holdt"),
                    ("faerdigbehandlet", "Færdigbehandlet (MOF)"),
                    ("treatment_resumed", "Behandling genoptaget"),
                    ("mof_disputed", "MOF bestridt"),
                    ("left_ward", "Forlod afsnittet"),
                    ("discharge_registered", "Udskrivning registreret"),
                    ("rehabilitation_started", "Genoptræning startet"),
                    ("transferred", "Flyttet"),
                    ("leave_started", "Orlov begyndt"),
                    ("leave_ended", "Orlov sluttet"),
                    ("citizen_changed", "Borgerens forhold ændret"),
                ],
                max_length=30,
                verbose_name="hændelse",
            ),
        ),
    ]
