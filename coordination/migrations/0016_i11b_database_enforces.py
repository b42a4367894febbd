"""The database enforces what the code assumes (issue 11): event types and sides as check constraints, and an
admission's version equal to the number of its events, checked at commit by deferred constraint triggers
(PostgreSQL; the embedded SQLite database has the check constraints only). A service appends an event and
counts the version up in one transaction, so only a write that skips the services can break it, and then the
commit fails."""

from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION coordination_admission_version_is_event_count() RETURNS trigger AS $$
DECLARE
    admission_pk bigint;
    admission_version integer;
    events integer;
BEGIN
    IF TG_TABLE_NAME = 'coordination_event' THEN
        admission_pk := NEW.admission_id;
    ELSE
        admission_pk := NEW.id;
    END IF;
    SELECT version INTO admission_version FROM coordination_admission WHERE id = admission_pk;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT count(*) INTO events FROM coordination_event WHERE admission_id = admission_pk;
    IF admission_version <> events THEN
        RAISE EXCEPTION USING
            MESSAGE = 'Indlæggelse ' || admission_pk || ': versionen er ' || admission_version
                || ', men den har ' || events || ' hændelser',
            ERRCODE = 'check_violation', CONSTRAINT = 'admission_version_is_event_count';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER admission_version_is_event_count_on_event
    AFTER INSERT ON coordination_event
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION coordination_admission_version_is_event_count();
CREATE CONSTRAINT TRIGGER admission_version_is_event_count_on_admission
    AFTER INSERT OR UPDATE OF version ON coordination_admission
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION coordination_admission_version_is_event_count();
"""
DROP = """
DROP TRIGGER IF EXISTS admission_version_is_event_count_on_event ON coordination_event;
DROP TRIGGER IF EXISTS admission_version_is_event_count_on_admission ON coordination_admission;
DROP FUNCTION IF EXISTS coordination_admission_version_is_event_count();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('coordination', '0015_citizen_facts_on_timeline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('type__in', ('admitted', 'message', 'message_read', 'coordination_identified', 'discharge_planned', 'phone_agreement', 'municipality_contacted', 'conference_planned', 'conference_held', 'faerdigbehandlet', 'treatment_resumed', 'left_ward', 'discharge_registered', 'rehabilitation_started', 'mof_disputed', 'transferred', 'leave_started', 'leave_ended', 'citizen_changed'))), name='event_type_known'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('recorded_by_side__in', ['hospital', 'municipality', 'system'])), name='event_side_known'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('type__in', ('admitted', 'coordination_identified', 'discharge_planned', 'faerdigbehandlet', 'treatment_resumed', 'left_ward', 'discharge_registered', 'leave_started', 'leave_ended')), _negated=True), ('recorded_by_side__in', ['hospital', 'system']), _connector='OR'), name='event_hospital_type_by_hospital'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('type__in', ('rehabilitation_started',)), _negated=True), ('recorded_by_side__in', ['municipality', 'system']), _connector='OR'), name='event_municipality_type_by_municipality'),
        ),
    ]
