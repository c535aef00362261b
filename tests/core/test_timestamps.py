"""plue_core.timestamps: the one place times are written and read."""

from __future__ import annotations

import datetime

import pytest

from plue_core.timestamps import naive_utc, parse_rfc3339, rfc3339, unix_seconds

UTC = datetime.timezone.utc


def test_written_in_utc_to_the_second_with_z():
    moment = datetime.datetime(2024, 6, 23, 12, 30, 0, 999, tzinfo=datetime.timezone(
        datetime.timedelta(hours=2)))
    assert rfc3339(moment) == "2024-06-23T10:30:00Z"
    assert rfc3339(datetime.datetime(2024, 6, 23, 10, 30)) == "2024-06-23T10:30:00Z"
    assert rfc3339(None) is None


@pytest.mark.parametrize("text", [
    "2024-06-23T10:30:00Z", "2024-06-23T10:30:00z", "2024-06-23T12:30:00+02:00",
    " 2024-06-23T10:30:00 ", "2024-06-23T10:30:00",
    # a query string that decoded the offset's + into a space
    "2024-06-23T12:30:00 02:00",
])
def test_read_as_naive_utc(text):
    assert parse_rfc3339(text) == datetime.datetime(2024, 6, 23, 10, 30)


def test_more_fractional_digits_than_python_takes():
    # Gitea's and .NET's logs write seven digits.
    assert parse_rfc3339("2024-06-23T10:30:00.1234567Z") == datetime.datetime(
        2024, 6, 23, 10, 30, 0, 123456)


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01T00:00:00Z", "2024-06-23T25:00Z"])
def test_not_a_time_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_rfc3339(text)


def test_naive_utc_and_unix_seconds():
    aware = datetime.datetime(1970, 1, 1, 1, 0, 5, tzinfo=datetime.timezone(
        datetime.timedelta(hours=1)))
    assert naive_utc(aware) == datetime.datetime(1970, 1, 1, 0, 0, 5)
    assert naive_utc(None) is None
    assert unix_seconds(datetime.datetime(1970, 1, 1, 0, 0, 5)) == 5
    assert unix_seconds(aware) == 5
