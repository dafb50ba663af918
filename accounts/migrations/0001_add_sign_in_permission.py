from django.db import migrations, models


def permission_create(apps, schema_editor):
    # Created here rather than after migrate, so that later migrations can grant it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="signin")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="require_two_factor",
        defaults={"name": "登录须两步验证"},
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignIn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "permissions": [("require_two_factor", "登录须两步验证")],
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.RunPython(permission_create, migrations.RunPython.noop),
    ]
