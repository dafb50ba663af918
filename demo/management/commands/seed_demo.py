"""Load the demo street office: communities, directory, services, notices, events, accounts."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand

from demo.builder import CONTENT_FILE, DemoBuilder
from kiosks.models import Kiosk, setup_link
from kiosks.operations import kiosk_create, kiosk_for_token
from subscriptions.notifications import notifications_suppressed

DEMO_KIOSK = "服务大厅 1 号机"
KIOSK_KEY = "kiosk:" + DEMO_KIOSK


class Command(BaseCommand):
    help = "Create the demo content and accounts; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--content", type=Path, default=CONTENT_FILE)
        parser.add_argument(
            "--accounts-file",
            type=Path,
            default=Path(settings.VAR_DIR) / "demo-accounts.json",
            help="Where the generated demo passwords are kept so they can be shown again.",
        )

    def handle(self, *args, content: Path, accounts_file: Path, **options):
        # Demo pages are not news: nobody is told about them.
        with notifications_suppressed():
            report = DemoBuilder.from_file(content).build()
        known = self._load(accounts_file)
        for account in report.accounts:
            if account.password:
                known[account.username] = account.password
        known[KIOSK_KEY] = self._kiosk_token(known.get(KIOSK_KEY))
        self._save(accounts_file, known)

        if report.created:
            summary = ", ".join(f"{count} {kind}" for kind, count in report.created.items())
            self.stdout.write(f"Demo content created: {summary}.")
        else:
            self.stdout.write("Demo content already present; nothing changed.")
        self.stdout.write("")
        self.stdout.write(f"  Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")
        for account in report.accounts:
            password = known.get(account.username)
            shown = (
                password
                or "(set earlier; reset with: manage.py changepassword " + account.username + ")"
            )
            self.stdout.write(f"  login {account.username:<18} password {shown:<14} {account.role}")
        self.stdout.write("")
        self.stdout.write(f"  Kiosk ({DEMO_KIOSK}): {setup_link(known[KIOSK_KEY])}")

    def _kiosk_token(self, token: str | None) -> str:
        """The hall kiosk's token, kept beside the passwords; a new one if it no longer works."""
        if token and kiosk_for_token(token):
            return token
        kiosk = Kiosk.objects.filter(name=DEMO_KIOSK).first()
        if kiosk is None:
            _kiosk, token = kiosk_create(name=DEMO_KIOSK, location="街道社区服务中心一楼大厅")
            return token
        token = kiosk.issue_token()
        kiosk.revoked_at = None
        kiosk.save(update_fields=["token_hash", "revoked_at"])
        return token

    def _load(self, path: Path) -> dict[str, str]:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _save(self, path: Path, accounts: dict[str, str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(accounts, indent=1), encoding="utf-8")
        os.chmod(path, 0o600)
