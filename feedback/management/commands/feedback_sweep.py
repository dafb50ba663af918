"""Scheduler job: reminders and escalations of rating cases, and the published aggregates."""

from django.core.management.base import BaseCommand

from feedback.operations import cases_sweep, satisfaction_refresh_all


class Command(BaseCommand):
    help = (
        "Remind handlers the working day before a case's deadline, escalate overdue cases to "
        "the street reviewers, and recount 满意率 as ratings leave the 12-month window."
    )

    def handle(self, *args, **options):
        reminded, escalated = cases_sweep()
        changed = satisfaction_refresh_all()
        if options["verbosity"] > 1:
            self.stdout.write(f"reminded={reminded} escalated={escalated} items={changed}")
