"""Register a kiosk from the shell; the token is printed once, on the last line."""

from django.core.management import BaseCommand, CommandError

from items.selectors import known_communities
from kiosks.models import setup_link
from kiosks.operations import kiosk_create


class Command(BaseCommand):
    help = "Create a kiosk and print its token (shown only this once) on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--community", default="", help="community code; empty = whole street")
        parser.add_argument("--location", default="")
        parser.add_argument("--locale", default="zh-hans")

    def handle(self, *args, name, community, location, locale, **options):
        if community and community not in known_communities():
            raise CommandError(f"No community with code '{community}'.")
        kiosk, token = kiosk_create(
            name=name, community=community, location=location, locale=locale
        )
        self.stderr.write(
            f"Kiosk '{kiosk.name}' created (id {kiosk.pk}). Open {setup_link(token)} on it, "
            "or type the token that follows into its setup screen; it is not stored."
        )
        self.stdout.write(token)
