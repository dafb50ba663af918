import json
from pathlib import Path

from django.core.management import BaseCommand

from subscriptions.vapid import keys_generate


class Command(BaseCommand):
    help = "Generate a VAPID key pair for web push (print it, or write it to a file once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write", metavar="FILE", help="Write the keys to FILE unless it exists already."
        )

    def handle(self, *args, write: str | None = None, **options):
        if write and Path(write).exists():
            return
        keys = keys_generate()
        if write:
            path = Path(write)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(keys))
            path.chmod(0o600)
            self.stdout.write(f"VAPID keys written to {write}")
            return
        self.stdout.write(f"LINLI_VAPID_PRIVATE_KEY={keys['private_key']}")
        self.stdout.write(f"LINLI_VAPID_PUBLIC_KEY={keys['public_key']}")
