"""Feed a resident's reply through the channel, as the provider's callback would."""

from django.core.management.base import BaseCommand, CommandError

from subscriptions.channels.registry import channel


class Command(BaseCommand):
    help = (
        "A message from a resident on a channel, e.g. `channel_inbound sms 13800138000 TD`: "
        "the same path as the provider's reply callback (for the outbox and for tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("channel", help="the channel's code, e.g. sms")
        parser.add_argument("address", help="who sent it, e.g. the phone number")
        parser.add_argument("text", nargs="+", help="what they sent")

    def handle(self, *args, channel: str, address: str, text: list[str], **options):
        try:
            spec = channel_of(channel)
            changed = spec.inbound(address, " ".join(text))
        except NotImplementedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{changed} subscription(s) changed")


def channel_of(code: str):
    try:
        return channel(code)
    except KeyError:
        raise CommandError(f"no channel {code!r}") from None
