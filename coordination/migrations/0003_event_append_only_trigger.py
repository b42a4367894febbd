"""The timeline is append-only in the database too (PostgreSQL): an UPDATE or DELETE of an event row fails.
TRUNCATE (used only to empty a test database) is a statement, not a row change, and is not affected."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION coordination_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Hændelser kan ikke ændres eller slettes; registrér en ny hændelse i stedet.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER coordination_event_append_only
    BEFORE UPDATE OR DELETE ON coordination_event
    FOR EACH ROW EXECUTE FUNCTION coordination_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS coordination_event_append_only ON coordination_event;
DROP FUNCTION IF EXISTS coordination_event_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]
