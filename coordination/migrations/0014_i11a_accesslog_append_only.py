"""The access log is append-only in the database too (PostgreSQL), like the timeline (0003): an UPDATE or
DELETE of an access-log row fails, through the ORM and in SQL alike. Archiving copies rows out and never
removes them here (README "The access log"). TRUNCATE (used only to empty a test database) is a statement,
not a row change, and is not affected."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION coordination_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Opslagsloggen kan ikke ændres eller slettes.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER coordination_accesslog_append_only
    BEFORE UPDATE OR DELETE ON coordination_accesslog
    FOR EACH ROW EXECUTE FUNCTION coordination_accesslog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS coordination_accesslog_append_only ON coordination_accesslog;
DROP FUNCTION IF EXISTS coordination_accesslog_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0013_medcom"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Så"),
                    ("change", "Ændrede"),
                    ("print", "Udskrev"),
                    ("export", "Eksporterede"),
                    ("reveal_cpr", "Viste fuldt CPR-nummer"),
                    ("grant", "Gav adgang"),
                    ("revoke", "Fjernede adgang"),
                    ("email", "Fik e-mail om"),
                    ("file", "Skrevet i nødudskrift"),
                ],
                max_length=12,
                verbose_name="handling",
            ),
        ),
        # The system's own writing out (the downtime boards' files) has no user.
        migrations.AlterField(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # An e-mail whose recipient no longer takes part in the course is skipped at send time.
        *(
            migrations.AlterField(
                model_name=model,
                name="email_state",
                field=models.CharField(
                    choices=[
                        ("none", "Ingen e-mail"),
                        ("pending", "Venter"),
                        ("sent", "Sendt"),
                        ("failed", "Fejlede"),
                        ("skipped", "Ikke sendt: modtageren deltager ikke længere"),
                    ],
                    default=default,
                    max_length=8,
                ),
            )
            for model, default in (("notification", "none"), ("weeklyoverview", "pending"))
        ),
        migrations.RunPython(create, drop),
    ]
