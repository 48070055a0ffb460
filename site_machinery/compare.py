"""Compare what a program printed with its recorded output: text exactly, numbers strictly.

The rule, derived. A decimal printed with its last digit in the place of unit `u` (``0.0756``:
u = 1e-4; ``2.``: u = 1; ``1.25e-05``: u = 1e-7) stands for a value in its rounding interval
``[d - u/2, d + u/2]``. The same program on another CPU computes the same value up to a relative
error `EPS` (float32 results of a different summation or fused-multiply-add order; see below).
So a number printed now, `d2`, is accepted when it lies in the recorded number's rounding
interval widened by that error:

    |d2 - d| <= u / 2 + EPS * |d|

A whole unit in the last printed digit is therefore *not* accepted (``[2.]`` may not become
``[1.]``, nor ``0.6`` become ``0.7``), except where the printed digits go finer than float32
resolves (u / 2 < EPS |d|: then a re-rounded last digit is noise and passes). Integers (no
decimal point, no exponent: counts, shapes, labels) carry no rounding and must match exactly.

EPS = 2**-16 (about 1.5e-5): float32's unit roundoff 2**-24 times 256, a budget for the
accumulated relative error of the longest computation whose result is printed (a few hundred
float32 operations in the tutorial's 400 training steps; the error bound of n operations is
about n * 2**-24, Higham, "Accuracy and Stability of Numerical Algorithms", section 3.1).
A program whose printed digits cross a rounding boundary on another CPU then fails with a
diff: print fewer digits, or print the outcome of an assertion instead.

One comparison, used for snippets and for notebook pages alike.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
EPS = Decimal(2) ** -16


def last_digit_unit(token: str) -> Decimal:
    """The unit of the last printed digit: '0.0756' -> 1e-4, '2.' -> 1, '1.25e-05' -> 1e-7.

    Integers ('3', '200') carry no rounding: 0.
    """
    if not re.search(r"[.eE]", token):
        return Decimal(0)
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return Decimal(1).scaleb(-decimals + int(exponent or 0))


def number_matches(recorded: str, printed: str) -> bool:
    d, d2 = Decimal(recorded), Decimal(printed)
    return abs(d2 - d) <= last_digit_unit(recorded) / 2 + EPS * abs(d)


def line_matches(recorded: str, printed: str) -> bool:
    rec_nums, now_nums = NUMBER.findall(recorded), NUMBER.findall(printed)
    if NUMBER.split(recorded) != NUMBER.split(printed) or len(rec_nums) != len(now_nums):
        return False
    return all(number_matches(e, a) for e, a in zip(rec_nums, now_nums, strict=True))


def compare(recorded: str, printed: str) -> str | None:
    """None when `printed` matches `recorded`; otherwise a readable unified diff."""
    rec_lines, now_lines = recorded.splitlines(), printed.splitlines()
    if len(rec_lines) == len(now_lines) and all(
        line_matches(e, a) for e, a in zip(rec_lines, now_lines, strict=True)
    ):
        return None
    diff = difflib.unified_diff(rec_lines, now_lines, "recorded", "printed now", lineterm="")
    return "\n".join(diff)
