"""French presentation of dates and amounts for everything users read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_decimal


def date_fr(value: dt.date | dt.datetime | None) -> str:
    """Return `15/02/2025`, or an empty string."""
    return value.strftime("%d/%m/%Y") if value else ""


def datetime_fr(value: dt.datetime | None) -> str:
    """Return `15/02/2025 à 14:05`, or an empty string."""
    return value.strftime("%d/%m/%Y à %H:%M") if value else ""


def montant_fr(value: Decimal | int | float) -> str:
    """Return `1 000 000 €` (cents shown only when there are some): narrow no-break spaces between
    the groups and a no-break space before the sign, so that an amount never breaks across lines."""
    amount = Decimal(str(value))
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return format_decimal(amount, format=pattern, locale="fr_FR").replace(" ", "\u202f") + "\u00a0€"
