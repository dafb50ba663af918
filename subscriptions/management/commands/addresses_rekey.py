"""Re-encrypt stored phone numbers (and openids) under the current key, after a rotation."""

from django.core.management.base import BaseCommand

from subscriptions.operations import addresses_rekey


class Command(BaseCommand):
    help = (
        "Encrypt and hash every encrypted address anew under LINLI_ADDRESS_KEY; run it after "
        "moving the old key to LINLI_ADDRESS_OLD_KEYS, then remove the old key."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{addresses_rekey()} address(es) re-encrypted")
