"""Association forms in layouts of their own: labels under sub-headings, empty labels, grids of
label cells, inline ticks, tables with header and TOTAL rows, numbers in words, text set aside."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from workflow.answers import Certitude, FicheAssociation
from workflow.intake.document import analyse_here
from workflow.parsers.sniff import sniff
from workflow.referentiel import load_referentiel
from workflow.workspace import default_sources

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "tests" / "reading"))
from scoring import score  # noqa: E402


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(default_sources()[1])


def _read(path: Path, ref) -> FicheAssociation:
    form = analyse_here(path, sniff(path), ref, dt.datetime(2026, 3, 1, tzinfo=dt.UTC)).formulaire
    assert isinstance(form, FicheAssociation)
    return form


def _codes(form: FicheAssociation) -> list[str]:
    return [a.code for a in form.alertes]


@pytest.mark.parametrize(
    "path",
    sorted((FIXTURES / "unseen").glob("a*.docx")) + sorted((FIXTURES / "inedits2").glob("a[1345]*.docx")),
    ids=lambda p: p.name,
)
def test_golden_association_layouts_read_every_field(path, ref):
    result = score(path, ref)
    assert result.misfiled == {}
    assert result.misses == {}


def test_labels_repeated_under_sub_headings_go_to_their_person(tmp_path, ref):
    d = docx.Document()
    d.add_heading("Fiche association", 1)
    for line in ("Nom de l'association : Les Amis du Jardin", "SIRET : 732 829 320 00074"):
        d.add_paragraph(line)
    d.add_heading("Représentant légal", 3)
    d.add_paragraph("Nom : DUPONT Jean")
    d.add_paragraph("Fonction : Président")
    d.add_paragraph("Courriel :")
    d.add_heading("Personne chargée du dossier", 3)
    d.add_paragraph("Nom : Awa DIOP")
    d.add_paragraph("Fonction : Coordinatrice")
    d.add_paragraph("Téléphone :")
    d.add_paragraph("Courriel : awa@amis-jardin.fr")
    d.add_heading("Quartiers d'intervention", 2)
    d.add_paragraph("Les 4 As")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert form.identite["representant_legal_nom"] == "Jean DUPONT"
    assert form.identite["representant_legal_fonction"] == "Président"
    assert (form.identite["referent_nom"], form.identite["referent_fonction"]) == ("Awa DIOP", "Coordinatrice")
    assert form.identite["referent_courriel"] == "awa@amis-jardin.fr", "not the representative's empty line"
    assert form.identite["referent_telephone"] == "", "an empty label stays empty, never the next line"
    where = dict(form.provenance)
    assert where["representant_legal_nom"].certitude == Certitude.STRUCTUREE


def test_an_empty_required_label_is_flagged_not_filled(tmp_path, ref):
    d = docx.Document()
    d.add_paragraph("Nom de l'association :")
    d.add_paragraph("SIRET : 732 829 320 00074")
    d.add_paragraph("N° RNA : W623001234")
    d.add_paragraph("Représentant légal : Marie Curie")
    d.add_heading("Ambitions", 2)
    d.add_paragraph("☒ Quartier apaisé")
    d.add_paragraph("☐ Quartier émancipé")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert form.identite["association_nom"] == ""
    assert "champ_obligatoire_manquant" in _codes(form)
    assert form.ambitions == ("apaise",)


def test_a_grid_of_label_cells_an_inline_tick_and_a_total_row(tmp_path, ref):
    d = docx.Document()
    grid = d.add_table(rows=2, cols=4)
    for cell, text in zip(
        grid.rows[0].cells + grid.rows[1].cells,
        ["Association", "Les Amis", "Sigle", "LA", "CP / Commune", "62217 Achicourt", "SIRET", "73282932000074"],
        strict=True,
    ):
        cell.text = text
    for row in grid.rows:
        for cell in row.cells[::2]:
            cell.paragraphs[0].runs[0].bold = True
    d.add_paragraph("Représentant légal : Marie CURIE")
    d.add_heading("Quartiers d'intervention", 2)
    d.add_paragraph("Achicourt")
    d.add_paragraph("Demande de CPO : Oui ☐ Non ☒")
    d.add_paragraph("Actions")
    table = d.add_table(rows=4, cols=4)
    rows = [
        ["Intitulé", "Bénéficiaires", "Financeur", "Montant (€)"],
        ["Jardin partagé", "quarante", "CAF", "1.500,00 €"],
        ["", "", "Ville d'Achicourt", "2500 euros"],
        ["TOTAL", "", "", "4 000"],
    ]
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
            if r == 0:
                table.cell(r, c).paragraphs[0].runs[0].bold = True
    d.add_paragraph("Fait à Achicourt, le 14/03/2025")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert (form.identite["association_nom"], form.identite["sigle"]) == ("Les Amis", "LA")
    assert (form.identite["code_postal"], form.identite["commune"]) == ("62217", "Achicourt")
    assert form.demande_cpo is False
    (action,) = form.actions
    assert action.intitule == "Jardin partagé"
    assert action.beneficiaires_prevus == 40
    assert [(c.financeur, float(c.montant or 0)) for c in action.cofinancements] == [
        ("CAF", 1500.0),
        ("Ville d'Achicourt", 2500.0),
    ]
    assert "nombre_illisible" in _codes(form)
    assert (form.signature["fait_a"], form.signature["date"]) == ("Achicourt", "14/03/2025")


def test_text_no_field_can_take_is_set_aside_for_review(tmp_path, ref):
    d = docx.Document()
    d.add_paragraph("Nom de l'association : Les Amis")
    d.add_paragraph("SIRET : 73282932000074")
    d.add_paragraph("Représentant légal : Marie CURIE")
    d.add_heading("Objectifs", 2)
    d.add_paragraph("Nous verrons cela avec vos services à la rentrée.")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert form.objectifs == ()
    assert "lecture_incertaine" in _codes(form)


@pytest.mark.parametrize("path", sorted((FIXTURES / "inedits3").glob("a*.docx")), ids=lambda p: p.name)
def test_held_out_association_layouts_read_every_field(path, ref):
    result = score(path, ref)
    assert result.misfiled == {}
    assert result.misses == {}


def test_dot_leaders_and_tabs_separate_labels_and_an_empty_one_stays_empty(tmp_path, ref):
    d = docx.Document()
    d.add_paragraph("Nom de l'association ............ Les Amis du Jardin")
    d.add_paragraph("N° SIRET ........................ 73282932000074")
    d.add_paragraph("Représentant légal (NOM Prénom) .. DUPONT Jean")
    d.add_paragraph("Téléphone .......................")
    d.add_heading("Action n°1", 2)
    d.add_paragraph("Intitulé\tJardin partagé")
    d.add_paragraph("Participer au tiers-lieu politique de la ville\t☒")
    d.add_paragraph("Le ................ 2 mai 2025")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert form.identite["association_nom"] == "Les Amis du Jardin"
    assert form.identite["siret"] == "73282932000074"
    assert form.identite["referent_telephone"] == ""
    assert form.actions[0].intitule == "Jardin partagé"
    assert form.engagements == ("tiers-lieu",)
    assert form.signature["date"] == "02/05/2025"


def test_a_label_above_its_value_and_a_label_followed_by_a_label_stays_empty(tmp_path, ref):
    d = docx.Document()
    for label, value in (("Nom de l'association", "Ludothèque"), ("Sigle", None), ("Numéro RNA", "W623011047")):
        d.add_paragraph(label)
        if value:
            d.add_paragraph().add_run(value).bold = True
    d.add_paragraph("Commune")
    d.add_paragraph().add_run("Représentant légal").bold = True
    d.add_paragraph("Nom et prénom")
    d.add_paragraph().add_run("DEBAILLEUL Chantal").bold = True
    d.add_paragraph("Fonction")
    d.add_paragraph().add_run("Présidente").bold = True
    d.add_paragraph("Téléphone")
    d.add_paragraph().add_run("Personne chargée du dossier").bold = True
    d.add_heading("Ambitions du contrat", 2)
    d.add_paragraph("☒ Quartier apaisé")
    d.add_heading("Engagements", 2)
    d.add_paragraph("☒ Participer au tiers-lieu politique de la ville")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert form.identite["association_nom"] == "Ludothèque"
    assert form.identite["sigle"] == ""
    assert form.identite["rna"] == "W623011047"
    assert form.identite["commune"] == ""  # the sub-heading after an empty label is no value
    assert form.identite["representant_legal_nom"] == "Chantal DEBAILLEUL"
    assert form.identite["representant_legal_fonction"] == "Présidente"
    assert form.identite["referent_telephone"] == ""


def test_closed_questions_oui_non_and_fields_on_one_line(tmp_path, ref):
    d = docx.Document()
    d.add_paragraph("Structure porteuse : Les Amis — Sigle : LA")
    d.add_paragraph("Code postal : 62217 – Commune : Achicourt")
    d.add_heading("Où intervenez-vous ?", 2)
    d.add_paragraph("Quartier Quatre As ? [X] OUI [ ] NON")
    d.add_paragraph("Quartier Chanteclair - Cévennes ? [ ] OUI [X] NON")
    d.add_heading("Engagements", 2)
    d.add_paragraph("Associer les habitants à la conception et à l'évaluation des actions ? OUI / non")
    d.add_paragraph("Participer au tiers-lieu politique de la ville ? oui / NON")
    d.add_paragraph("Sollicitez-vous une convention pluriannuelle d'objectifs (CPO) ? [X] OUI [ ] NON")
    d.add_paragraph("Fait à Achicourt, le 21 mars 2025")
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert form.identite["association_nom"] == "Les Amis"
    assert form.identite["sigle"] == "LA"
    assert (form.identite["code_postal"], form.identite["commune"]) == ("62217", "Achicourt")
    assert form.quartiers == ("quatre-as",)
    assert form.engagements == ("participation-habitants",)
    assert form.demande_cpo is True
    assert form.signature["date"] == "21/03/2025"


def test_an_action_summary_table_with_descriptions_apart_and_an_empty_heading(tmp_path, ref):
    d = docx.Document()
    d.add_paragraph("Nom de l'association : Les Amis")
    d.add_heading("Synthèse des actions", 2)
    table = d.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Action", "Public", "Nb", "Période", "Financeurs"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    row = ("Lire au pied des tours", "Enfants", "120", "avril 2025", "CAF du Pas-de-Calais 3 000,00 €")
    for cell, text in zip(table.rows[1].cells, row, strict=True):
        cell.text = text
    table.rows[1].cells[4].add_paragraph("Ville d'Arras 850,50 €")
    d.add_heading("Action 1 – Lire au pied des tours", 3)
    d.add_paragraph("Lectures à voix haute en plein air.")
    d.add_heading("Autres engagements", 2)
    d.add_heading("Convention pluriannuelle", 2)
    d.save(str(tmp_path / "f.docx"))
    form = _read(tmp_path / "f.docx", ref)
    assert len(form.actions) == 1
    action = form.actions[0]
    assert (action.intitule, action.beneficiaires_prevus) == ("Lire au pied des tours", 120)
    assert action.description == "Lectures à voix haute en plein air."
    assert [(c.financeur, c.montant) for c in action.cofinancements] == [
        ("CAF du Pas-de-Calais", Decimal("3000.00")),
        ("Ville d'Arras", Decimal("850.50")),
    ]
    assert form.autres_engagements == ""
    assert "section_vide" in _codes(form)


def test_a_charter_with_recitals_numbered_actions_and_two_signature_blocks(tmp_path, ref):
    d = docx.Document()
    d.add_paragraph().add_run("CHARTE D'ENGAGEMENT").bold = True
    d.add_paragraph("Projet proposé par l'association – version 2")
    d.add_paragraph().add_run("Entre les soussignés :").bold = True
    d.add_paragraph("La Communauté Urbaine d'Arras, représentée par son Président, ci-après dénommée « la CUA »,")
    d.add_paragraph(
        "L'association Les Pousses de Chanteclair, association loi 1901 déclarée sous le n° W622010274, dont le "
        "siège est situé 4 rue Jean Mermoz, 62223 Saint-Nicolas-lez-Arras, représentée par Mme Brigitte LEMOINE, "
        "en sa qualité de Présidente, ci-après dénommée « l'association »,"
    )
    d.add_paragraph().add_run("Article 4 – Actions conduites par l'association").bold = True
    for title, public in (("Jardin partagé", "Familles du quartier"), ("Ateliers cuisine", "Adolescents")):
        d.add_paragraph().add_run(f"4.{1 if title.startswith('J') else 2} – {title}").bold = True
        d.add_paragraph("Les habitants cultivent ensemble des légumes, accompagnés par notre animateur.")
        d.add_paragraph(f"Public : {public}")
    d.add_paragraph("Fait à Saint-Nicolas-lez-Arras, le 5 mai 2025, en deux exemplaires.")
    table = d.add_table(rows=1, cols=2)
    for cell, lines in zip(
        table.rows[0].cells,
        (
            ("Pour la Communauté Urbaine d'Arras,", "Le Président ou son représentant,", "", "(signature et cachet)"),
            ("Pour l'association Les Pousses de Chanteclair,", "La Présidente,", "", "Brigitte LEMOINE"),
        ),
        strict=True,
    ):
        cell.paragraphs[0].add_run(lines[0]).bold = True
        for line in lines[1:]:
            cell.add_paragraph(line)
    d.save(str(tmp_path / "charte.docx"))
    form = _read(tmp_path / "charte.docx", ref)
    assert form.identite["association_nom"] == "Les Pousses de Chanteclair", "not the document's title"
    assert (form.identite["representant_legal_nom"], form.identite["representant_legal_fonction"]) == (
        "Brigitte LEMOINE",
        "Présidente",
    )
    assert [(a.intitule, a.public_vise) for a in form.actions] == [
        ("Jardin partagé", "Familles du quartier"),
        ("Ateliers cuisine", "Adolescents"),
    ], "« 4.2 – … » opens the second action: its lines never overwrite the first"
    assert form.signature["signataire_nom"] == "Brigitte LEMOINE", "the association's block, not the CUA's"


def _table(d, rows, bold_first=True):
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for tr, cells in zip(table.rows, rows, strict=True):
        for n, (cell, text) in enumerate(zip(tr.cells, cells, strict=True)):
            lines = text.split("\n")
            cell.paragraphs[0].add_run(lines[0]).bold = bold_first and n == 0
            for line in lines[1:]:
                cell.add_paragraph(line)
    return table


def test_action_sheets_asking_qui_quoi_ou_with_a_title_over_its_text_and_several_facts_in_a_cell(tmp_path, ref):
    d = docx.Document()
    for line in (
        "Nom de l'association : Roue Libre Arrageoise",
        "SIRET : 883 152 043 00153",
        "Président : Damien LECLERCQ",
    ):
        d.add_paragraph(line)
    d.add_paragraph("Pour chaque action, la méthode QQOQCCP : Qui ? Quoi ? Où ? Quand ? Combien ?")
    for n, (title, public, place, funder) in enumerate(
        (
            ("Atelier vélo solidaire", "Habitants", "Saint-Michel", "CUA"),
            ("Remise en selle", "Femmes", "Les 4 As", "CAF"),
        ),
        start=1,
    ):
        d.add_paragraph().add_run(f"FICHE ACTION {n}").bold = True
        _table(
            d,
            [
                ("QUI ?\nPublic visé", public),
                ("QUOI ?\nIntitulé et contenu", f"{title}\nDeux permanences par semaine avec un mécanicien salarié."),
                ("OÙ ?\nQuartier(s)", place),
                ("QUAND ?\nPériode", "mars à novembre 2025"),
                ("COMMENT ?\nMoyens, partenaires", "Un mécanicien, six bénévoles."),
                (
                    "COMBIEN ?\nBénéficiaires et cofinancements",
                    f"Bénéficiaires : 150\n{funder} : 2 500 €\nTotal : 2 500 €",
                ),
                ("POURQUOI ?\nObjectifs du contrat", "Transitions – OS 1 – 1A : Favoriser les mobilités douces"),
            ],
        )
    d.add_paragraph("Indicateurs de suivi : Nombre de vélos réparés")
    d.save(str(tmp_path / "qqoqccp.docx"))
    form = _read(tmp_path / "qqoqccp.docx", ref)
    assert [(a.intitule, a.public_vise, a.periode, a.beneficiaires_prevus) for a in form.actions] == [
        ("Atelier vélo solidaire", "Habitants", "mars à novembre 2025", 150),
        ("Remise en selle", "Femmes", "mars à novembre 2025", 150),
    ], "« QUI ? » over « Public visé » is no header row, and the method's questions are no action"
    assert form.actions[0].description == "Deux permanences par semaine avec un mécanicien salarié."
    assert [(c.financeur, c.montant) for c in form.actions[1].cofinancements] == [("CAF", Decimal("2500"))]
    assert "Un mécanicien" not in form.actions[0].description, "the means are no description"
    assert set(form.quartiers) == {"saint-michel-goudemand", "quatre-as"}, "an action's quarter row is the form's"
    assert [o.oo for o in form.objectifs] == ["1A"], "the same objective written under each action is one"


def test_a_review_sheet_keeps_the_associations_answers_and_sets_the_reviewers_remarks_aside(tmp_path, ref):
    d = docx.Document()
    _table(
        d,
        [
            ("Rubrique", "Réponse de l'association", "Observation de la CUA", "Complément de l'association"),
            ("Nom de l'association", "Mots Passants", "RAS", ""),
            ("Sigle", "—", "RAS", ""),
            ("N° SIRET", "426 183 976 0031", "Il manque un chiffre.", "SIRET complet : 426 183 976 00312"),
            ("Autres engagements", "néant", "RAS", ""),
        ],
    )
    d.add_paragraph().add_run("FICHE ACTION N° 1").bold = True
    d.add_paragraph(
        "Budget : 6 800 € dont CAF du Pas-de-Calais 3 000 €, Ville d'Arras 2 000 € et fonds propres 1 800 €"
    )
    d.save(str(tmp_path / "navette.docx"))
    form = _read(tmp_path / "navette.docx", ref)
    assert form.identite["association_nom"] == "Mots Passants", "« RAS » is the CUA's remark, not the name"
    assert form.identite["sigle"] == ""
    assert form.identite["siret"].replace(" ", "") == "42618397600312", "the complement's full number"
    assert form.autres_engagements == ""
    assert [(c.financeur, c.montant) for c in form.actions[0].cofinancements] == [
        ("CAF du Pas-de-Calais", Decimal("3000")),
        ("Ville d'Arras", Decimal("2000")),
    ], "the funders a budget's « dont » lists, not the association's own money"


def _card(document, *lines: str) -> None:
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


def test_a_web_form_printed_from_the_browser_reads_each_card_s_answer_and_its_radio_grid(tmp_path, ref):
    document = docx.Document()
    _card(document, "Section 1 sur 3", "Identification de l'association")
    _card(document, "Nom de l'association *", "Les Jardins Partagés des 4 As")
    _card(document, "Numéro SIRET *", "14 chiffres, sans espace", "81942675000181")
    _card(document, "Nom et prénom du représentant légal *", "Bernadette LEROUX")
    _card(document, "Fonction du représentant légal *", "Présidente")
    _card(document, "Téléphone", "Votre réponse")
    grid = document.add_table(rows=4, cols=3)
    for r, row in enumerate(
        [
            ("Dans quels quartiers l'association intervient-elle ? *", "Oui", "Non"),
            ("Saint-Michel Goudemand", "○", "◉"),
            ("Quatre As", "◉", "○"),
            ("Chanteclair - Cévennes", "◉", "○"),
        ]
    ):
        for c, text in enumerate(row):
            grid.cell(r, c).paragraphs[0].add_run(text)
    _card(
        document,
        "Objectif 1 – ambition, objectif stratégique, code et libellé *",
        "Ambition : Quartier de transitions",
        "N° de l'objectif stratégique : 2",
        "Code de l'objectif opérationnel : 2B",
        "Libellé : Développer une activité d'agriculture urbaine",
    )
    _card(document, "Action 1")
    _card(document, "Intitulé de l'action *", "Jardin partagé au pied des immeubles")
    _card(document, "Public visé *", "Familles du quartier")
    _card(document, "Nombre de bénéficiaires prévus *", "Un nombre entier", "35")
    path = tmp_path / "formulaire_en_ligne.docx"
    document.save(str(path))
    form = _read(path, ref)
    assert form.identite["association_nom"] == "Les Jardins Partagés des 4 As"
    assert form.identite["siret"] == "81942675000181"
    assert form.identite["representant_legal_nom"] == "Bernadette LEROUX"
    assert form.identite["representant_legal_fonction"] == "Présidente"
    assert form.identite["referent_telephone"] == ""
    assert form.quartiers == ("quatre-as", "chanteclair-cevennes")
    assert [(o.ambition, o.os, o.oo, o.libelle_saisi) for o in form.objectifs] == [
        ("transitions", 2, "2B", "Développer une activité d'agriculture urbaine")
    ]
    assert [(a.intitule, a.public_vise, a.beneficiaires_prevus) for a in form.actions] == [
        ("Jardin partagé au pied des immeubles", "Familles du quartier", 35)
    ]


def test_a_printed_form_of_numbered_boxes_reads_each_box_under_its_notice_s_label(tmp_path, ref):
    document = docx.Document()
    boxes = document.add_table(rows=7, cols=4)
    rows = [
        ("01", "Ensemble pour l'Emploi des Jeunes", "02", "EEJA"),
        ("03", "88104736900197", "04", "W622010937"),
        ("05", "11 rue Émile Zola", "06", "62217"),
        ("08", "Gérard LAMOTTE", "09", "Président"),
        ("10", "idem 08", "12", "g.lamotte@eeja62.fr"),
        ("17", "Parrains pour l'emploi", "23", "Job dating des quartiers"),
        ("19", "Jeunes de 16 à 25 ans", "25", "idem 19"),
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            boxes.cell(r, c).paragraphs[0].add_run(text).bold = c % 2 == 0
    document.add_paragraph("NOTICE – SIGNIFICATION DES CASES")
    for line in [
        "01  Nom de l'association (tel qu'il figure au Journal officiel)",
        "02  Sigle",
        "03  N° SIRET (14 chiffres)",
        "04  N° RNA",
        "05  Adresse du siège",
        "06  Code postal",
        "08  Représentant légal : nom et prénom",
        "09  Représentant légal : fonction",
        "10  Personne chargée du dossier : nom et prénom",
        "12  Personne chargée du dossier : courriel",
        "17 / 23  Intitulé de l'action",
        "19 / 25  Public visé",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "imprime_cases.docx"
    document.save(str(path))
    form = _read(path, ref)
    assert form.identite["association_nom"] == "Ensemble pour l'Emploi des Jeunes"
    assert form.identite["sigle"] == "EEJA"
    assert form.identite["representant_legal_nom"] == "Gérard LAMOTTE"
    assert form.identite["referent_nom"] == "Gérard LAMOTTE"  # « idem 08 »
    assert form.identite["referent_courriel"] == "g.lamotte@eeja62.fr"
    assert [(a.intitule, a.public_vise) for a in form.actions] == [
        ("Parrains pour l'emploi", "Jeunes de 16 à 25 ans"),
        ("Job dating des quartiers", "Jeunes de 16 à 25 ans"),
    ]


def test_a_leaflet_s_ambition_headings_circled_action_titles_and_dotted_funders(tmp_path, ref):
    document = docx.Document()
    for text, bold in [
        ("Nom de l'association : La Fabrique à Histoires", False),
        ("SIRET 819 402 652 00278 · RNA W622012583", False),
        ("Votre contact pour ce dossier", True),
        ("Camille ROUSSEL, coordinatrice", False),
        ("camille.roussel@fabrique-histoires.fr", False),
        ("Nos objectifs dans « Cœur de Quartier »", True),
        ("Quartier émancipé", True),
        ("OS 1 · 1D Soutenir l'acquisition des savoirs fondamentaux", False),
        ("OS 1 · 1C Soutenir et accompagner la parentalité", False),
        ("Nos actions 2025", True),
        ("❶ Raconte-moi ton quartier", True),
        ("Ateliers d'écriture et de conte du mercredi avec les habitants âgés.", False),
        ("Pour qui : Enfants de 7 à 12 ans", False),
        ("Financements demandés : Ville d'Arras 1 800 € · État (BOP 147) 2 500 €", False),
        ("Nos engagements", True),
        ("✔ Transmettre les indicateurs de suivi et un bilan annuel", False),
        ("✔ Autre : Ouvrir nos veillées de conte à tous", False),
        ("Nous suivrons", True),
        ("Nombre d'enfants inscrits aux ateliers", False),
    ]:
        document.add_paragraph().add_run(text).bold = bold
    path = tmp_path / "depliant.docx"
    document.save(str(path))
    form = _read(path, ref)
    assert form.quartiers == ()  # « Quartier émancipé » titles an ambition's objectives
    assert (form.identite["referent_nom"], form.identite["referent_fonction"]) == ("Camille ROUSSEL", "coordinatrice")
    assert form.identite["referent_courriel"] == "camille.roussel@fabrique-histoires.fr"
    assert [(o.oo, o.libelle_saisi) for o in form.objectifs] == [
        ("1D", "Soutenir l'acquisition des savoirs fondamentaux"),
        ("1C", "Soutenir et accompagner la parentalité"),
    ]
    assert [(a.intitule, a.public_vise) for a in form.actions] == [
        ("Raconte-moi ton quartier", "Enfants de 7 à 12 ans")
    ]
    assert [(c.financeur, c.montant) for c in form.actions[0].cofinancements] == [
        ("Ville d'Arras", Decimal("1800")),
        ("État (BOP 147)", Decimal("2500")),
    ]
    assert form.autres_engagements == "Ouvrir nos veillées de conte à tous"
    assert form.indicateurs_suivi == ("Nombre d'enfants inscrits aux ateliers",)


def test_a_project_extract_s_box_of_prose_its_dotted_officers_and_a_certified_signature(tmp_path, ref):
    document = docx.Document()
    box = document.add_table(rows=1, cols=1).cell(0, 0)
    box.paragraphs[0].add_run(
        "Éco-Logis Solidaire Arrageois (ELSA), association loi 1901 créée en 2016, accompagne les ménages "
        "modestes vers un logement économe."
    )
    for line in [
        "Siège et atelier : 18 rue des Rosati, 62000 Arras",
        "SIRET : 815 773 023 00156 · RNA : W622015094",
        "Président : Bernard COQUELLE · Trésorière : Martine DUBRULLE · Secrétaire : Youssef AMRANI",
    ]:
        box.add_paragraph(line)
    document.add_paragraph().add_run("Rattachement « Cœur de Quartier » :").bold = True
    document.add_paragraph("quartier émancipé, OS 5, 5A – Agir sur le non-recours")
    document.add_paragraph("Extrait certifié conforme, fait à Arras, le 24/03/2025.")
    path = tmp_path / "projet_associatif.docx"
    document.save(str(path))
    form = _read(path, ref)
    assert (form.identite["association_nom"], form.identite["sigle"]) == ("Éco-Logis Solidaire Arrageois", "ELSA")
    assert form.identite["representant_legal_nom"] == "Bernard COQUELLE"
    assert [(o.ambition, o.oo) for o in form.objectifs] == [("emancipe", "5A")]
    assert (form.signature["fait_a"], form.signature["date"]) == ("Arras", "24/03/2025")
