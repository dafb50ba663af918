"""The channel columns of subscriptions go: their values live in addresses now."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('subscriptions', '0003_addresses_from_columns'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='subscription',
            name='subscriptio_email_61716f_idx',
        ),
        migrations.RemoveField(
            model_name='subscription',
            name='email',
        ),
        migrations.RemoveField(
            model_name='subscription',
            name='email_confirmed_at',
        ),
        migrations.RemoveField(
            model_name='subscription',
            name='push_active',
        ),
        migrations.RemoveField(
            model_name='subscription',
            name='push_auth',
        ),
        migrations.RemoveField(
            model_name='subscription',
            name='push_endpoint',
        ),
        migrations.RemoveField(
            model_name='subscription',
            name='push_p256dh',
        ),
    ]
