"""The "Authors" group: exactly the permissions to write content, nothing over accounts."""

from django.db import migrations

GROUP = "Authors"
CONTENT = {
    "learn": ["lesson", "statuscode", "followup"],
    "quiz": ["question", "choice", "quiz"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_authors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for label in CONTENT:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for models in CONTENT.values() for model in models
                 for action in ACTIONS]  # fmt: skip
    permissions = Permission.objects.filter(
        content_type__app_label__in=list(CONTENT), codename__in=codenames
    )
    group.permissions.set(permissions)


def remove_authors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("learn", "0001_initial"),
        ("quiz", "0002_progress_and_review"),
    ]

    operations = [migrations.RunPython(create_authors, remove_authors)]
