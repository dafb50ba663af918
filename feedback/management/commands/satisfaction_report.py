"""Ratings of a month per service: count, 满意率, distribution and the cases they opened."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.selectors import satisfaction_month

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _rate(satisfied: int, count: int) -> str:
    return f"{satisfied / count:.3f}" if count else "-"


class Command(BaseCommand):
    help = "Print per service the month's ratings, 满意率 and open and overdue cases."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: this month)")

    def handle(self, *args, **options):
        month = options["month"]
        if month and not MONTH.fullmatch(month):
            raise CommandError("--month must be YYYY-MM, e.g. 2026-10.")
        rows = satisfaction_month(month=month, now=timezone.now())
        header = ("id", "service", "community", "ratings", "rate", "5/4/3/2/1", "open", "overdue")
        self.stdout.write("\t".join(header))
        for row in rows:
            distribution = "/".join(
                str(row.distribution.get(score, 0)) for score in (5, 4, 3, 2, 1)
            )
            self.stdout.write(
                "\t".join(
                    str(value)
                    for value in (
                        row.service_id,
                        row.title,
                        row.community or "-",
                        row.ratings,
                        _rate(row.satisfied, row.ratings),
                        distribution,
                        row.cases_open,
                        row.cases_overdue,
                    )
                )
            )
        count = sum(row.ratings for row in rows)
        satisfied = sum(row.satisfied for row in rows)
        self.stdout.write(
            f"ratings={count} rate={_rate(satisfied, count)} "
            f"cases_open={sum(row.cases_open for row in rows)} "
            f"cases_overdue={sum(row.cases_overdue for row in rows)}"
        )
