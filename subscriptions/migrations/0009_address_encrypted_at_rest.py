"""Phone numbers (and later openids) stored encrypted, found by a keyed hash.

Rows of the channels that encrypt (`encrypt_address`, SMS today) are
encrypted in place, with their hash; their `mailbox` (which held the number
itself while a code was pending) becomes the number's keyed hash. Reversible:
going back decrypts them. Plain SQL, so neither direction depends on how the
model reads the column.
"""

from django.db import migrations, models

import subscriptions.models


def _encrypted_channels() -> list[str]:
    from subscriptions.channels.registry import address_channels

    return [spec.code for spec in address_channels() if spec.encrypt_address]


def _rows(cursor, channels):
    marks = ", ".join(["%s"] * len(channels))
    cursor.execute(
        f"SELECT id, channel, address, mailbox FROM subscriptions_address WHERE channel IN ({marks})",
        channels,
    )
    return cursor.fetchall()


def encrypt_rows(apps, schema_editor):
    from subscriptions import address_crypto

    channels = _encrypted_channels()
    if not channels:
        return
    with schema_editor.connection.cursor() as cursor:
        for pk, channel, stored, mailbox in _rows(cursor, channels):
            if address_crypto.is_encrypted(stored):
                continue
            cursor.execute(
                "UPDATE subscriptions_address SET address = %s, address_hash = %s, mailbox = %s "
                "WHERE id = %s",
                [
                    address_crypto.encrypt(stored),
                    address_crypto.digest(channel, stored),
                    address_crypto.digest(channel, mailbox) if mailbox else "",
                    pk,
                ],
            )


def decrypt_rows(apps, schema_editor):
    from subscriptions import address_crypto

    channels = _encrypted_channels()
    if not channels:
        return
    with schema_editor.connection.cursor() as cursor:
        for pk, _channel, stored, mailbox in _rows(cursor, channels):
            if not address_crypto.is_encrypted(stored):
                continue
            plain = address_crypto.decrypt(stored)
            cursor.execute(
                "UPDATE subscriptions_address SET address = %s, address_hash = '', mailbox = %s "
                "WHERE id = %s",
                [plain, plain if mailbox else "", pk],
            )


class Migration(migrations.Migration):

    dependencies = [
        ('subscriptions', '0008_subscription_sensitive_consent'),
    ]

    operations = [
        migrations.AddField(
            model_name='address',
            name='address_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='address',
            name='address',
            field=subscriptions.models.AddressField(max_length=1000),
        ),
        migrations.AddIndex(
            model_name='address',
            index=models.Index(fields=['channel', 'address_hash'], name='subscriptio_channel_dc2fc6_idx'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
