"""Values of an association form written as sentences: dates in words, funders « à hauteur de »; a
value that cannot be its field's fills nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.answers import Certitude, Lieu, Valeur
from workflow.extract.association_fields import Fields
from workflow.extract.association_prose import read_prose
from workflow.extract.association_values import commitment_clauses, date_of, funders, is_date, place_and_date
from workflow.parsers.base import Unit
from workflow.referentiel import load_referentiel
from workflow.text import number_in_words


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Fait à Arras, le quatorze mars deux mille vingt-six.", ("Arras", "14/03/2026")),
        ("Fait à Achicourt, le 1er avril deux mille vingt-cinq", ("Achicourt", "01/04/2025")),
        ("Fait à Arras, le 3 avril 2025", ("Arras", "03/04/2025")),
        ("Saint-Nicolas-lez-Arras, le 07/04/2025", ("Saint-Nicolas-lez-Arras", "07/04/2025")),
        ("Collé depuis l'export le 09/04/2025", None),  # a sentence: no place
    ],
)
def test_a_date_in_words_or_figures_is_read(written, expected):
    assert place_and_date(written) == expected


def test_an_export_s_iso_date_is_written_the_french_way_and_a_date_alone_is_told_apart():
    assert date_of("2025-04-07") == "07/04/2025"
    assert is_date("2025-04-07") and is_date("le 3 mars 2025") and is_date("17/02/2025")
    assert not is_date("1C, 1F") and not is_date("3 mars 2025 au 5 mai 2025")


def test_words_that_make_no_date_are_left_as_written():
    assert date_of("le trente-neuf mars deux mille vingt") == "le trente-neuf mars deux mille vingt"
    assert number_in_words("quatre-vingt-dix") == 90


def test_funders_written_a_hauteur_de_and_a_blank_line_left_printed():
    text = "CUA à hauteur de 2 500 € ; État – Quartiers d'été à hauteur de 3 000 € ; ……… à hauteur de ……… €."
    rows = [(r["financeur"].texte, r["montant"].texte) for r in funders(Valeur(text, Lieu("texte", "paragraphe 15")))]
    assert rows == [("CUA", "2 500 €"), ("État – Quartiers d'été", "3 000 €")]


def test_own_money_and_volunteers_time_are_no_cofinancement_and_thousands_in_k_are_read():
    rows = funders(
        Valeur(
            "Ville d'Achicourt 2k€ ; Maisons et Cités 1,5k€ ; Valorisation du bénévolat 1 200 €",
            Lieu("texte", "ligne 1"),
        )
    )
    assert [(r["financeur"].texte, r["montant"].texte) for r in rows] == [
        ("Ville d'Achicourt", "2k€"),
        ("Maisons et Cités", "1,5k€"),
    ]


def test_a_sentence_committing_to_several_things_gives_each_clause_and_one_committing_to_nothing_none():
    assert commitment_clauses(
        "Le club s'engage à associer les habitants à la conception des actions, à transmettre les indicateurs "
        "de suivi et un bilan annuel et à coopérer avec les centres sociaux."
    ) == [
        "associer les habitants à la conception des actions",
        "transmettre les indicateurs de suivi et un bilan annuel",
        "coopérer avec les centres sociaux",
    ]
    assert commitment_clauses("Nous engageons nos bénévoles dans trois ateliers.") == []


def test_a_line_under_an_e_mail_or_name_label_that_is_neither_fills_nothing():
    entete: dict = {}
    fields = Fields(entete, {})
    here = Lieu("texte", "paragraphe 3", Certitude.STRUCTUREE)
    fields.put("referent_courriel", Valeur("Bonsoir, Monique LEFEBVRE, présidente.", here))
    fields.put("referent_nom", Valeur("RNA W622007481", here))
    assert entete == {}
    fields.put("referent_courriel", Valeur("samira.frbm@gmail.com", here))
    fields.put("referent_nom", Valeur("Samira HADJ", here))
    assert {k: v.texte for k, v in entete.items()} == {
        "referent_courriel": "samira.frbm@gmail.com",
        "referent_nom": "Samira HADJ",
    }


def test_the_form_s_return_instruction_gives_the_cua_s_contact_never_the_association_s():
    ref = load_referentiel(Path(__file__).resolve().parents[2] / "registry" / "referentiel")
    returned = Unit(
        "À retourner avant le 31/03/2025 à coeurdequartier@cu-arras.fr – renseignements : 03 21 21 87 00", "p1"
    )
    assert read_prose((returned,), ref).entete == {}
    asked = Unit("Pour tout renseignement, vous pouvez joindre Leïla BENKHALED au 03 21 58 12 67.", "p2")
    assert read_prose((asked,), ref).entete["referent_telephone"].texte == "03 21 58 12 67"
