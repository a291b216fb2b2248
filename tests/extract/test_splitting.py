"""Answer text is split into list items the way a person reads it: bullets, labels, table rows."""

from __future__ import annotations

from workflow.extract import splitting
from workflow.parsers.base import Unit


def _p(text: str, is_list: bool = False) -> Unit:
    return Unit(text, "paragraphe", is_list=is_list)


def _cell(text: str, table: int, row: int, col: int) -> Unit:
    return Unit(text, f"tableau {table}, ligne {row}, colonne {col}", table=table, row=row, col=col)


def _texts(items: list[dict]) -> list[dict[str, str]]:
    return [{k: v.texte for k, v in item.items()} for item in items]


def test_a_unit_with_line_breaks_gives_one_line_each_blank_lines_dropped():
    assert [line for line, _ in splitting.lines_of([_p("Un\n\nDeux"), _p("Trois")])] == ["Un", "Deux", "Trois"]


def test_bullets_typed_by_hand_are_stripped():
    assert [splitting.strip_bullet(t) for t in ("- un", "• deux", "o trois", "– quatre", "octobre")] == [
        "un",
        "deux",
        "trois",
        "quatre",
        "octobre",
    ]


def test_a_label_is_split_only_when_short():
    assert splitting.split_label("Centres sociaux : agrément des centres") == (
        "Centres sociaux",
        "agrément des centres",
    )
    assert splitting.split_label("Une très longue phrase de plus de douze mots qui finit enfin par ici : suite") is None
    assert splitting.split_label("Pas de deux-points") is None


def test_interventions_take_title_and_description_and_continue_a_description():
    items = splitting.interventions(
        [_p("Centres sociaux : Agrément."), _p("Et financement des centres."), _p("- Bus de l'emploi")]
    )
    assert _texts(items) == [
        {"intitule": "Centres sociaux", "description": "Agrément.\nEt financement des centres."},
        {"intitule": "Bus de l'emploi"},
    ]
    prose = "Nous finançons les centres sociaux de tous les quartiers prioritaires de la communauté urbaine"
    assert _texts(splitting.interventions([_p(prose)])) == [{"description": prose}]


def test_agents_are_read_in_either_order():
    lines = ["Sophie MARCHAND : Conseillère territoriale", "Directeur d'agence : Thomas GRANDIN", "Karim BENALI (élu)"]
    assert _texts(splitting.agents([_p(line) for line in lines])) == [
        {"nom": "Sophie MARCHAND", "fonction": "Conseillère territoriale"},
        {"nom": "Thomas GRANDIN", "fonction": "Directeur d'agence"},
        {"nom": "Karim BENALI", "fonction": "élu"},
    ]


def test_engagement_lines_mark_bullets_whether_typed_or_styled():
    lines = splitting.engagement_lines([_p("Maintien."), _p("• Parentalité"), _p("Non-recours", is_list=True)])
    assert [v.texte for v in lines] == ["Maintien.", "- Parentalité", "- Non-recours"]


def test_objectives_carry_the_ambition_and_strategic_objective_above_them():
    units = [
        _p("Quartier émancipé"),
        _p("Objectif stratégique 1 : Faire de l'objet éducatif une chose partagée"),
        _p("1C Soutenir et accompagner la parentalité"),
        _p("Plein emploi – OS 2 – 2A : Rencontrer des professionnels (OS 2, plein emploi)"),
    ]
    items = splitting.objectifs(units, {"quartier emancipe": "emancipe", "plein emploi": "plein-emploi"})
    assert [(i["ambition"].texte, i["os"].texte, i["oo"].texte, i["libelle_saisi"].texte) for i in items] == [
        ("emancipe", "1", "1C", "Soutenir et accompagner la parentalité"),
        ("plein-emploi", "2", "2A", "Rencontrer des professionnels"),
    ]


def test_an_ambition_field_after_its_code_and_label_is_that_objective_s_not_the_next_one_s():
    ambitions = {"quartier apaise": "apaise", "quartier emancipe": "emancipe"}
    units = [
        _p("Objectif 1 – code : 1C"),
        _p("Libellé de l'objectif opérationnel : Repérer et accompagner la jeunesse"),
        _p("Ambition et n° d'OS : quartier apaisé, OS 1"),
        _p("Objectif 2 – code : 4G"),
        _p("Libellé de l'objectif opérationnel : Lutter contre la stigmatisation"),
        _p("Ambition et n° d'OS : quartier émancipé, OS 4"),
    ]
    items = splitting.objectifs(units, ambitions)
    assert [(i["ambition"].texte, i["os"].texte, i["oo"].texte) for i in items] == [
        ("apaise", "1", "1C"),
        ("emancipe", "4", "4G"),
    ]
    before = [_p("Ambition : quartier apaisé"), _p("1C Repérer"), _p("Ambition : quartier émancipé"), _p("4G Lutter")]
    assert [i["ambition"].texte for i in splitting.objectifs(before, ambitions)] == ["apaise", "emancipe"]


def test_labelled_lines_make_one_item_per_repeated_label():
    columns = {"intitule": ("Intitulé",), "description": ("Description",)}
    units = [_p("Intitulé : A"), _p("Description : a"), _p("suite de a"), _p("Intitulé : B")]
    assert _texts(splitting.labelled(units, columns)) == [
        {"intitule": "A", "description": "a\nsuite de a"},
        {"intitule": "B"},
    ]
    assert splitting.labelled([_p("Rien d'étiqueté")], columns) is None


def test_a_label_cell_beside_its_value_reads_as_a_labelled_line():
    columns = {"intitule": ("Intitulé",), "description": ("Description",)}
    units = [_cell("Intitulé", 1, 1, 1), _cell("A", 1, 1, 2), _cell("Description :", 1, 2, 1), _cell("a", 1, 2, 2)]
    assert _texts(splitting.labelled(units, columns)) == [{"intitule": "A", "description": "a"}]


def test_a_table_cut_by_a_page_is_read_as_one():
    first = [_cell("Nom", 1, 1, 1), _cell("Fonction", 1, 1, 2), _cell("Sophie MARCHAND", 1, 2, 1)]
    first.append(_cell("Conseillère", 1, 2, 2))
    second = [_cell("Nom", 2, 1, 1), _cell("Fonction", 2, 1, 2)]  # the header repeated on the next page
    second += [_cell("", 2, 2, 1), _cell("territoriale", 2, 2, 2)]  # the end of the row cut by the page
    second += [_cell("Karim BENALI", 2, 3, 1), _cell("Chargé de mission", 2, 3, 2)]
    rows = splitting.table_rows(first + second)
    assert [[text for text, _ in row.values()] for row in rows] == [
        ["Nom", "Fonction"],
        ["Sophie MARCHAND", "Conseillère territoriale"],
        ["Karim BENALI", "Chargé de mission"],
    ]


def test_a_single_column_table_has_no_rows():
    assert splitting.table_rows([_cell("Seule", 1, 1, 1), _cell("colonne", 1, 2, 1)]) is None


def test_columns_are_mapped_by_their_header_else_by_position():
    columns = {"nom": ("Nom",), "fonction": ("Fonction",)}
    header = [_cell("Fonction", 1, 1, 1), _cell("Nom de l'agent", 1, 1, 2), _cell("Directrice", 1, 2, 1)]
    rows = splitting.table_rows([*header, _cell("Anne LEBLANC", 1, 2, 2)])
    mapping, data = splitting.map_columns(rows, columns)
    assert mapping == {1: "fonction", 2: "nom"} and len(data) == 1
    assert _texts(splitting.rows_to_lines(data, mapping)) == [{"fonction": "Directrice", "nom": "Anne LEBLANC"}]
    headless = splitting.table_rows([_cell("Anne LEBLANC", 1, 1, 1), _cell("Directrice", 1, 1, 2)])
    assert splitting.map_columns(headless, columns) == ({1: "nom", 2: "fonction"}, headless)


def test_a_grid_of_ambitions_by_strategic_objective_gives_each_cell_its_column_and_row():
    ambitions = {"quartier apaise": "apaise", "quartier emancipe": "emancipe"}
    cells = [
        ("", 1, 1),
        ("Quartier apaisé", 1, 2),
        ("Quartier émancipé", 1, 3),
        ("OS 1", 2, 1),
        ("1D – Se saisir des dispositifs du type « adultes relais »", 2, 2),
        ("–", 2, 3),
        ("OS 2", 3, 1),
        ("–", 3, 2),
        ("2D – Favoriser l'exercice de la citoyenneté", 3, 3),
    ]
    crossed = splitting.ambition_grid([_cell(t, 4, r, c) for t, r, c in cells], ambitions)
    items = splitting.objectifs(crossed, ambitions)
    assert [(i["ambition"].texte, i["os"].texte, i["oo"].texte) for i in items] == [
        ("apaise", "1", "1D"),
        ("emancipe", "2", "2D"),
    ]
    assert items[1]["libelle_saisi"].texte == "Favoriser l'exercice de la citoyenneté"
    assert splitting.ambition_grid([_cell("OS 1", 4, 1, 1), _cell("1D", 4, 1, 2)], ambitions) is None


def test_a_person_already_named_a_seat_to_fill_and_a_part_listing_nothing_give_nothing_twice():
    leftover: list = []
    people = splitting.agents(
        [
            _p("M. Thomas DUHAMEL, chef de projet territorial (COPIL, comité technique partenarial)"),
            _p("Mme Nadège LEFEBVRE, conseillère jeunesse et citoyenneté (tiers-lieu politique de la ville)"),
            _p("M. Thomas DUHAMEL (comité des financeurs), déjà cité"),
            _p("Un(e) chargé(e) d'opérations habitat, à désigner (MOUS)"),
        ],
        leftover,
    )
    assert [(a["nom"].texte, a["fonction"].texte) for a in people] == [
        ("Thomas DUHAMEL", "chef de projet territorial"),
        ("Nadège LEFEBVRE", "conseillère jeunesse et citoyenneté"),
        ("", "chargé(e) d'opérations habitat"),
    ]
    items = splitting.interventions(
        [
            _p("Prévention spécialisée : deux équipes d'éducateurs de rue"),
            _p("Pas d'intervention spécifique aux quartiers : le pôle renvoie au droit commun"),
        ],
        leftover,
    )
    assert [i["intitule"].texte for i in items] == ["Prévention spécialisée"]
    assert [v.texte for v in leftover] == ["Pas d'intervention spécifique aux quartiers"]


def test_codes_written_with_a_dot_are_read_under_the_ambition_above():
    from workflow.extract.common import ambition_names
    from workflow.referentiel import load_referentiel
    from workflow.workspace import default_sources

    ambitions = ambition_names(load_referentiel(default_sources()[1]))
    leftover: list = []
    declined = "Le rattachement à l'OS 5 (5C, recrutement inclusif) suggéré par la CUA n'est pas retenu."
    lines = ["Ambition : quartier de plein emploi", "Objectif 1.D : Sensibiliser à l'apprentissage", declined]
    items = splitting.objectifs([_p(line) for line in lines], ambitions, leftover)
    assert [(i["ambition"].texte, i["oo"].texte, i["libelle_saisi"].texte) for i in items] == [
        ("plein-emploi", "1D", "Sensibiliser à l'apprentissage")
    ]
    assert [v.texte for v in leftover] == [declined]


def test_a_seat_a_name_and_a_function_between_middle_dots_give_one_agent_once():
    people = splitting.agents(
        [
            _p("COPIL  ·  Karima BELHADJ  ·  directrice de l'agence d'Arras"),
            _p("Comité des financeurs  ·  Karima BELHADJ  ·  directrice de l'agence d'Arras"),
            _p("Tiers-lieu  ·  à désigner  ·  conseiller(ère) à l'emploi du bus de l'emploi"),
        ]
    )
    assert [(a["nom"].texte, a["fonction"].texte) for a in people] == [
        ("Karima BELHADJ", "directrice de l'agence d'Arras"),
        ("", "conseiller(ère) à l'emploi du bus de l'emploi"),
    ]
