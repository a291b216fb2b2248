"""French working days: a reply deadline is never a weekend or a public holiday."""

from __future__ import annotations

import datetime as dt

import holidays


def ferie(day: dt.date) -> str | None:
    """Return the French name of the public holiday falling on `day`, or None."""
    found = holidays.country_holidays("FR", years=day.year, language="fr").get(day)
    return str(found) if found else None


def ouvre(day: dt.date) -> bool:
    """Tell whether `day` is a working day in France (Monday to Friday, not a public holiday)."""
    return day.weekday() < 5 and ferie(day) is None


def ouvre_suivant(day: dt.date) -> dt.date:
    """Return `day` if it is a working day, else the next working day."""
    while not ouvre(day):
        day += dt.timedelta(days=1)
    return day


def pourquoi_pas_ouvre(day: dt.date) -> str:
    """Say in French why `day` is not a working day ("" when it is one)."""
    if (name := ferie(day)) is not None:
        return f"jour férié ({name})"
    if day.weekday() >= 5:
        return "samedi" if day.weekday() == 5 else "dimanche"
    return ""


def echeance_relance(echeance: dt.date | None, today: dt.date, delai: int = 10) -> dt.date:
    """The deadline a reminder gives: the campaign's while it is still ahead, else `delai` days from today,
    always a working day after today."""
    if echeance is not None and echeance > today and ouvre(echeance):
        return echeance
    return ouvre_suivant(today + dt.timedelta(days=delai))
