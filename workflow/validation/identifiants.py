"""Association identifiers and amounts: SIRET (python-stdnum: 14 digits, Luhn, La Poste's
exception), RNA (W + 9 digits), and amounts written the French way read as exact decimals."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from stdnum.exceptions import ValidationError
from stdnum.fr import siret

_RNA = re.compile(r"^W\d{9}$")
_CURRENCY = re.compile(r"(?i)\s*(?:€|euros?|eur)\s*")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_THOUSANDS = re.compile(r"(?i)(?<=\d)\s*k(?=\s*(?:€|euros?|eur)?\s*$)")


def siret_problem(value: str) -> str | None:
    """Return why `value` is not a valid SIRET, or None."""
    try:
        siret.validate(value)
    except ValidationError:
        digits = re.sub(r"\D", "", value)
        if len(digits) != 14:
            return f"Le SIRET « {value} » doit compter 14 chiffres ({len(digits)} lus)."
        return f"Le SIRET « {value} » n'est pas valide (clé de contrôle incorrecte)."
    return None


def rna_problem(value: str) -> str | None:
    """Return why `value` is not an RNA number (W followed by 9 digits), or None."""
    compact = _SPACES.sub("", value).upper()
    return None if _RNA.match(compact) else f"Le numéro RNA « {value} » doit être W suivi de 9 chiffres."


def montant(text: str) -> Decimal | None:
    """Read "1 500,00 €", "1500 euros", "1.500 €", "1 500" or "1,5 k€" as euros; None when unreadable."""
    thousands = _THOUSANDS.search(text or "")
    raw = _SPACES.sub("", _CURRENCY.sub("", _THOUSANDS.sub("", text or "")))
    if not raw or not re.fullmatch(r"[\d.,]+", raw):
        return None
    if thousands:  # « 2k€ », « 1,5 k€ »: thousands, a comma the decimal point
        try:
            return (Decimal(raw.replace(",", ".")) * 1000).quantize(Decimal("0.01"))
        except InvalidOperation:
            return None
    if "," in raw and "." in raw:  # the last separator is the decimal one
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal_sep == "," else ",", "").replace(decimal_sep, ".")
    elif "," in raw:
        raw = raw.replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")
    elif raw.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", raw):
        raw = raw.replace(".", "")  # "1.500" is fifteen hundred in French writing
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.01"))
