"""French typography of every generated text: no-break spaces, quotes, œ, capitals, plurals, order."""

from __future__ import annotations

import pytest

from workflow.fr import montant_fr
from workflow.render.typographie import de_nom, pluriel, siret_fr, tri_fr, typographie

FINE, INSECABLE = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("Engagement : oui ; non ! vraiment ?", f"Engagement{INSECABLE}: oui{FINE}; non{FINE}! vraiment{FINE}?"),
        ('le contrat "Coeur de Quartier"', f"le contrat «{FINE}Cœur{INSECABLE}de{INSECABLE}Quartier{FINE}»"),
        ("« Cœur »", f"«{FINE}Cœur{FINE}»"),
        ("l'association d'Arras", "l’association d’Arras"),
        ("Ecart et Eviter, Etat", "Écart et Éviter, État"),
        ("1 033 000 € et 12 %", f"1{FINE}033{FINE}000{INSECABLE}€ et 12{INSECABLE}%"),
        ("le 15 février 2025", f"le 15{INSECABLE}février 2025"),
    ],
)
def test_french_typography_puts_the_right_space_and_sign(written, printed):
    assert typographie(written) == printed


@pytest.mark.parametrize("text", ["https://exemple.fr/?q=1", "14:05", "2024-2030", "2024 2025", "a@b.fr"])
def test_addresses_times_and_years_are_left_alone(text):
    assert typographie(text) == text


def test_typography_is_idempotent():
    once = typographie("Note : 1 900 € ; « x » l'objet ?")
    assert typographie(once) == once


def test_an_amount_never_breaks_across_lines():
    assert montant_fr(1_000_000) == f"1{FINE}000{FINE}000{INSECABLE}€"
    assert " " not in montant_fr(1900.5)


def test_a_siret_is_grouped_with_narrow_no_break_spaces():
    assert siret_fr("87622405600047") == f"876{FINE}224{FINE}056{FINE}00047"
    assert siret_fr("876 224 056 00047") == f"876{FINE}224{FINE}056{FINE}00047"
    assert siret_fr("inconnu") == "inconnu"


def test_plurals_are_written_out():
    assert pluriel(1, "action") == f"1{INSECABLE}action"
    assert pluriel(0, "action") == f"0{INSECABLE}action"
    assert pluriel(54, "action") == f"54{INSECABLE}actions"
    assert pluriel(1200, "réunion") == f"1{FINE}200{INSECABLE}réunions"


@pytest.mark.parametrize(
    ("nom", "article", "printed"),
    [
        ("Ville d'Arras", "la", "de la Ville d'Arras"),
        ("Département du Pas-de-Calais", "le", "du Département du Pas-de-Calais"),
        ("ARS", "l'", "de l’ARS"),
        ("Emmaüs Connect", "", "d’Emmaüs Connect"),
        ("BGE Hauts-de-France", "", "de BGE Hauts-de-France"),
        ("Inconnu", None, "Inconnu"),
    ],
)
def test_a_name_takes_its_article_from_the_reference_data(nom, article, printed):
    assert de_nom(nom, article) == printed


def test_lists_are_sorted_in_french_order():
    names = ["Mission locale", "Épicerie solidaire", "Médiation Arras Sud", "Emmaüs Connect", "AFEJI", "œuvre"]
    assert tri_fr(names) == [
        "AFEJI",
        "Emmaüs Connect",
        "Épicerie solidaire",
        "Médiation Arras Sud",
        "Mission locale",
        "œuvre",
    ]
