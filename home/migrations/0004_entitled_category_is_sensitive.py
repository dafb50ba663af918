"""Entitled groups (优抚对象: families of servicemen and martyrs, disabled veterans) are
sensitive too: subscribing to their news hints at a family's military service or a
disability, so it needs separate consent like disability and low income."""

from django.db import migrations


def mark(apps, schema_editor):
    apps.get_model("home", "ResidentCategory").objects.filter(code="entitled").update(
        is_sensitive=True
    )


def unmark(apps, schema_editor):
    apps.get_model("home", "ResidentCategory").objects.filter(code="entitled").update(
        is_sensitive=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_reviewers_require_two_factor"),
    ]

    operations = [migrations.RunPython(mark, unmark)]
