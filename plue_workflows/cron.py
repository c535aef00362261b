"""``on.schedule`` cron lines: validated POSIX cron, turned into APScheduler triggers (UTC).

APScheduler's ``CronTrigger.from_crontab`` reads the weekday field with 0 = Monday and ANDs
day-of-month with day-of-week. POSIX cron (and GitHub) use 0/7 = Sunday and run when
*either* restricted day field matches, so this module translates both rules.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

_ITEM = re.compile(r"^(\*|[0-9]+|[A-Za-z]{3})(?:-([0-9]+|[A-Za-z]{3}))?(?:/([0-9]+))?$")
_WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12),
           ("day_of_week", 0, 7))


class CronError(ValueError):
    """A cron line GitHub would refuse; the message names the line and the field."""


def _weekday_number(text: str, line: str) -> int:
    if text.isdigit():
        return int(text)
    if text.lower() in _WEEKDAYS:
        return _WEEKDAYS.index(text.lower())
    raise CronError(f"invalid cron {line!r}: unknown weekday {text!r}")


def _weekdays(field: str, line: str) -> str:
    """POSIX weekday field -> APScheduler weekday names (expanding ranges and steps)."""
    days: set[int] = set()
    for item in field.split(","):
        match = _ITEM.match(item)
        if not match:
            raise CronError(f"invalid cron {line!r}: bad weekday field {field!r}")
        start, end, step = match.groups()
        if start == "*":
            low, high = 0, 6
        else:
            low = _weekday_number(start, line)
            high = _weekday_number(end, line) if end else (6 if step else low)
        if not (0 <= low <= 7 and 0 <= high <= 7 and low <= high):
            raise CronError(f"invalid cron {line!r}: weekday out of range in {field!r}")
        days.update(day % 7 for day in range(low, high + 1, int(step or 1)))
    apscheduler_order = [1, 2, 3, 4, 5, 6, 0]  # mon..sun
    return ",".join(_WEEKDAYS[day] for day in apscheduler_order if day in days)


@dataclass(frozen=True)
class CronSchedule:
    """One validated cron line and the UTC trigger that fires on it."""

    expression: str
    trigger: BaseTrigger

    def next_after(self, moment: datetime.datetime) -> datetime.datetime | None:
        """The first firing time strictly after ``moment`` (timezone-aware)."""
        return self.trigger.get_next_fire_time(None, moment + datetime.timedelta(microseconds=1))


def parse_cron(line: str) -> CronSchedule:
    """Validate a 5-field POSIX cron line (minute hour day month weekday); raise CronError."""
    if not isinstance(line, str):
        raise CronError(f"invalid cron {line!r}: expected a string")
    fields = line.split()
    if len(fields) != 5:
        raise CronError(
            f"invalid cron {line!r}: expected 5 fields (minute hour day month weekday), "
            f"got {len(fields)}")
    for value, (name, low, high) in zip(fields, _FIELDS):
        for item in value.split(","):
            match = _ITEM.match(item)
            if not match:
                raise CronError(f"invalid cron {line!r}: bad {name} field {value!r}")
            for number in match.groups()[:2]:
                if number and number.isdigit() and not low <= int(number) <= high:
                    raise CronError(
                        f"invalid cron {line!r}: {name} {number} is outside {low}-{high}")
    # APScheduler is imported by the first workflow with a schedule, not by every process
    # that builds the app (docs/serving.md, Memory).
    from apscheduler.triggers.combining import OrTrigger
    from apscheduler.triggers.cron import CronTrigger

    minute, hour, day, month, weekday = fields
    common = {"minute": minute, "hour": hour, "month": month, "timezone": datetime.timezone.utc}
    try:
        if day != "*" and weekday != "*":
            trigger: BaseTrigger = OrTrigger([
                CronTrigger(day=day, **common),
                CronTrigger(day_of_week=_weekdays(weekday, line), **common)])
        else:
            trigger = CronTrigger(day=day, day_of_week=_weekdays(weekday, line), **common)
    except ValueError as error:
        raise CronError(f"invalid cron {line!r}: {error}") from None
    return CronSchedule(line, trigger)
