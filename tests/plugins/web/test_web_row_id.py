"""The forms' row ids are read in one place (``plue_web.pages.base.row_id``): nonsense and ids
too long for a 64-bit column name no row, so the page answers 404 instead of a database error."""

import pytest

from plue_web.pages.base import row_id


@pytest.mark.parametrize("raw, expected", [
    ("7", 7), ("000012", 12), ("999999999999999999", 999999999999999999),
    ("", 0), ("-3", 0), ("1.5", 0), ("abc", 0), (" 4", 0), ("9" * 19, 0),
])
def test_a_posted_row_id_is_a_number_or_no_row(raw, expected):
    assert row_id(raw) == expected
