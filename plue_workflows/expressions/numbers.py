"""Numbers as GitHub expressions see them: JavaScript doubles.

Strings become numbers with JavaScript's ``Number(string)`` rules (hex, octal and binary
prefixes, ``Infinity``, surrounding whitespace, empty string is 0, anything else NaN) and
numbers print with JavaScript's shortest form after rounding to 15 decimals, so that
``0.1 + 0.2``-style noise never reaches a log or a job name.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

NAN = float("nan")

_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_PREFIXED = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
_FIFTEEN_DECIMALS = Decimal("1e-15")
_EXACT = Context(prec=60)  # enough digits to hold any double below 1e21 with 15 decimals


def parse_number(text: str) -> float:
    """Convert a string to a number exactly as JavaScript's ``Number(text)`` does."""
    text = text.strip()
    if text == "":
        return 0.0
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    base = _PREFIXED.get(text[:2])
    if base is not None:
        try:
            return float(int(text[2:], base)) if text[2:].isalnum() else NAN
        except ValueError:
            return NAN
    if _DECIMAL.fullmatch(text):
        return float(text)
    return NAN


def number_to_string(value: float) -> str:
    """Print a number the way an expression's string coercion does (``format('{0}', n)``)."""
    if math.isfinite(value) and value != 0 and abs(value) < 1e21:
        # Like JavaScript's (+n.toFixed(15)): drop binary noise beyond 15 decimals.
        value = float(Decimal(value).quantize(_FIFTEEN_DECIMALS, ROUND_HALF_UP, _EXACT))
    return javascript_number(value)


def javascript_number(value: float) -> str:
    """JavaScript's ``Number.prototype.toString()``: shortest round-trip digits, JS layout."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value < 0:
        return "-" + javascript_number(-value)
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(str(d) for d in digit_tuple)
    count = len(digits)
    point = count + exponent  # value = 0.<digits> * 10**point
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * (-point) + digits
    mantissa = digits[0] + ("." + digits[1:] if count > 1 else "")
    power = point - 1
    return f"{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"
