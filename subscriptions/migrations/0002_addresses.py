"""Addresses as rows: a table of them, and deliveries that can point at one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('subscriptions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Address',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(max_length=16)),
                ('address', models.CharField(max_length=1000)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('active', models.BooleanField(default=True)),
                ('preference', models.PositiveSmallIntegerField(default=0, help_text='lower is tried first')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.AlterField(
            model_name='delivery',
            name='channel',
            field=models.CharField(max_length=16),
        ),
        migrations.AlterField(
            model_name='unsubscription',
            name='channel',
            field=models.CharField(max_length=16),
        ),
        migrations.AddField(
            model_name='address',
            name='subscription',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addresses', to='subscriptions.subscription'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='address',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='subscriptions.address'),
        ),
        migrations.AddIndex(
            model_name='address',
            index=models.Index(fields=['channel', 'address'], name='subscriptio_channel_87ebcc_idx'),
        ),
        migrations.AddConstraint(
            model_name='address',
            constraint=models.UniqueConstraint(fields=('subscription', 'channel'), name='one_address_per_subscription_channel'),
        ),
        ]
