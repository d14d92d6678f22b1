"""Whole-number percentages, rounded the one way every page shows them."""


def percent(part: float, whole: float) -> int:
    """`part` of `whole` in percent, rounded; 0 when there is no whole."""
    return round(100 * part / whole) if whole else 0
