from django.db import migrations

CODENAMES = {
    "case": ("view_case", "change_case"),
    "correction": ("view_correction", "change_correction"),
}


def grant_editors_and_reviewers(apps, schema_editor):
    # Groups provisioned before feedback existed; new ones get these from home.operations.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model, codenames in CODENAMES.items():
        content_type, _created = ContentType.objects.get_or_create(
            app_label="feedback", model=model
        )
        for codename in codenames:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {codename.replace('_', ' ')}"},
            )
            permissions.append(permission)
    groups = Group.objects.filter(name="街道审核员") | Group.objects.filter(
        name__startswith="社区编辑 · "
    )
    for group in groups:
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_ratings_cases_corrections"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_editors_and_reviewers, migrations.RunPython.noop)
    ]
