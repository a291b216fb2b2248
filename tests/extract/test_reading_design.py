"""What READING.md asks of the reader, each on a small document written as a partner would:
questions anchored by meaning, never misfiled, empty stays empty, how sure each value is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from conftest import needs_libreoffice, to_pdf
from docx.enum.text import WD_TAB_LEADER

from workflow.answers import Certitude
from workflow.intake.document import analyse_here
from workflow.parsers import Illisible
from workflow.parsers.sniff import sniff
from workflow.referentiel import load_referentiel

REF = load_referentiel(Path(__file__).resolve().parents[2] / "registry" / "referentiel")
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SHORTENED = [
    "Organisme : Pas-de-Calais Habitat",
    "Campagne : 2026",
    "Téléphone :",
    "Courriel : t.leclercq@pdc-habitat.fr",
    "Interventions structurantes",
    "Abattement TFPB : gestion de proximité renforcée.",
    "Quartiers visés par vos engagements",
    "Les Hochettes",
    "Agents mobilisés",
    "Les agents seront désignés à la rentrée.",
    "Engagements prévus sur la période 2024-2030",
    "Maintien de l'abattement TFPB.",
    "Objectifs",
    "Quartier de transitions 4C Accompagner les habitants aux usages",
]


def _read(tmp_path: Path, lines: list[str], name: str = "reponse.docx"):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / name
    document.save(str(path))
    return analyse_here(path, sniff(path), REF, NOW).formulaire


def _codes(form) -> list[str]:
    return sorted(a.code for a in form.alertes)


def test_shortened_questions_are_anchored_and_their_text_is_never_an_answer(tmp_path):
    q = _read(tmp_path, SHORTENED)
    assert [i.intitule for i in q.interventions] == ["Abattement TFPB"]
    assert q.quartiers == ("blancs-monts-hochettes",)
    assert q.engagements == "Maintien de l'abattement TFPB."
    assert [(o.ambition, o.os, o.oo) for o in q.objectifs] == [("transitions", 4, "4C")]  # OS from the code
    answers = [i.intitule for i in q.interventions] + [a.nom for a in q.agents] + [q.engagements]
    assert not any("Agents mobilisés" in a or a == "Objectifs" for a in answers)


def test_a_sentence_naming_nobody_gives_no_agent_but_is_shown_to_a_person(tmp_path):
    q = _read(tmp_path, SHORTENED)
    assert q.agents == ()
    unplaced = [a for a in q.alertes if a.code == "lecture_incertaine"]
    assert len(unplaced) == 1 and "« Les agents seront désignés à la rentrée. »" in unplaced[0].message
    assert unplaced[0].champ == "agents_gouvernance" and "paragraphe 10" in unplaced[0].message


def test_an_empty_labelled_line_stays_empty(tmp_path):
    q = _read(tmp_path, SHORTENED)
    assert q.referent_telephone == "" and q.referent_courriel == "t.leclercq@pdc-habitat.fr"


def test_questions_reordered_keep_their_answers(tmp_path):
    blocks = [SHORTENED[i : i + 2] for i in range(4, 14, 2)]
    q = _read(tmp_path, SHORTENED[:4] + [line for block in reversed(blocks) for line in block])
    assert [i.intitule for i in q.interventions] == ["Abattement TFPB"]
    assert q.engagements == "Maintien de l'abattement TFPB." and q.quartiers == ("blancs-monts-hochettes",)


def test_a_question_found_with_nothing_under_it_raises_section_vide(tmp_path):
    q = _read(tmp_path, [*SHORTENED[:10], "Engagements 2024-2030", "Objectifs", SHORTENED[13]])
    assert "section_vide" in _codes(q) and q.engagements == ""


def test_an_organisation_outside_the_contract_is_flagged_with_the_closest_signatories(tmp_path):
    lines = ["Organisme : Club de vélo des Hochettes", *SHORTENED[1:]]
    q = _read(tmp_path, lines, "inconnu.docx")
    flagged = [a for a in q.alertes if a.code == "organisme_inconnu"]
    assert len(flagged) == 1 and "« Club de vélo des Hochettes » n'est pas un signataire" in flagged[0].message


def test_a_letter_answering_in_prose_is_read_as_a_questionnaire(tmp_path):
    q = _read(
        tmp_path,
        [
            "Objet : fiche d'engagement 2024 de la Ville d'Arras",
            "Madame, Monsieur,",
            "Concernant les interventions les plus structurantes, nous retenons :",
            "Maisons de quartier : accueil et animation.",
            "Concernant les quartiers, nous intervenons à Saint-Michel et aux Hochettes.",
            "Pour la gouvernance, la Ville sera représentée par M. DUPONT Jean, directeur de la cohésion sociale.",
            "Nous vous prions d'agréer nos salutations distinguées.",
            "Claire MARTIN",
            "Adjointe au maire",
        ],
    )
    assert q.organisme == "Ville d'Arras" and q.campagne == 2024
    assert [i.intitule for i in q.interventions] == ["Maisons de quartier"]
    assert set(q.quartiers) == {"saint-michel-goudemand", "blancs-monts-hochettes"}
    assert [(a.nom, a.fonction) for a in q.agents] == [("Jean DUPONT", "directeur de la cohésion sociale")]
    assert (q.referent_nom, q.referent_fonction) == ("Claire MARTIN", "Adjointe au maire")


def test_every_value_says_how_sure_its_reading_is(tmp_path):
    q = _read(tmp_path, SHORTENED)
    sure = dict(q.provenance)
    assert sure["organisme"].certitude == Certitude.STRUCTUREE  # a labelled line
    assert sure["interventions_structurantes[0].intitule"].certitude == Certitude.DEDUITE  # prose under a question


def test_a_document_that_merely_mentions_quarters_is_no_form(tmp_path):
    with pytest.raises(Illisible) as refused:
        _read(tmp_path, ["Compte rendu de la réunion de quartier", "Les quartiers prioritaires ont été présentés."])
    assert "ni un questionnaire d'engagement ni une fiche association" in refused.value.detail


LETTER = [
    "Objet : fiche d'engagement « Cœur de Quartier » – Ville de Beaurains",
    "Monsieur le Président,",
    "S'agissant de nos interventions les plus structurantes, nous en retenons une :",
    "Point Information Jeunesse : accueil sans rendez-vous des 12-25 ans.",
    "Concernant les quartiers, nos engagements portent sur les territoires de vulnérabilité de Beaurains.",
    "Pour la gouvernance, la Ville sera représentée par Mme Hélène CARPENTIER, coordinatrice jeunesse, "
    "et par moi-même, Pierre-Yves LAGACHE, maire.",
    "Un conseiller emploi de l'équipe de proximité siégera au comité technique.",
    "Sur la période 2024-2030, la Ville maintiendra le Point Information Jeunesse.",
    "Quant aux objectifs du contrat, nos engagements se rattachent au quartier apaisé (OS 1 – 1A : Créer des "
    "tiers-lieux et des équipements jeunesse ; OS 3 – 3C : Identifier et accompagner les publics en décrochage "
    "et en rupture) et au quartier émancipé (OS 2 – 2D : Favoriser l'exercice de la citoyenneté à tout âge).",
    "Restant à votre disposition, je vous prie d'agréer, Monsieur le Président, mes salutations distinguées.",
    "Le Maire,",
    "Pierre-Yves LAGACHE",
    "Copie : Préfecture du Pas-de-Calais – M. le délégué du préfet",
]


def test_a_letter_gives_people_named_in_sentences_seats_without_a_name_and_quoted_objectives(tmp_path):
    q = _read(tmp_path, LETTER)
    assert [(a.nom, a.fonction) for a in q.agents] == [
        ("Hélène CARPENTIER", "coordinatrice jeunesse"),
        ("Pierre-Yves LAGACHE", "maire"),
        ("", "conseiller emploi de l'équipe de proximité"),
    ]
    assert "agent_sans_nom" in _codes(q)  # a seat named by its function: its holder is asked for
    assert [(o.ambition, o.os, o.oo) for o in q.objectifs] == [
        ("apaise", 1, "1A"),
        ("apaise", 3, "3C"),
        ("emancipe", 2, "2D"),
    ]
    assert q.objectifs[2].libelle_saisi == "Favoriser l'exercice de la citoyenneté à tout âge"
    assert q.engagements.startswith("Sur la période 2024-2030, la Ville maintiendra")  # the sentence, opener kept
    assert not any("Copie" in a.nom or "Copie" in a.fonction for a in q.agents)  # the closing ends the answers


def test_a_sans_objet_row_of_a_table_by_quarter_is_no_answer_and_one_person_on_two_rows_is_one_agent(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : Pas-de-Calais Habitat")
    table = document.add_table(rows=4, cols=4)
    rows = [
        ("Quartier", "Intervention la plus structurante", "Agent mobilisé dans les instances", "Remarques"),
        ("Blancs Monts – Hochettes", "Réhabilitation thermique", "Karim BOUZIANE, chargé de gestion", "312 logements"),
        ("Saint-Michel", "Médiation sociale en soirée", "Karim BOUZIANE, chargé de gestion", "Convention"),
        ("Territoires de vulnérabilité de Beaurains", "Sans objet", "—", "Pas de patrimoine"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "par_quartier.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert q.quartiers == ("blancs-monts-hochettes", "saint-michel-goudemand")
    assert [i.intitule for i in q.interventions] == ["Réhabilitation thermique", "Médiation sociale en soirée"]
    assert [(a.nom, a.fonction) for a in q.agents] == [("Karim BOUZIANE", "chargé de gestion")]
    read = [i.intitule for i in q.interventions] + [a.nom for a in q.agents]
    assert not any("Remarques" in v or "312 logements" in v for v in read)  # the aside column is no answer


TITLES = {
    "Notre territoire d'intervention",
    "Les actions proposées",
    "Action 1 – Accompagnement à la scolarité",
    "Public",
    "Moyens",
    "Financements sollicités",
    "Françoise LEROUX",
}


def test_an_association_printing_its_identity_only_in_the_page_header_and_footer_is_told_and_read(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "CENTRE SOCIAL BRONGNIART  (CSB)"
    document.sections[0].footer.paragraphs[0].text = "SIRET 512 345 679 00025 – RNA W622005731"
    for line in (
        "Notre territoire d'intervention",
        "Le centre social est implanté dans le quartier Saint-Michel.",
        "Les actions proposées",
        "Action 1 – Accompagnement à la scolarité",
        "Public",
        "Enfants de 6 à 11 ans",
        "Moyens",
        "Deux animateurs permanents.",
        "Financements sollicités",
        "CAF du Pas-de-Calais : 3 200 €",
        "Ville d'Arras : 1 800 €",
        "Fait à Arras, le 12 mai 2025",
        "La Présidente,",
        "Françoise LEROUX",
    ):
        paragraph = document.add_paragraph(line)
        if line in TITLES:
            paragraph.runs[0].bold = True
    path = tmp_path / "entete.docx"
    document.save(str(path))
    fiche = analyse_here(path, sniff(path), REF, NOW).formulaire
    who = fiche.identite
    assert who["siret"].replace(" ", "") == "51234567900025" and who["rna"] == "W622005731"
    assert who["association_nom"].upper() == "CENTRE SOCIAL BRONGNIART" and who["sigle"] == "CSB"
    assert (who["representant_legal_nom"], who["representant_legal_fonction"]) == ("Françoise LEROUX", "Présidente")
    (action,) = fiche.actions
    assert action.intitule == "Accompagnement à la scolarité" and action.public_vise == "Enfants de 6 à 11 ans"
    assert [c.financeur for c in action.cofinancements] == ["CAF du Pas-de-Calais", "Ville d'Arras"]
    assert "Deux animateurs" not in action.description  # « Moyens » is kept apart, not taken for the description


def test_text_struck_through_is_what_the_writer_deleted_and_is_not_read(tmp_path):
    document = docx.Document()
    for line in SHORTENED[:6]:
        document.add_paragraph(line)
    document.add_paragraph("Médiation de soirée : équipe de deux médiateurs.").runs[0].font.strike = True
    for line in SHORTENED[6:]:
        document.add_paragraph(line)
    path = tmp_path / "mise_a_jour.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [i.intitule for i in q.interventions] == ["Abattement TFPB"]  # the struck line is gone, the rest stays


def _table(document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value


def test_ticks_choose_the_year_the_rows_and_the_column_of_this_campaign_only(tmp_path):
    document = docx.Document()
    _table(document, [("Organisme", "Pas-de-Calais Habitat"), ("Campagne", "☐ 2024 (fiche initiale)  ☒ 2027 (N+3)")])
    document.add_paragraph(
        "Parmi les interventions que vous déployez dans les quartiers prioritaires de la Communauté Urbaine "
        "d'Arras, lesquelles sont les plus structurantes ?"
    )
    _table(document, [("Intervention", "Contenu", "Depuis"), ("Médiation de nuit", "Deux médiateurs.", "2026")])
    document.add_paragraph("Quels quartiers du territoire sont visés par vos engagements ?")
    _table(
        document,
        [
            ("Quartier", "2024 (rappel)", "2027"),
            ("Quatre As", "☐", "☒"),
            ("Chanteclair - Cévennes", "☒", "☐"),
            ("Saint-Michel Goudemand", "☐", "☒"),
        ],
    )
    document.add_paragraph("Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ?")
    _table(
        document,
        [
            ("", "Ambition", "OS", "OO", "Objectif opérationnel"),
            ("☒", "Quartier émancipé", "4", "4C", "Garantir des offres de logement adaptés"),
            ("☐", "Quartier apaisé", "6", "6A", "Mettre en place les instances de participation des habitants"),
        ],
    )
    path = tmp_path / "cases.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert q.campagne == 2027, "the ticked year, not the first one written"
    assert [(i.intitule, i.description) for i in q.interventions] == [("Médiation de nuit", "Deux médiateurs.")]
    assert q.quartiers == ("saint-michel-goudemand", "quatre-as"), "the recall column is last campaign's"
    assert [o.oo for o in q.objectifs] == ["4C"], "an objective printed in advance and left unticked is not chosen"


def test_an_interview_report_gives_announced_lists_seats_and_quarters_said_no_to(tmp_path):
    document = docx.Document()
    _table(
        document,
        [
            ("Organisme signataire", "France Travail"),
            ("Référente de la fiche", "Mme Amandine CARON"),
            ("Sa fonction", "conseillère entreprises référente QPV"),
        ],
    )
    for line in [
        "Q1. Parmi les interventions que vous déployez dans les quartiers prioritaires de la Communauté Urbaine "
        "d'Arras, lesquelles sont les plus structurantes ?",
        "R. — M. LEGRAND cite deux dispositifs, par ordre d'importance :",
        "Cité de l'emploi – un collectif de professionnels qui suit 150 demandeurs d'emploi.",
        "Accompagnement intensif des jeunes – suivi renforcé de jeunes de moins de 26 ans.",
        "Q2. Quels quartiers du territoire sont visés par vos engagements ?",
        "R. — Tous les QPV sauf Chanteclair. Les territoires de vulnérabilité de Beaurains ne sont pas concernés "
        "à ce stade.",
        "Q3. Quels agents mobiliserez-vous dans les instances de gouvernance de « Cœur de Quartier » (fonction et "
        "nom de l'agent) ?",
        "R. — M. Julien LEGRAND, directeur d'agence, siégera au comité de pilotage.",
        "Tiers-lieu politique de la ville : à désigner – poste de chargé(e) de mission emploi en cours de recrutement",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "compte_rendu.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert q.referent_fonction == "conseillère entreprises référente QPV", "« Sa fonction » is the « Fonction » label"
    assert [i.intitule for i in q.interventions] == ["Cité de l'emploi", "Accompagnement intensif des jeunes"]
    unplaced = [a.message for a in q.alertes if a.code == "lecture_incertaine"]
    assert any("cite deux dispositifs" in m for m in unplaced), "the announcing sentence is shown to a person"
    assert set(q.quartiers) == set(REF.qpv_ids()) - {"chanteclair-cevennes"}, "no Beaurains, no Chanteclair"
    assert [(a.nom, a.fonction) for a in q.agents] == [
        ("Julien LEGRAND", "directeur d'agence"),
        ("", "chargé(e) de mission emploi"),
    ]


def test_repeatable_blocks_give_one_item_per_small_table_and_their_titles_are_no_items(tmp_path):
    document = docx.Document()
    document.add_paragraph(
        "Parmi les interventions que vous déployez dans les quartiers prioritaires de la Communauté Urbaine "
        "d'Arras, lesquelles sont les plus structurantes ? (bloc répétable)"
    )
    for n, (title, description) in enumerate([("Proch'Emploi", "Mise en relation."), ("Nos Quartiers d'Été", "")], 1):
        document.add_paragraph().add_run(f"Intervention structurante n° {n}").bold = True
        _table(document, [("Intitulé", title), ("Description", description)])
    document.add_paragraph(
        "Quels agents mobiliserez-vous dans les instances de gouvernance de « Cœur de Quartier » (fonction et nom "
        "de l'agent) ?"
    )
    document.add_paragraph().add_run("Agent n° 1").bold = True
    _table(
        document,
        [
            ("Instance", "Comité de pilotage"),
            ("Nom de l'agent", "BOCQUET Philippe"),
            ("Fonction", "conseiller régional"),
        ],
    )
    path = tmp_path / "blocs.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [(i.intitule, i.description) for i in q.interventions] == [
        ("Proch'Emploi", "Mise en relation."),
        ("Nos Quartiers d'Été", ""),
    ]
    assert [(a.nom, a.fonction) for a in q.agents] == [("Philippe BOCQUET", "conseiller régional")]


def test_a_declaration_in_sentences_gives_the_undersigned_the_association_and_its_referent(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Communauté Urbaine d'Arras – contrat de ville 2024-2030"
    for line in [
        "DÉCLARATION D'ENGAGEMENT DE L'ASSOCIATION",
        "Je soussignée Chantal VERMEULEN, agissant en qualité de présidente de l'association Ciné-Quartiers Arras "
        "(sigle : CQA), SIRET 84170923100275, dont le siège est situé 22 rue de Baudimont à 62000 Arras,",
        "désigne Hugo LAMBERT, coordinateur des projections, joignable à l'adresse hugo.lambert@cinequartiers.fr et "
        "au …………………………, comme personne chargée du dossier auprès de la Communauté Urbaine d'Arras.",
        "L'association déclare intervenir dans les quartiers suivants : les Quatre As et Chanteclair - Cévennes.",
        "Elle inscrit son projet dans l'ambition quartier émancipé du contrat de ville.",
        "Fait à Arras, le quatorze mars deux mille vingt-six.",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "declaration.docx"
    document.save(str(path))
    form = analyse_here(path, sniff(path), REF, NOW).formulaire
    identity = form.identite
    assert (identity.get("association_nom"), identity.get("sigle")) == ("Ciné-Quartiers Arras", "CQA")
    assert (identity.get("representant_legal_nom"), identity.get("representant_legal_fonction")) == (
        "Chantal VERMEULEN",
        "présidente",
    )
    assert identity.get("adresse") == "22 rue de Baudimont", "the blank after « à l'adresse … et au » is no address"
    assert identity.get("referent_courriel") == "hugo.lambert@cinequartiers.fr"
    assert (form.signature.get("fait_a"), form.signature.get("date")) == ("Arras", "14/03/2026")


def test_abbreviations_a_legend_defines_are_written_out_before_quarters_are_read():
    from workflow.extract.common import abbreviations, spelt_out
    from workflow.parsers.base import Unit
    from workflow.validation.quartiers import resolve_text

    legend = abbreviations(
        [Unit("Légende des quartiers : BMH = Blancs Monts - Hochettes ; CC = Chanteclair - Cévennes.", "paragraphe 6")]
    )
    assert legend == {"BMH": "Blancs Monts - Hochettes", "CC": "Chanteclair - Cévennes"}
    assert set(resolve_text(spelt_out("Tous QPV sauf CC", legend), REF).ids) == set(REF.qpv_ids()) - {
        "chanteclair-cevennes"
    }
    assert resolve_text(spelt_out("BMH", legend), REF).ids == ("blancs-monts-hochettes",)


def test_a_reply_quarter_by_quarter_asks_its_questions_again_and_names_each_thing_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : Ville d'Arras")
    for quarter, interventions, objectives in [
        (
            "Quartier Baudimont",
            ["Programme de réussite éducative : parcours individualisés pour 120 enfants."],
            ["Quartier émancipé – OS 1 – 1D : Soutenir l'acquisition des savoirs fondamentaux"],
        ),
        (
            "Quartier Saint-Michel",
            [
                "Médiation de soirée : deux adultes-relais du mardi au samedi.",
                "Également : le Programme de réussite éducative (voir quartier Baudimont).",
            ],
            [
                "Quartier émancipé – OS 1 – 1D : Soutenir l'acquisition des savoirs fondamentaux",
                "Quartier apaisé – OS 6 – 6D : Consulter et prendre en compte les besoins des habitants",
            ],
        ),
    ]:
        document.add_heading(quarter, level=2)
        document.add_paragraph().add_run("Interventions structurantes").bold = True
        for line in interventions:
            document.add_paragraph(line, style="List Bullet")
        document.add_paragraph().add_run("Objectifs du contrat visés dans ce quartier").bold = True
        for line in objectives:
            document.add_paragraph(line, style="List Bullet")
    document.add_heading("Gouvernance", level=1)
    _table(
        document,
        [
            ("Instance", "Élu(e) ou agent", "Fonction"),
            ("Comité de pilotage", "Mme Frédérique LEFEBVRE", "adjointe au maire"),
            ("Tiers-lieu politique de la ville", "poste en cours de recrutement", "coordinateur vie associative"),
        ],
    )
    path = tmp_path / "par_quartier.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [i.intitule for i in q.interventions] == ["Programme de réussite éducative", "Médiation de soirée"]
    assert [(o.oo, o.ambition) for o in q.objectifs] == [("1D", "emancipe"), ("6D", "apaise")]
    assert [(a.nom, a.fonction) for a in q.agents] == [
        ("Frédérique LEFEBVRE", "adjointe au maire"),
        ("", "coordinateur vie associative"),
    ]


def test_an_association_s_planning_grid_commitments_said_no_and_a_self_reference_give_nothing_wrong(tmp_path):
    document = docx.Document()
    for line in [
        "Nom de l'association : Les Ateliers du Regard",
        "SIRET : 520 349 176 00310",
        "N° RNA : W622011508",
        "Adresse du siège : 3 allée des Peupliers",
        "Présidente : Mme Hélène MARCQ",
        "Personne chargée du dossier : Moi-même (voir ci-dessus)",
        "Quartiers d'intervention : Chanteclair - Cévennes",
        "Engagements de la charte",
        "Participer au tiers-lieu politique de la ville : oui",
        "Coopérer avec les acteurs locaux, notamment les centres sociaux : non (pas de centre social dans la rue)",
    ]:
        document.add_paragraph(line)
    document.add_paragraph().add_run("Les actions").bold = True
    document.add_paragraph().add_run("Action 1 – Atelier photo ados").bold = True
    document.add_paragraph("Un atelier hebdomadaire de prise de vue à la maison de quartier.")
    document.add_paragraph().add_run("Calendrier prévisionnel 2025").bold = True
    months = ("J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D")
    _table(document, [("Action", *months), ("1 – Atelier photo ados", *("■" if m < 6 else "" for m in range(12)))])
    document.add_paragraph("Cases colorées : mois de réalisation.")
    path = tmp_path / "candidature.docx"
    document.save(str(path))
    fiche = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert fiche.identite.get("referent_nom", "") == ""  # « moi-même » names no one: a person reads it
    assert fiche.engagements == ("tiers-lieu",)
    assert [(a.intitule, a.periode) for a in fiche.actions] == [("Atelier photo ados", "")]


def test_a_table_of_seats_gives_each_person_named_in_its_cells_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : Caisse d'Allocations Familiales du Pas-de-Calais")
    for title, answer in [
        ("Interventions structurantes", "Rendez-vous des droits : un entretien approfondi pour chaque allocataire."),
        ("Quartiers visés", "Saint-Michel"),
        ("Engagements 2024-2030", "Maintien du financement des centres sociaux."),
    ]:
        document.add_paragraph().add_run(title).bold = True
        document.add_paragraph(answer)
    document.add_paragraph().add_run("Agents mobilisés dans les instances de gouvernance").bold = True
    _table(
        document,
        [
            ("Instance", "Titulaire", "Suppléant(e)"),
            ("Comité de pilotage", "M. Patrick VANDEWALLE, directeur de l'action sociale", "Mme Sandrine POTIER, CTG"),
            ("Comité des financeurs", "Mme Sandrine POTIER, CTG", "—"),
        ],
    )
    path = tmp_path / "caf.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [(a.nom, a.fonction) for a in q.agents] == [
        ("Patrick VANDEWALLE", "directeur de l'action sociale"),
        ("Sandrine POTIER", "CTG"),
    ]


def test_answers_numbered_after_our_questions_answer_them_in_order(tmp_path):
    q = _read(
        tmp_path,
        [
            "Organisme : Direction départementale de l'emploi, du travail et des solidarités du Pas-de-Calais",
            "Campagne : 2027",
            "Réponse n° 1",
            "Cité de l'emploi : coordination renforcée des acteurs de l'emploi autour des habitants des QPV.",
            "Réponse n° 2",
            "Saint-Michel Goudemand et les Quatre As.",
            "Réponse n° 3",
            "Mme Nathalie ROUSSEL, directrice départementale adjointe.",
            "Réponse n° 4",
            "La DDETS maintiendra la cité de l'emploi jusqu'en 2030.",
            "Réponse n° 5",
            "Quartier de plein emploi – OS 1 – 1B",
        ],
    )
    assert [i.intitule for i in q.interventions] == ["Cité de l'emploi"]
    assert q.quartiers == ("saint-michel-goudemand", "quatre-as")
    assert [(a.nom, a.fonction) for a in q.agents] == [("Nathalie ROUSSEL", "directrice départementale adjointe")]
    assert [o.oo for o in q.objectifs] == ["1B"]


def test_a_logical_framework_gives_its_objectives_actions_and_their_indicators_only(tmp_path):
    document = docx.Document()
    for line in [
        "Nom de l'association : Passerelle Emploi Chanteclair",
        "SIRET : 502 318 942 00047",
        "Adresse du siège : 14 rue des Cévennes",
        "Président : Thierry DEVAUX",
    ]:
        document.add_paragraph(line)
    _table(
        document,
        [
            (
                "Logique d'intervention",
                "Indicateurs objectivement vérifiables",
                "Sources de vérification",
                "Hypothèses",
            ),
            (
                "Objectif global : contribuer au « quartier de plein emploi »\nOS 1 – 1E Aider à la levée des freins",
                "taux d'emploi des 16-25 ans du QPV",
                "observatoire de la CUA",
                "conjoncture locale",
            ),
            ("Objectif spécifique : remettre en mouvement les jeunes", "85 personnes accompagnées", "bilan", "—"),
            (
                "Action 1 : Permis et mobilité\nUn parcours de douze semaines : code, conduite.\nPublic : Jeunes",
                "Nombre de codes obtenus",
                "attestations",
                "places d'examen",
            ),
        ],
    )
    for cell in document.tables[0].rows[0].cells:  # its header set bold, as such a matrix is
        cell.paragraphs[0].runs[0].bold = True
    path = tmp_path / "cadre_logique.docx"
    document.save(str(path))
    fiche = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [(o.ambition, o.oo) for o in fiche.objectifs] == [("plein-emploi", "1E")]
    assert [(a.intitule, a.public_vise) for a in fiche.actions] == [("Permis et mobilité", "Jeunes")]
    assert fiche.indicateurs_suivi == ("Nombre de codes obtenus",)


def test_objectives_in_a_two_column_table_of_correspondence_are_read_line_by_line(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : Caisse d'Allocations Familiales du Pas-de-Calais")
    for title, answer in [
        ("Interventions structurantes", "Rendez-vous des droits : un bilan complet des droits."),
        ("Quartiers visés", "Saint-Michel"),
        ("Engagements 2024-2030", "Maintien du financement des centres sociaux."),
    ]:
        document.add_paragraph().add_run(title).bold = True
        document.add_paragraph(answer)
    document.add_paragraph().add_run("Objectifs du contrat : correspondance avec les axes de la CTG").bold = True
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Axe de la CTG", "Objectif(s) « Cœur de Quartier » correspondant(s)"
    table.cell(1, 0).text = "Axe 3 – Accès aux droits"
    table.cell(1, 1).text = "Quartier émancipé – OS 5 – 5A Agir sur le non-recours"
    table.cell(1, 1).add_paragraph("Quartier émancipé – OS 5 – 5D Aider dans les démarches administratives")
    table.cell(2, 0).text = "Axe 4 – Animation de la vie sociale"
    table.cell(2, 1).text = "Quartier apaisé – OS 6 – 6B Développer les relations intergénérationnelles"
    path = tmp_path / "correspondance.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [(o.ambition, o.oo) for o in q.objectifs] == [("emancipe", "5A"), ("emancipe", "5D"), ("apaise", "6B")]


def test_a_typed_form_s_tabs_part_labels_from_values_and_headings_from_their_answers(tmp_path):
    q = _read(
        tmp_path,
        [
            'FICHE D\'ENGAGEMENT DES SIGNATAIRES - CONTRAT DE VILLE "COEUR DE QUARTIER" 2024-2030',
            "ORGANISME\tPréfecture du Pas-de-Calais",
            "CAMPAGNE\t2026",
            "REFERENT\tDELEPINE Aurélie",
            "1. INTERVENTIONS\t(les plus structurantes dans les QPV de la CUA)",
            "a) Délégués du préfet : présence hebdomadaire dans chaque QPV.",
            "2. QUARTIERS VISES\t(OUI / NON)",
            "Quatre As\tOUI",
            "4. ENGAGEMENTS\tMaintien des crédits spécifiques BOP 147 sur toute la durée du contrat.",
        ],
    )
    assert q.referent_nom == "Aurélie DELEPINE"
    assert [i.intitule for i in q.interventions] == ["Délégués du préfet"]
    assert q.engagements.startswith("Maintien des crédits spécifiques BOP 147")
    assert q.quartiers == ("quatre-as",)


def _table(document, rows: list[list[str]], bold_head: bool = True) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            run = table.cell(r, c).paragraphs[0].add_run(text)
            run.bold = bold_head and r == 0


def test_a_consolidated_reply_reads_its_dots_its_arrows_and_sets_aside_its_circuit_and_contributors(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : Département du Pas-de-Calais")
    document.add_paragraph("Circuit de validation")
    _table(
        document,
        [
            ["Étape", "Nom", "Fonction", "Date"],
            ["Rédaction", "Claire MOREL", "Chargée de mission", "12/01/2026"],
            ["Validation", "Paul HENNEBERT", "Directeur général adjoint", "20/01/2026"],
        ],
    )
    for line in [
        "Référent pour la CUA : Sophie LAMBERT, cheffe de projet politique de la ville, "
        "Maison du Département Solidarité de l'Arrageois",
        "Courriel : s.lambert@pasdecalais.fr",
        "1. Quelles sont vos interventions les plus structurantes dans les quartiers ?",
        "▸ Prévention spécialisée – équipes de rue dans les quatre quartiers",
        "▸ Accompagnement RSA – référents de parcours",
        "2. Quels quartiers sont concernés ?",
        "● Saint-Michel   ○ Les 4 As   ● Baudimont",
        "● quartier concerné   ○ quartier non concerné",
        "4. Quels engagements prenez-vous pour la durée du contrat ?",
    ]:
        document.add_paragraph(line)
    _table(
        document,
        [
            ["Contribution", "Éléments de réponse"],
            ["Pôle Solidarités", "Maintien des équipes de prévention spécialisée."],
            ["Pôle Réussite citoyenne", "Néant."],
        ],
    )
    path = tmp_path / "reponse.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [i.intitule for i in q.interventions] == ["Prévention spécialisée", "Accompagnement RSA"]
    assert q.quartiers == ("bonnettes-saint-pol-baudimont", "saint-michel-goudemand")
    assert q.referent_nom == "Sophie LAMBERT"
    assert q.referent_fonction == "cheffe de projet politique de la ville"
    assert "Pôle" not in q.engagements and q.engagements.startswith("Maintien des équipes de prévention spécialisée")
    assert not any("MOREL" in a.nom or "HENNEBERT" in a.nom for a in q.agents)


def test_a_booklet_asking_each_question_in_its_section_s_page_header_reads_each_answer_under_it(tmp_path):
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Identification du signataire"
    document.add_paragraph("Organisme : Rectorat de l'académie de Lille")
    document.add_paragraph("2027 · point d'étape N+3")
    answers = [
        ("Quelles sont vos interventions les plus structurantes ?", "Cité éducative : parcours de réussite."),
        ("Quels quartiers du territoire sont visés par vos engagements ?", "Les Hochettes et les 4 As."),
        ("Quels agents mobiliserez-vous dans les instances de gouvernance ?", "Stéphane LOBRY, principal du collège"),
        ("Quels engagements prévoyez-vous sur la période 2024-2030 ?", "Maintien de l'éducation prioritaire."),
        (
            "Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ?",
            "L'objectif 1A est porté par la Ville : nous y contribuons sans nous y rattacher.",
        ),
    ]
    for n, (question, answer) in enumerate(answers, start=1):
        section = document.add_section(WD_SECTION.NEW_PAGE)
        section.header.is_linked_to_previous = False
        section.header.paragraphs[0].text = f"QUESTION {n} / 5"
        section.header.add_paragraph(question)
        document.add_paragraph(answer)
    path = tmp_path / "livret.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [(i.intitule, i.description) for i in q.interventions] == [("Cité éducative", "parcours de réussite.")]
    assert q.quartiers == ("blancs-monts-hochettes", "quatre-as")
    assert [(a.nom, a.fonction) for a in q.agents] == [("Stéphane LOBRY", "principal du collège")]
    assert q.engagements == "Maintien de l'éducation prioritaire."
    assert q.objectifs == ()  # named to say it is not theirs
    assert q.campagne == 2027
    assert any(a.code == "lecture_incertaine" and "1A" in a.message for a in q.alertes)


DECK_NOTES = [
    "Diapositive 1",
    "Remercier la CUA pour l'invitation. Présentation par le Dr Hélène MARQUIS.",
    "Ce support tient lieu de fiche d'engagement de l'ARS Hauts-de-France pour la campagne 2026.",
    "Diapositive 2",
    "Trois interventions à mettre en avant :",
    "Contrat local de santé : il fixe les priorités de santé du territoire.",
    "Ateliers santé ville : financement des coordinations d'Arras",
    "et de Saint-Nicolas-lez-Arras.",
    "(Ne pas citer la maison de santé : c'est un projet des professionnels.)",
    "Diapositive 3",
    "Depuis 2026, nos engagements visent les quartiers Saint-Michel et Chanteclair, soit deux QPV.",
    "Les territoires de vulnérabilité de Beaurains restent couverts par le contrat local de santé.",
    "Diapositive 4",
    "Comité de pilotage : Dr Hélène MARQUIS, directrice départementale adjointe.",
    "Comité technique partenarial : Sabrina DEHAENE, chargée de mission.",
    "Diapositive 5",
    "Quartier apaisé – OS 5 – 5A : Mettre en place une équipe de santé mentale",
    "Le 4E du quartier apaisé reste porté par la CUA.",
]


def test_a_deck_s_notes_answer_without_questions_each_block_by_what_it_holds(tmp_path):
    q = _read(tmp_path, DECK_NOTES)
    assert (
        q.organisme == "Agence Régionale de Santé Hauts-de-France"
    )  # the CUA is thanked first, the ARS says it answers
    assert [(i.intitule, i.description) for i in q.interventions] == [
        ("Contrat local de santé", "il fixe les priorités de santé du territoire."),
        ("Ateliers santé ville", "financement des coordinations d'Arras et de Saint-Nicolas-lez-Arras."),
    ]  # the bracketed note set aside, the slide number never a description
    assert q.quartiers == ("saint-michel-goudemand", "chanteclair-cevennes")
    assert [(a.nom, a.fonction) for a in q.agents] == [
        ("Hélène MARQUIS", "directrice départementale adjointe"),
        ("Sabrina DEHAENE", "chargée de mission"),
    ]
    assert [(o.ambition, o.os, o.oo) for o in q.objectifs] == [("apaise", 5, "5A")]  # the 4E left to the CUA


MINUTES = [
    ("N°", "Objet", "Relevé de décision", "Pilote", "Échéance"),
    (
        "2.1",
        "Référent de la fiche",
        "Le CODIR désigne comme référente de la fiche auprès de la CUA : Mathilde VASSEUR, chargée de "
        "développement – m.vasseur@bge-hdf.fr – 06 42 18 73 05. Elle succède à Auréline DELIERRE.",
        "T. MARCHAND",
        "13/02/2026",
    ),
    (
        "2.2",
        "Question 1 – interventions structurantes",
        "Deux interventions sont retenues comme les plus structurantes :\n"
        "ArtoiLab : tiers-lieu de l'entrepreneuriat.\n"
        "Bus de la Création : permanences mobiles au pied des immeubles.\n"
        "L'accélérateur TPE n'est pas retenu : il reste à l'état de pilote.",
        "M. VASSEUR",
        "20/02/2026",
    ),
    (
        "2.3",
        "Question 2 – quartiers visés",
        "Les engagements visent Chanteclair et les Quatre As.\nL'extension du Bus à Baudimont est ajournée.",
        "A. DELIERRE",
        "—",
    ),
]


def test_minutes_answer_in_the_decision_column_beside_who_follows_up_and_when(tmp_path):
    document = docx.Document()
    document.add_paragraph("RELEVÉ DE DÉCISIONS – BGE Hauts-de-France")
    table = document.add_table(rows=0, cols=5)
    for row in MINUTES:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    path = tmp_path / "releve.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert (q.referent_nom, q.referent_courriel) == ("Mathilde VASSEUR", "m.vasseur@bge-hdf.fr")
    assert [i.intitule for i in q.interventions] == ["ArtoiLab", "Bus de la Création"]  # the pilot not retained
    assert all("VASSEUR" not in i.description and "2026" not in i.description for i in q.interventions)
    assert q.quartiers == ("quatre-as", "chanteclair-cevennes")  # Baudimont put off, not visé


UNDER_THE_LINES = [  # each row: (value, caption) per cell; a value left empty stays so
    [("Écoute et Parole Jeunes Arras Sud", "Dénomination de l'association"), ("EPJAS", "Sigle")],
    [("Nadia KHELIF", "Nom et prénom du représentant légal"), ("Présidente", "Fonction")],
    [("Maxime LEROUX", "Nom et prénom de la personne chargée du dossier"), ("Éducateur", "Fonction")],
    [("", "Adresse électronique"), ("07 82 19 46 30", "Téléphone")],
]
FUNDERS_UNDER = [("ARS Hauts-de-France", "8 000 €"), ("État (BOP 147)", "4 500 €")]


def _captioned_cell(cell, value: str, caption: str, help_text: str = "") -> None:
    """A value on its line, its caption under it in small letters, the template's help hidden."""
    cell.paragraphs[0].add_run(value)
    under = cell.add_paragraph()
    run = under.add_run(caption)
    run.font.size = docx.shared.Pt(7)
    if help_text:
        hidden = under.add_run(f"  {help_text}")
        hidden.font.size, hidden.font.hidden = docx.shared.Pt(7), True


def _printed_with_captions_under(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("FORMULAIRE ASSOCIATION").runs[0].bold = True
    document.add_paragraph("I — L'ASSOCIATION").runs[0].bold = True
    for row in UNDER_THE_LINES:
        cells = document.add_table(rows=1, cols=len(row)).rows[0].cells
        for cell, (value, caption) in zip(cells, row, strict=True):
            _captioned_cell(cell, value, caption, "Aide à la saisie : ex. : Mme Jeanne MARTIN")
        document.add_paragraph()
    document.add_paragraph("III — LES ACTIONS").runs[0].bold = True
    document.add_paragraph("Action n° 1").runs[0].bold = True
    cells = document.add_table(rows=1, cols=1).rows[0].cells
    _captioned_cell(cells[0], "Point écoute jeunes", "Intitulé de l'action")
    for n, (funder, amount) in enumerate(FUNDERS_UNDER, start=1):
        cells = document.add_table(rows=1, cols=2).rows[0].cells
        _captioned_cell(cells[0], funder, f"Cofinanceur n° {n}")
        _captioned_cell(cells[1], amount, "Montant sollicité ou acquis")
    document.save(str(path))
    return path


def _check_captioned_reading(fiche) -> None:
    who = fiche.identite
    assert (who["association_nom"], who["sigle"]) == ("Écoute et Parole Jeunes Arras Sud", "EPJAS")
    assert (who["representant_legal_nom"], who["representant_legal_fonction"]) == ("Nadia KHELIF", "Présidente")
    assert (who["referent_nom"], who["referent_fonction"]) == ("Maxime LEROUX", "Éducateur")
    assert who["referent_courriel"] == "" and who["referent_telephone"] == "07 82 19 46 30"
    assert "MARTIN" not in repr(fiche)  # the hidden help is no one's answer
    (action,) = fiche.actions
    assert action.intitule == "Point écoute jeunes"
    assert [(c.financeur, c.montant) for c in action.cofinancements] == [
        ("ARS Hauts-de-France", 8000.0),
        ("État (BOP 147)", 4500.0),  # « 147 » in the brackets names the budget line, not the amount
    ]


def test_labels_printed_under_their_lines_caption_the_value_above_them_and_hidden_help_is_not_read(tmp_path):
    path = _printed_with_captions_under(tmp_path / "imprime.docx")
    _check_captioned_reading(analyse_here(path, sniff(path), REF, NOW).formulaire)


@needs_libreoffice
def test_labels_printed_under_their_lines_in_a_pdf_caption_the_line_above_them(tmp_path):
    pdf = to_pdf(_printed_with_captions_under(tmp_path / "imprime.docx"), tmp_path / "pdf")
    _check_captioned_reading(analyse_here(pdf, sniff(pdf), REF, NOW).formulaire)


PAD = [
    "Collé depuis le pad de l'équipe, la mise en forme n'a pas suivi.",
    "---",
    "title: Fiche d'engagement",
    "campagne: 2026",
    "---",
    "# Fiche d'engagement « Cœur de Quartier »",
    "**Organisme :** Maison de l'Emploi et des Métiers de l'Arrageois",
    "**Campagne :** 2026",
    "## Référent de la fiche",
    "- **Nom** : Julien DESCAMPS",
    "- **Fonction** : chargé de mission",
    "- **Courriel** : <j.descamps@mem-arrageois.fr>",
    "<!-- vérifier la ligne directe : 03 21 15 44 00 -->",
    "## 1. Parmi les interventions que vous déployez dans les quartiers prioritaires de la Communauté Urbaine "
    "d'Arras, lesquelles sont les plus structurantes ?",
    "- **[Cité de l'emploi](https://www.mem-arrageois.fr/cite)** : coordination des acteurs de l'emploi.",
    "- **Clauses sociales** : appui aux entreprises attributaires des marchés.",
    "- ~~**Forum des métiers** : rencontres annuelles.~~",
    "## 2. Quels quartiers du territoire sont visés par vos engagements ?",
    "- [x] Quatre As",
    "- [ ] Cheminots Jean Jaurès Moulin Hacart",
    "- [x] Chanteclair - Cévennes",
    "## 3. Quels agents mobiliserez-vous dans les instances de gouvernance de « Cœur de Quartier » (fonction et "
    "nom de l'agent) ?",
    "| Instance | Nom | Fonction |",
    "|---|---|---|",
    "| Comité technique partenarial | Julien DESCAMPS | chargé de mission |",
    "| MOUS | Julien DESCAMPS | chargé de mission |",
    "| Comité des financeurs | — | — |",
    "```",
    "MEM – standard : 03 21 15 44 00",
    "```",
]


def test_markdown_typed_as_text_reads_as_it_would_show(tmp_path):
    form = _read(tmp_path, PAD)
    assert form.organisme.startswith("Maison de l'Emploi")
    assert (form.referent_nom, form.referent_courriel) == ("Julien DESCAMPS", "j.descamps@mem-arrageois.fr")
    assert "44 00" not in form.referent_telephone  # neither the comment nor the code block is read
    assert [i.intitule for i in form.interventions] == ["Cité de l'emploi", "Clauses sociales"]  # struck: deleted
    assert form.quartiers == ("quatre-as", "chanteclair-cevennes")  # the box left empty is not visé
    assert [(a.nom, a.fonction) for a in form.agents] == [("Julien DESCAMPS", "chargé de mission")]  # once


CUA_LETTER = [
    "COMMUNAUTÉ URBAINE D'ARRAS",
    "Affaire suivie par : Claire DUFLOS – 03 21 21 87 12 – coeurdequartier@cu-arras.fr",
    "Objet : charte d'engagement des associations",
    "Madame la Présidente, Monsieur le Président, vous trouverez ci-dessous le coupon-réponse.",
    "✂  - - - - - - - - -  à découper et à retourner  - - - - - - - - -",
]
SLIP = [
    "COUPON-RÉPONSE – CHARTE D'ENGAGEMENT DES ASSOCIATIONS",
    "Nom de l'association : Les Marcheurs de Chanteclair",
    "Sigle : ",
    "Adresse du siège : 8 rue du Rietz",
    "Code postal : 62223",
    "Commune : Saint-Laurent-Blangy",
    "Représentant(e) légal(e) – nom : Jean-Claude DELMOTTE",
    "Personne à contacter – nom : Françoise PRUVOST",
    "Courriel : marcheurs.chanteclair@orange.fr",
    "Téléphone : 06 83 47 21 59",
    "Quartier(s) d'intervention : Chanteclair - Cévennes",
    "Objectifs opérationnels visés (code et libellé) :",
    "5F – Promouvoir l'activité physique et lutter contre la sédentarité (quartier apaisé, OS 5)",
    "2F – Développer la nature au sein des équipements (quartier de transitions, OS 2)",
    "Nos engagements (cochez) :",
    "☒  Participer au tiers-lieu politique de la ville",
    "☐  Intégrer l'égalité femmes-hommes et la lutte contre les discriminations",
    "Actions prévues en 2025 :",
]
ACTION_ROWS = [
    ("Intitulé", "Description", "Public visé", "Nombre", "Période"),
    ("Marche santé du mardi", "Une marche encadrée de 5 km.", "Seniors", "45", "janvier à décembre 2025"),
]


def _reply_slip(path: Path) -> Path:
    """A CUA letter sent back whole with its slip filled: values typed before a dotted tab leader."""
    document = docx.Document()
    for line in CUA_LETTER:
        document.add_paragraph(line)
    for line in SLIP:
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.tab_stops.add_tab_stop(docx.shared.Cm(16), leader=WD_TAB_LEADER.DOTS)
        paragraph.add_run("\t\u200b")
    table = document.add_table(rows=0, cols=5)
    table.style = "Table Grid"
    for row in ACTION_ROWS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    merged = table.add_row().cells
    merged[0].merge(
        merged[4]
    ).text = "Cofinancements : Ville de Saint-Laurent-Blangy : 1 200 € ; CPAM de l'Artois : 900 €"
    document.add_paragraph("Fait à : Saint-Laurent-Blangy     le : 21/02/2025")
    document.save(str(path))
    return path


def _check_slip(fiche) -> None:
    who = fiche.identite
    assert who["association_nom"] == "Les Marcheurs de Chanteclair" and who["sigle"] == ""
    assert (who["code_postal"], who["commune"]) == ("62223", "Saint-Laurent-Blangy")
    assert (who["referent_nom"], who["referent_courriel"]) == ("Françoise PRUVOST", "marcheurs.chanteclair@orange.fr")
    assert [o.oo.upper() for o in fiche.objectifs] == ["5F", "2F"]
    (action,) = fiche.actions
    assert action.beneficiaires_prevus == 45  # the « Nombre » column
    assert [c.financeur for c in action.cofinancements] == ["Ville de Saint-Laurent-Blangy", "CPAM de l'Artois"]


def test_a_letter_sent_back_with_its_reply_slip_is_read_from_the_slip_only(tmp_path):
    path = _reply_slip(tmp_path / "coupon.docx")
    _check_slip(analyse_here(path, sniff(path), REF, NOW).formulaire)


@needs_libreoffice
def test_a_reply_slip_in_a_pdf_reads_without_its_dotted_leaders(tmp_path):
    pdf = to_pdf(_reply_slip(tmp_path / "coupon.docx"), tmp_path / "pdf")
    _check_slip(analyse_here(pdf, sniff(pdf), REF, NOW).formulaire)


QUALITY_SYSTEM = [
    ("h", "5. CORRESPONDANT DE LA FICHE"),
    ("p", "Organisme : Pas-de-Calais Habitat"),
    ("p", "Campagne : 2027"),
    ("p", "Correspondant auprès de la CUA : Sophie CARPENTIER, chargée de développement social urbain"),
    ("p", "Courriel : s.carpentier@pasdecalais-habitat.fr"),
    ("h", "6.1 Interventions structurantes"),
    (
        "p",
        "Exigence (question de la CUA) : Parmi les interventions que vous déployez dans les quartiers prioritaires "
        "de la Communauté Urbaine d'Arras, lesquelles sont les plus structurantes ?",
    ),
    ("h", "Réponse"),
    ("p", "Abattement de TFPB : plan d'actions annuel financé par l'abattement de la taxe foncière."),
    ("p", "Gestion urbaine et sociale de proximité : diagnostics en marchant avec les habitants."),
    ("p", "Éléments de preuve : convention TFPB signée le 12/12/2024."),
    ("break", ""),
    ("h", "6.2 Quartiers visés"),
    ("p", "Exigence (question de la CUA) : Quels quartiers du territoire sont visés par vos engagements ?"),
    ("h", "Réponse"),
    ("p", "Les engagements portent sur Blancs Monts - Hochettes et Saint-Michel Goudemand."),
    ("p", "La résidence des Quatre As, cédée en 2026 à un autre bailleur, sort du périmètre de la fiche."),
]


def _quality_record(path: Path) -> Path:
    """A quality-system record: a cartouche in the page header, a validation table, each question
    restated as an « Exigence » under its heading, a « Réponse » heading, the evidence after."""
    document = docx.Document()
    cartouche = document.sections[0].header.add_table(rows=1, cols=2, width=docx.shared.Cm(16))
    cartouche.style = "Table Grid"
    cartouche.cell(0, 0).text, cartouche.cell(0, 1).text = "PAS-DE-CALAIS HABITAT", "ENREGISTREMENT ENR-DPV-014"
    document.add_paragraph("Tableau de validation").runs[0].bold = True
    _table(
        document,
        [
            ["Étape", "Nom", "Fonction", "Date"],
            ["Rédaction", "Sophie CARPENTIER", "chargée de développement social urbain", "08/01/2027"],
            ["Vérification", "Marc DUBRULLE", "responsable qualité", "11/01/2027"],
            ["Approbation", "Jean-Michel LAGACHE", "directeur territorial", "14/01/2027"],
        ],
    )
    document.tables[-1].style = "Table Grid"
    for kind, text in QUALITY_SYSTEM:
        if kind == "break":
            document.add_page_break()
        else:
            document.add_paragraph(text).runs[0].bold = kind == "h"
    document.save(str(path))
    return path


def _check_quality_record(form) -> None:
    assert (form.referent_nom, form.referent_fonction) == (
        "Sophie CARPENTIER",
        "chargée de développement social urbain",
    )
    assert [(i.intitule, i.description) for i in form.interventions] == [
        ("Abattement de TFPB", "plan d'actions annuel financé par l'abattement de la taxe foncière."),
        ("Gestion urbaine et sociale de proximité", "diagnostics en marchant avec les habitants."),
    ]  # neither the question restated, nor « Réponse », nor the evidence, nor the page's cartouche
    assert form.quartiers == ("blancs-monts-hochettes", "saint-michel-goudemand")  # the one given up is not visé


def test_a_quality_record_restating_each_question_is_read_under_its_headings(tmp_path):
    path = _quality_record(tmp_path / "enregistrement.docx")
    _check_quality_record(analyse_here(path, sniff(path), REF, NOW).formulaire)


@needs_libreoffice
def test_a_quality_record_s_cartouche_printed_on_each_page_is_no_answer(tmp_path):
    pdf = to_pdf(_quality_record(tmp_path / "enregistrement.docx"), tmp_path / "pdf")
    _check_quality_record(analyse_here(pdf, sniff(pdf), REF, NOW).formulaire)


BY_AMBITION = {
    "1 · QUARTIER APAISÉ": [
        ("h", "Ce que nous faisons déjà"),
        ("p", "Animation de la vie sociale : financement des centres sociaux des quartiers prioritaires."),
        ("h", "Ce que nous prévoyons d'ici 2030"),
        ("p", "Maintenir le financement des centres sociaux agréés."),
        ("h", "Objectifs du contrat auxquels nous contribuons"),
        ("p", "OS 6 – 6D"),
    ],
    "2 · QUARTIER DE PLEIN EMPLOI": [
        ("h", "Ce que nous faisons déjà"),
        ("p", "La Caf n'est pas un acteur de l'emploi : elle agit sur la levée des freins à la reprise d'activité."),
        ("p", "Crèches AVIP : places d'accueil réservées aux parents en recherche d'emploi."),
        ("h", "Ce que nous prévoyons d'ici 2030"),
        ("p", "Porter à 30 le nombre de places AVIP d'ici 2027."),
    ],
    "3 · QUARTIER DE TRANSITIONS": [
        ("h", "Ce que nous faisons déjà"),
        (
            "p",
            "Animation de la vie sociale : voir ci-dessus ; les centres sociaux accueillent les ateliers numériques.",
        ),
        ("h", "Objectifs du contrat auxquels nous contribuons"),
        ("p", "OS 6 – 6D"),
    ],
}


def test_a_reply_reorganised_ambition_by_ambition_reads_each_rubric_under_its_banner(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : Caisse d'Allocations Familiales du Pas-de-Calais")
    for banner, lines in BY_AMBITION.items():
        _table(document, [[banner]])
        for kind, text in lines:
            document.add_paragraph(text).runs[0].bold = kind == "h"
    document.add_paragraph("Nos représentants dans les instances (question 3)").runs[0].bold = True
    _table(
        document,
        [
            ["Instance", "Représentant(e) de la Caf"],
            ["Comité de pilotage", "Valérie DUHAMEL, directrice de l'action sociale"],
            ["Comité stratégique", "sans objet (instance réservée à la CUA et aux communes)"],
        ],
    )
    for line in ["", "Arras, le 28/06/2024", "Valérie DUHAMEL, directrice de l'action sociale"]:
        document.add_paragraph(line)
    path = tmp_path / "contribution.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    # « Ce que nous faisons déjà » asks our first question; a denial lists nothing; a reminder is no second one
    assert [i.intitule for i in q.interventions] == ["Animation de la vie sociale", "Crèches AVIP"]
    # the same code under two banners: each ambition's own objective, though the line names no ambition
    assert [(o.ambition, o.os, o.oo) for o in q.objectifs] == [("apaise", 6, "6D"), ("transitions", 6, "6D")]
    assert [(a.nom, a.fonction) for a in q.agents] == [("Valérie DUHAMEL", "directrice de l'action sociale")]
    assert q.engagements.splitlines() == [
        "Maintenir le financement des centres sociaux agréés.",
        "Porter à 30 le nombre de places AVIP d'ici 2027.",
    ]


WEB_PAGE = [
    "Aller au contenu principal",
    "PAS-DE-CALAIS  le Département",
    "Le Département s'engage dans « Cœur de Quartier », le contrat de ville de la Communauté Urbaine d'Arras",
    "[–]  Nos interventions les plus structurantes dans les quartiers",
    "Prévention spécialisée : quatre équipes d'éducateurs de rue auprès des 11-25 ans.",
    "[+]  Archives : nos interventions 2024 (fiche initiale)",
    "[–]  Les quartiers concernés",
    "Saint-Michel et les Blancs Monts.",
    "Contact",
]


def _web_page(path: Path) -> Path:
    """A partner's web page copied into Word: accordions open and closed, a contact box of one
    column whose first line announces the referent, a press contact after it."""
    document = docx.Document()
    for line in WEB_PAGE:
        document.add_paragraph(line).runs[0].bold = line.startswith(("[", "Contact"))
    _table(
        document,
        [
            ["Direction des territoires – Votre interlocutrice pour la Communauté Urbaine d'Arras :"],
            ["Céline VASSEUR, chargée de mission politique de la ville"],
            ["Courriel : vasseur.celine@pasdecalais.fr"],
        ],
        bold_head=False,
    )
    document.add_paragraph("Contact presse : service presse du Département – 03 21 21 91 26 – presse@pasdecalais.fr")
    document.save(str(path))
    return path


def test_a_web_page_copied_reads_its_open_sections_and_its_contact_box_not_the_press_contact(tmp_path):
    path = _web_page(tmp_path / "page.docx")
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert (
        q.organisme == "Département du Pas-de-Calais"
    )  # « le Département », never the Ville d'Arras of « … Urbaine d'Arras »
    assert [i.intitule for i in q.interventions] == ["Prévention spécialisée"]  # a closed section answers nothing
    assert (q.referent_nom, q.referent_fonction, q.referent_courriel) == (
        "Céline VASSEUR",
        "chargée de mission politique de la ville",
        "vasseur.celine@pasdecalais.fr",
    )


FAQ_QUESTIONS = [
    "Q1. Qui est l'interlocuteur de la CUA pour ce dossier ?",
    "Q2. Quelles sont nos interventions les plus structurantes dans les quartiers prioritaires ?",
    "Q3. Le PFIDASS, c'est une intervention de plus ?",
    "Q4. À quels objectifs du contrat nos engagements se rattachent-ils ?",
    "Q5. Faut-il aussi rattacher les examens de prévention à un objectif ?",
    "Q6. Et l'objectif 1E du quartier de plein emploi (levée des freins) ?",
]
FAQ_ANSWERS = [
    "R. Mme Laurence DEGRAVE, responsable de l'accès aux droits, est la référente de la fiche : "
    "laurence.degrave@assurance-maladie.fr, 03 21 24 60 15.",
    "R. Mission accompagnement santé : accompagnement des assurés en renoncement aux soins.",
    "R. Non : c'est l'ancien nom de la Mission accompagnement santé, qui n'est pas comptée à part.",
    "R. Quartier apaisé – OS 5 – 5D : Développer l'accès aux droits en matière de santé",
    "R. Oui. Nous ajoutons le 3B « Réduire les comportements à risques » (quartier émancipé, OS 3).",
    "R. Non, nous ne nous y rattachons pas : il relève de France Travail.",
]


def test_an_faq_of_its_own_questions_reads_our_answers_in_its_answers_and_not_its_contents(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organisme : CPAM de l'Artois")
    document.add_paragraph("Sommaire des questions").runs[0].bold = True
    for question in FAQ_QUESTIONS:  # the contents list the questions asked further on
        document.add_paragraph(question)
    for question, answer in zip(FAQ_QUESTIONS, FAQ_ANSWERS, strict=True):
        document.add_paragraph(question).runs[0].bold = True
        document.add_paragraph(answer)
    path = tmp_path / "faq.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert (q.referent_nom, q.referent_courriel) == ("Laurence DEGRAVE", "laurence.degrave@assurance-maladie.fr")
    # the answer to the FAQ's own question « Le PFIDASS … ? » is no intervention
    assert [(i.intitule, i.description) for i in q.interventions] == [
        ("Mission accompagnement santé", "accompagnement des assurés en renoncement aux soins.")
    ]
    # an objective added under a question asking again; the one the partner turns down is none
    assert [(o.ambition, o.os, o.oo) for o in q.objectifs] == [("apaise", 5, "5D"), ("emancipe", 3, "3B")]


EASY_TO_READ = [
    ("h", "1. Qui sommes-nous ?"),
    ("p", "Comment s'appelle notre association ?"),
    ("b", "Ensemble et Autonomes Saint-Michel"),
    ("p", "On dit aussi : EASM"),
    ("p", "Le numéro SIRET de l'association :"),
    ("b", "438 129 603 00272"),
    ("p", "Notre adresse :"),
    ("b", "12 allée des Tilleuls, 62000 Arras"),
    ("p", "Le président de l'association s'appelle Patrick DUMONT."),
    ("h", "2. Qui contacter ?"),
    ("p", "La personne à appeler pour ce dossier s'appelle Amandine LEROUX."),
    ("p", "✉  Son adresse mail : amandine.leroux.easm@gmail.com"),
    ("h", "3. Nos objectifs dans le contrat"),
    ("b", "Quartier apaisé, objectif stratégique 6 :"),
    ("p", "✔  6B Développer les relations intergénérationnelles, interconnecter les habitants entre eux"),
    ("p", "Nous avions pensé à l'objectif 5A du quartier apaisé. Nous ne l'avons pas gardé."),
    ("h", "4. Notre action n° 1 : Le café des rencontres"),
    ("h", "C'est quoi ?"),
    ("p", "Un café ouvert à tous, 2 après-midi par semaine."),
    ("h", "Combien de personnes ?"),
    ("p", "30 personnes."),
    ("h", "Qui donne de l'argent ?"),
    ("p", "La CUA donne 2\u00a0000 euros."),
    ("p", "L'ARS donne 1\u00a0500 euros."),
    ("h", "5. Nos promesses (les engagements)"),
    ("p", "Autre promesse : Faire relire nos documents par notre groupe de relecture."),
    ("h", "6. Comment nous allons compter nos résultats"),
    ("p", "✔  Le nombre de personnes qui viennent au café."),
    ("p", "✘  Le nombre de repas servis."),
    ("h", "7. Signature"),
    ("p", "Nous avons rempli ce document à Arras, le 12 mars 2025."),
    ("p", "Signé : Patrick DUMONT, président."),
]


def test_an_easy_to_read_form_gives_its_answers_in_plain_sentences(tmp_path):
    document = docx.Document()
    document.add_paragraph("Formulaire association « Cœur de Quartier »").runs[0].bold = True
    document.add_paragraph("Version en facile à lire et à comprendre")
    for kind, text in EASY_TO_READ:
        document.add_paragraph(text).runs[0].bold = kind in ("h", "b")
    path = tmp_path / "falc.docx"
    document.save(str(path))
    fiche = analyse_here(path, sniff(path), REF, NOW).formulaire
    who = fiche.identite
    assert (who["association_nom"], who["sigle"]) == ("Ensemble et Autonomes Saint-Michel", "EASM")
    assert (who["representant_legal_nom"], who["referent_nom"]) == ("Patrick DUMONT", "Amandine LEROUX")
    assert [o.oo for o in fiche.objectifs] == ["6B"]  # the one « pas gardé » is none
    (action,) = fiche.actions
    assert (action.intitule, action.beneficiaires_prevus) == ("Le café des rencontres", 30)
    assert [(c.financeur, c.montant) for c in action.cofinancements] == [("CUA", 2000), ("ARS", 1500)]
    assert fiche.indicateurs_suivi == ("Le nombre de personnes qui viennent au café",)  # the ✘ one is not kept
    assert fiche.autres_engagements == "Faire relire nos documents par notre groupe de relecture."
    assert (fiche.signature["fait_a"], fiche.signature["date"], fiche.signature["signataire_nom"]) == (
        "Arras",
        "12/03/2025",
        "Patrick DUMONT",
    )


FRAMES_PRINTED = [  # (x, y) in twips, as a PDF reopened in Word sets each line on its page
    (1020, 1000, "FORMULAIRE ASSOCIATION – CHARTE D'ENGAGEMENT"),
    (1020, 1500, "Nom de l'association"),
    (4025, 1500, ""),  # the dotted line to write on
    (1020, 1950, "N° SIRET (14 chiffres)"),
    (1020, 2400, "Adresse du siège"),
    (1020, 2850, "Personne chargée du dossier – nom et prénom"),
    (1020, 3300, "Courriel"),
    (1020, 3800, "Quartiers d'intervention (cochez la ou les cases)"),
    (1247, 4250, "☐  Saint-Michel Goudemand"),
    (1247, 4700, "☐  Quatre As"),
    (1020, 5200, "Engagements de l'association (cochez)"),
    (1247, 5650, "☐  Participer au tiers-lieu politique de la ville"),
]
FRAMES_TYPED = [  # the answers, stored after the printed form, in the order they were typed
    (4082, 2366, "14 rue Paul Éluard, 62223 Saint-Nicolas-lez-Arras"),
    (1259, 4250, "X"),
    (4082, 1466, "Énergie Solidaire Chanteclair"),
    (4082, 3266, "l.benkhaled@energie-solidaire.fr"),
    (4082, 1916, "830 491 502 00316"),
    (4082, 2816, "Leïla BENKHALED"),
]


def _framed(path: Path) -> Path:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for x, y, text in FRAMES_PRINTED + FRAMES_TYPED:
        paragraph = document.add_paragraph(text)
        if (x, y, text) in FRAMES_TYPED and paragraph.runs:  # typed in another type, a little above the line
            paragraph.runs[0].font.size = docx.shared.Pt(12)
        frame = OxmlElement("w:framePr")
        for key, value in (("w", "2900"), ("vAnchor", "page"), ("hAnchor", "page"), ("x", str(x)), ("y", str(y))):
            frame.set(qn(f"w:{key}"), value)
        paragraph._p.get_or_add_pPr().insert(0, frame)
    document.save(str(path))
    return path


def _check_framed(fiche) -> None:
    who = fiche.identite
    assert (who["association_nom"], who["siret"].replace(" ", "")) == (
        "Énergie Solidaire Chanteclair",
        "83049150200316",
    )
    assert (who["adresse"], who["commune"]) == ("14 rue Paul Éluard", "Saint-Nicolas-lez-Arras")
    assert (who["referent_nom"], who["referent_courriel"]) == ("Leïla BENKHALED", "l.benkhaled@energie-solidaire.fr")
    assert fiche.quartiers == ("saint-michel-goudemand",)  # the « X » laid on its box ticks it
    assert fiche.engagements == ()


def test_a_filled_pdf_reopened_in_word_as_frames_is_read_in_the_order_of_its_page(tmp_path):
    path = _framed(tmp_path / "reconverti.docx")
    fiche = analyse_here(path, sniff(path), REF, NOW).formulaire
    _check_framed(fiche)
    where = dict(fiche.provenance)["association_nom"]
    assert where.detail == "paragraphe 15"  # provenance: the frame's place in the file, not in the page's order


@needs_libreoffice
def test_frames_saved_as_odt_come_back_as_text_boxes_set_on_the_page_and_read_alike(tmp_path):
    from workflow.libreoffice import convert

    odt = convert(_framed(tmp_path / "reconverti.docx"), "odt", tmp_path / "odt")
    _check_framed(analyse_here(odt, sniff(odt), REF, NOW).formulaire)


@needs_libreoffice
def test_its_pdf_reads_each_value_typed_above_its_label_s_baseline_beside_it_and_an_x_over_a_box_ticks_it(tmp_path):
    pdf = to_pdf(_framed(tmp_path / "reconverti.docx"), tmp_path / "pdf")
    _check_framed(analyse_here(pdf, sniff(pdf), REF, NOW).formulaire)


BOARD = [  # (bold, text) as a task board's export prints its columns and cards
    (False, "Organisme : Ville d'Achicourt"),
    (False, "1 · Interventions structurantes   2"),
    (False, "+ Ajouter une tâche"),
    (True, " Maintenu "),
    (True, "Programme de réussite éducative (PRE)"),
    (False, "parcours individualisés pour 85 enfants des 4 As"),
    (False, "☑ Bilan 2025 transmis à la CUA"),
    (False, "◷ 30/06/2026   ·   ● HC   ·   ☑ 1/2"),
    (True, "Centre social Arc-en-Ciel"),
    (False, "équipement municipal agréé par la CAF : accueil, parentalité"),
    (False, "2 · Quartiers visés   1"),
    (False, "+ Ajouter une tâche"),
    (True, " QPV "),
    (True, "Quatre As"),
    (False, "● SM"),
    (False, "Écarté (non retenu)   2"),
    (False, "+ Ajouter une tâche"),
    (True, "Chanteclair - Cévennes"),
    (True, "Chantier éducatif d'été"),
    (False, "reporté à 2027, faute d'encadrant."),
]


def test_a_task_board_reads_its_columns_and_cards_without_its_marks_or_its_set_aside_column(tmp_path):
    document = docx.Document()
    for bold, text in BOARD:
        document.add_paragraph(text).runs[0].bold = bold
    path = tmp_path / "planner.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert [(i.intitule, i.description) for i in q.interventions] == [
        ("Programme de réussite éducative (PRE)", "parcours individualisés pour 85 enfants des 4 As"),
        ("Centre social Arc-en-Ciel", "équipement municipal agréé par la CAF : accueil, parentalité"),
    ]  # a card's title and its notes, colon and all; neither its tag, its checklist nor its due date
    assert q.quartiers == ("quatre-as",)  # the card set aside in « Écarté » is none


def test_a_commitment_naming_the_indicators_opens_no_indicators_section(tmp_path):
    document = docx.Document()
    for bold, text in [
        (False, "Nom de l'association : La Ruche des Quatre As"),
        (False, "SIRET : 512 837 402 00191"),
        (True, "Nos engagements"),
        (False, "Participer au tiers-lieu politique de la ville"),
        (False, "Transmettre les indicateurs de suivi et un bilan chaque année"),
        (False, "Coopérer avec le centre social et les autres acteurs locaux"),
        (True, "CPO et suivi"),
        (False, "CPO : oui, 3 ans"),
        (False, "Indicateur : Nombre d'objets réparés"),
    ]:
        document.add_paragraph(text).runs[0].bold = bold
    path = tmp_path / "engagements.docx"
    document.save(str(path))
    fiche = analyse_here(path, sniff(path), REF, NOW).formulaire
    assert set(fiche.engagements) == {"cooperation-acteurs", "indicateurs-bilan", "tiers-lieu"}
    assert fiche.indicateurs_suivi == ("Nombre d'objets réparés",)
