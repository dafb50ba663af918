from django.db import migrations


def reviewers_require_two_factor(apps, schema_editor):
    # Groups provisioned before the rule existed; new ones get it from street_reviewers_provision.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="accounts", codename="require_two_factor"
    )
    for group in Group.objects.filter(name="街道审核员"):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_seed_locales_and_resident_categories"),
        ("accounts", "0001_add_sign_in_permission"),
    ]

    operations = [migrations.RunPython(reviewers_require_two_factor, migrations.RunPython.noop)]
