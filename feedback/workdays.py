"""Working days on China's calendar: public holidays and 调休 make-up working days.

The `chinese-calendar` package knows each year once the State Council has
published its holiday notice (usually in November for the next year). For a
year it does not know, the admin's table of holidays and make-up days
(`CalendarDay`) applies, on top of weekends; with no rows for that year,
Monday to Friday are working days.
"""

import datetime

import chinese_calendar


def _table(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from feedback.models import CalendarDay

    return dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "working")
    )


def is_working_day(day: datetime.date, table: dict[datetime.date, bool] | None = None) -> bool:
    """Whether offices work on `day`: the package's answer, else the admin's table, else Mon–Fri."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        pass
    if table is None:
        table = _table(day, day)
    if day in table:
        return table[day]
    return day.weekday() < 5


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (the day itself not counted)."""
    # A run of holidays is never longer than a few weeks: a year's table is plenty.
    table = _table(start, start + datetime.timedelta(days=days * 3 + 40))
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, table):
            counted += 1
    return day


def previous_working_day(day: datetime.date) -> datetime.date:
    """The last working day before `day`."""
    table = _table(day - datetime.timedelta(days=40), day)
    day -= datetime.timedelta(days=1)
    while not is_working_day(day, table):
        day -= datetime.timedelta(days=1)
    return day
