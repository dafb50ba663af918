"""Addresses know their mailbox and when their confirmation went, so a mailbox has one pending confirmation.

Unconfirmed email addresses are filled in: their mailbox, and their creation
as the time their confirmation was sent (it was sent when they were made).
"""

import re

from django.db import migrations, models


def _mailbox(address):
    # A copy of subscriptions.channels.email.mailbox as it was when this ran.
    local, _at, domain = address.strip().rpartition("@")
    if len(local) >= 2 and local[0] == local[-1] == '"':
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    local = local.split("+", 1)[0]
    domain = domain.rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local.casefold()}@{domain.casefold()}"


def fill_pending(apps, schema_editor):
    Address = apps.get_model("subscriptions", "Address")
    pending = Address.objects.filter(channel="email", confirmed_at__isnull=True)
    for row in pending.only("pk", "address", "created_at").iterator():
        Address.objects.filter(pk=row.pk).update(
            mailbox=_mailbox(row.address)[:254], confirmation_sent_at=row.created_at
        )


class Migration(migrations.Migration):

    dependencies = [
        ('subscriptions', '0004_remove_subscription_channel_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='address',
            name='confirmation_sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='address',
            name='mailbox',
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AddIndex(
            model_name='address',
            index=models.Index(fields=['channel', 'mailbox'], name='subscriptio_channel_496588_idx'),
        ),
        migrations.RunPython(fill_pending, migrations.RunPython.noop),
    ]
