"""Project every live page into the API's read model again."""

from django.core.management import BaseCommand

from api.projection import items_rebuild


class Command(BaseCommand):
    help = "Re-render every item the API serves (after an upgrade that changed the item shape)."

    def handle(self, *args, **options):
        self.stdout.write(f"{items_rebuild()} items changed")
