"""Deadlines count working days on China's calendar, holidays and 调休 make-up days included."""

import datetime

import pytest

from feedback.models import CalendarDay
from feedback.workdays import is_working_day, previous_working_day, working_days_after

D = datetime.date

pytestmark = pytest.mark.django_db  # the admin's table is asked for every range


def test_five_working_days_from_before_national_day_skip_the_holiday_and_count_the_make_up_saturday():
    # 2026: 中秋 25 Sep (Fri), 国庆 1–7 Oct; Saturday 10 Oct is a make-up working day.
    # From Wed 30 Sep: 8, 9, 10 (Sat, 调休), 12, 13 Oct.
    assert working_days_after(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_a_make_up_saturday_is_a_working_day_and_a_weekday_holiday_is_not():
    assert is_working_day(D(2026, 10, 10))
    assert not is_working_day(D(2026, 10, 5))
    assert not is_working_day(D(2026, 10, 11))


def test_the_day_before_a_deadline_after_the_holiday_is_the_last_working_day_before_it():
    assert previous_working_day(D(2026, 10, 8)) == D(2026, 9, 30)


def test_a_year_the_package_does_not_know_uses_the_admins_table_and_weekends():
    CalendarDay.objects.create(date=D(2040, 10, 1), working=False, name="国庆节")
    CalendarDay.objects.create(date=D(2040, 10, 2), working=False, name="国庆节")
    CalendarDay.objects.create(date=D(2040, 10, 6), working=True, name="国庆调休")

    # Fri 28 Sep 2040 → Mon 1 and Tue 2 off, Wed 3, Thu 4, Fri 5, Sat 6 (调休), Mon 8.
    assert working_days_after(D(2040, 9, 28), 5) == D(2040, 10, 8)
    assert not is_working_day(D(2040, 10, 7))


def test_without_a_table_an_unknown_year_works_monday_to_friday():
    # Thursday 5 Jan 2040 plus two: Friday 6, then Monday 9.
    assert working_days_after(D(2040, 1, 5), 2) == D(2040, 1, 9)
