"""Each subscription's email and web push columns become address rows; nothing is lost.

An email address keeps its confirmation; a web push subscription was
confirmed by the browser handing it over, and keeps whether it is active
(push services answer 404/410 for gone ones). Existing deliveries are pointed
at the address of their subscription and channel, so queued ones still go.
Reversible: the rows are copied back into the columns.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000


def columns_to_rows(apps, schema_editor):
    Subscription = apps.get_model("subscriptions", "Subscription")
    Address = apps.get_model("subscriptions", "Address")
    Delivery = apps.get_model("subscriptions", "Delivery")
    rows = []
    for s in Subscription.objects.order_by("pk").iterator(chunk_size=BATCH):
        if s.email:
            rows.append(
                Address(
                    subscription_id=s.pk,
                    channel="email",
                    address=s.email,
                    confirmed_at=s.email_confirmed_at,
                    active=True,
                    created_at=s.created_at,
                    updated_at=s.updated_at,
                )
            )
        if s.push_endpoint:
            rows.append(
                Address(
                    subscription_id=s.pk,
                    channel="webpush",
                    address=s.push_endpoint,
                    data={"p256dh": s.push_p256dh, "auth": s.push_auth},
                    confirmed_at=s.created_at,
                    active=s.push_active,
                    created_at=s.created_at,
                    updated_at=s.updated_at,
                )
            )
        if len(rows) >= BATCH:
            Address.objects.bulk_create(rows)
            rows = []
    Address.objects.bulk_create(rows)
    # auto_now(_add) stamped the rows with today; they keep the subscription's dates.
    Address.objects.update(
        created_at=Subquery(
            Subscription.objects.filter(pk=OuterRef("subscription_id")).values("created_at")[:1]
        ),
        updated_at=Subquery(
            Subscription.objects.filter(pk=OuterRef("subscription_id")).values("updated_at")[:1]
        ),
    )
    Delivery.objects.filter(subscription__isnull=False).update(
        address_id=Subquery(
            Address.objects.filter(
                subscription_id=OuterRef("subscription_id"), channel=OuterRef("channel")
            ).values("pk")[:1]
        )
    )


def rows_to_columns(apps, schema_editor):
    Subscription = apps.get_model("subscriptions", "Subscription")
    Address = apps.get_model("subscriptions", "Address")
    for address in Address.objects.filter(channel="email").iterator(chunk_size=BATCH):
        Subscription.objects.filter(pk=address.subscription_id).update(
            email=address.address, email_confirmed_at=address.confirmed_at
        )
    for address in Address.objects.filter(channel="webpush").iterator(chunk_size=BATCH):
        Subscription.objects.filter(pk=address.subscription_id).update(
            push_endpoint=address.address,
            push_p256dh=address.data.get("p256dh", ""),
            push_auth=address.data.get("auth", ""),
            push_active=address.active,
        )
    Address.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0002_addresses"),
    ]

    operations = [
        migrations.RunPython(columns_to_rows, rows_to_columns, elidable=False),
    ]
