"""Check e-mail addresses and French phone numbers with well-kept libraries."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def email_problem(value: str) -> str | None:
    """Return why `value` is not a usable e-mail address, or None."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return f"Adresse électronique invalide : « {value} »."
    return None


def phone_problem(value: str) -> str | None:
    """Return why `value` is not a valid (French by default) phone number, or None."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return f"Numéro de téléphone illisible : « {value} »."
    if not phonenumbers.is_valid_number(number):
        return f"Numéro de téléphone invalide : « {value} »."
    return None
