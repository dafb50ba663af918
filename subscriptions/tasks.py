"""Background work of the push hub; all of it safe to run twice."""

from django.db import transaction

from django_tasks import task

from subscriptions.delivery import deliveries_send as _deliveries_send
from subscriptions.planning import notification_plan_batch, send_tasks_needed

# Sending outranks planning, so the first messages leave while the fan-out goes on.
SEND_PRIORITY = 10
# Push workers serve this queue (`db_worker --queue-name push`); see docs/push.md.
PUSH_QUEUE = "push"


def send_task():
    """The send task, ahead of planning where the backend orders by priority (RQ does not)."""
    if deliveries_send.get_backend().supports_priority:
        return deliveries_send.using(priority=SEND_PRIORITY)
    return deliveries_send


@task(queue_name=PUSH_QUEUE)
def notification_plan(notification_id: int) -> int:
    """Plan one batch of deliveries, then enqueue their sending and the next batch."""
    more, due = notification_plan_batch(notification_id)
    sends = send_tasks_needed(due)

    def enqueue():
        sender = send_task()
        for _ in range(sends):
            sender.enqueue(notification_id)
        if more:
            notification_plan.enqueue(notification_id)

    transaction.on_commit(enqueue)
    return due


@task(queue_name=PUSH_QUEUE)
def deliveries_send(notification_id: int | None = None) -> int:
    """Send one batch of due deliveries (of one notification, or any)."""
    return _deliveries_send(notification_id=notification_id)


@task(queue_name=PUSH_QUEUE)
def address_confirmation_send(address_id: int) -> bool:
    """Send what confirms an address (for email, the link); nothing else goes to it before.

    One pending confirmation per mailbox: while another address of the same
    mailbox waits for its link, that link is sent again (at most hourly) instead.
    """
    from subscriptions.channels.registry import channel
    from subscriptions.models import Address
    from subscriptions.operations import address_confirmation_claim

    target = address_confirmation_claim(address_id=address_id)
    if target is None:
        return False
    address = Address.objects.select_related("subscription").get(pk=target.pk)
    try:
        return channel(address.channel).confirmation_send(address)
    except Exception:
        # Not sent: the next sign-up may try again at once.
        Address.objects.filter(
            pk=address.pk, confirmation_sent_at=target.confirmation_sent_at
        ).update(confirmation_sent_at=None)
        raise


@task(queue_name=PUSH_QUEUE)
def confirmation_send(subscription_id: int) -> bool:
    """Tasks queued before addresses were rows named the subscription: confirm its addresses."""
    from subscriptions.models import Address

    pending = Address.objects.filter(subscription_id=subscription_id, confirmed_at__isnull=True)
    sent = [address_confirmation_send.call(pk) for pk in pending.values_list("pk", flat=True)]
    return any(sent)
