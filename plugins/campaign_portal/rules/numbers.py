"""How numbers and their units read, everywhere: KPI values, differences, chart labels.

One rule for the unit: a symbol (``%``, ``‰``, ``°``, ``x``) stays glued to the number
(``12.5%``), a currency symbol goes before it (``£210``, ``€1,200``), and a word is
spaced (``310 days``, ``4.2 points``). A difference of percentages is in percentage
points, so ``%`` reads "points" there ("2.5 points to go"), not a relative change.
"""

from __future__ import annotations

from collections.abc import Iterable

GLUED_UNITS = frozenset({"%", "‰", "°", "°C", "°F", "x", "×"})
PREFIX_UNITS = frozenset({"£", "$", "€", "¥", "₹", "CHF "})
MAX_DECIMALS = 3


def decimals_of(values: Iterable[float]) -> int:
    """How many decimals the given numbers are written with (at most ``MAX_DECIMALS``)."""
    most = 0
    for value in values:
        text = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
        most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return most


def format_number(value: float, decimals: int | None = None) -> str:
    """``12,500``, ``1.5``, ``-0.25``: thousands separated, no trailing zeros, no exponent.

    ``decimals`` rounds (a difference such as 1.6 - 1.5 to the decimals of its numbers);
    without it, as written (at most ``MAX_DECIMALS``).
    """
    places = decimals_of([value]) if decimals is None else min(decimals, MAX_DECIMALS)
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(number: str, unit: str | None) -> str:
    """A formatted number with its unit, glued or spaced as the unit needs."""
    if not unit:
        return number
    if unit in GLUED_UNITS:
        return f"{number}{unit}"
    if unit in PREFIX_UNITS:
        return f"-{unit}{number[1:]}" if number.startswith("-") else f"{unit}{number}"
    if number == "1" and unit.endswith("s") and not unit.endswith("ss") and len(unit) > 2:
        unit = unit[:-1]  # 1 day, 1 hour: the one plural an author writes as a unit
    return f"{number} {unit}"


def difference_unit(unit: str | None) -> str | None:
    """The unit of a difference between two values: percentage points for ``%``."""
    return "points" if unit == "%" else unit


def measure(value: float, unit: str | None, decimals: int | None = None) -> str:
    """``12.5%``, ``310 days``, ``£210``."""
    return with_unit(format_number(value, decimals), unit)


def difference(value: float, unit: str | None, decimals: int | None = None) -> str:
    """A distance between two values, always positive: ``0.1``, ``2.5 points``, ``90 days``."""
    return with_unit(format_number(abs(value), decimals), difference_unit(unit))
