"""SIRET, RNA and French amounts are checked or read exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workflow.validation.identifiants import montant, rna_problem, siret_problem


@pytest.mark.parametrize("value", ["732 829 320 00074", "73282932000074", "356 000 000 00048"])  # last: La Poste
def test_valid_siret_pass(value):
    assert siret_problem(value) is None


@pytest.mark.parametrize(
    "value, reason",
    [
        ("732 829 320 00075", "clé de contrôle"),
        ("7328293200007", "14 chiffres (13 lus)"),
        ("pas de siret", "14 chiffres (0 lus)"),
    ],
)
def test_invalid_siret_say_why(value, reason):
    assert reason in siret_problem(value)


@pytest.mark.parametrize(
    "value, ok", [("W623001234", True), ("w 623 001 234", True), ("W62300123", False), ("623001234", False)]
)
def test_rna_is_w_and_nine_digits(value, ok):
    assert (rna_problem(value) is None) is ok


@pytest.mark.parametrize(
    "written, euros",
    [
        ("1 500,00 €", "1500.00"),
        ("1500 euros", "1500.00"),
        ("1.500 €", "1500.00"),
        ("1 500€", "1500.00"),
        ("1\u202f000\u202f000 €", "1000000.00"),
        ("2 500,5", "2500.50"),
        ("1,500.75 EUR", "1500.75"),
        ("750", "750.00"),
        ("12.50 €", "12.50"),
        ("2k€", "2000.00"),
        ("1,5 k€", "1500.00"),
    ],
)
def test_french_amounts_are_exact_decimals(written, euros):
    assert montant(written) == Decimal(euros)


@pytest.mark.parametrize("written", ["", "environ mille euros", "€", "1 500 € ou plus", "k€"])
def test_unreadable_amounts_give_none(written):
    assert montant(written) is None
