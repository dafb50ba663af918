"""`manage.py two_factor_reset NAME`: forget a person's authenticator (a lost or replaced phone)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.twofactor import authenticators_remove, two_factor_required


class Command(BaseCommand):
    help = "Forget the two-step authenticator of the named accounts; they enrol a new one at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+")

    def handle(self, *args, usernames: list[str], **options):
        users = get_user_model().objects.filter(username__in=usernames)
        missing = sorted(set(usernames) - {user.username for user in users})
        if missing:
            raise CommandError(f"No such account: {', '.join(missing)}")
        for user in users:
            removed = authenticators_remove(user)
            then = (
                "must enrol again at the next sign-in"
                if two_factor_required(user)
                else "may enrol again"
            )
            self.stdout.write(f"{user.username}: {removed} authenticator(s) forgotten; {then}.")
