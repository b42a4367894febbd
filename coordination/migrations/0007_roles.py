"""The roles of issue 5 as Django groups with model permissions. Names and permissions are copied here so
the migration stays the same when the code changes."""

from django.db import migrations

# group name -> (app_label.codename, ...)
ROLE_PERMISSIONS = {
    "Afsnitssygeplejerske": ("coordination.view_admission", "coordination.add_event", "coordination.view_citizen"),
    "Udskrivningskoordinator": (
        "coordination.view_admission",
        "coordination.add_event",
        "coordination.view_citizen",
        "coordination.change_citizen",
    ),
    "Visitator": (
        "coordination.view_admission",
        "coordination.add_event",
        "coordination.view_citizen",
        "coordination.change_citizen",
    ),
    "Forløbskoordinator": ("coordination.view_admission", "coordination.add_event", "coordination.view_citizen"),
    # Managers steer by the figures: reports only, no citizen details.
    "Leder": ("coordination.view_reports",),
    "Administrator": (
        "coordination.view_accesslog",
        "coordination.view_region",
        "coordination.change_agreementprofile",
        "coordination.add_agreementprofile",
        "coordination.view_agreementprofile",
        "coordination.add_hospital",
        "coordination.change_hospital",
        "coordination.view_hospital",
        "coordination.add_ward",
        "coordination.change_ward",
        "coordination.view_ward",
        "coordination.view_municipality",
        "coordination.add_staffmember",
        "coordination.change_staffmember",
        "coordination.view_staffmember",
        "coordination.add_feetariff",
        "coordination.change_feetariff",
        "coordination.view_feetariff",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    ),
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0006_report_permission"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
