"""The reference data holds the contract's tree and geography, and says where it is broken."""

from __future__ import annotations

import pickle
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import QPV

from workflow.errors import ReferentielInvalide
from workflow.referentiel import load_referentiel
from workflow.validation.quartiers import resolve_text
from workflow.workspace import default_sources

REF_DIR = default_sources()[1]


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(REF_DIR)


def test_it_has_the_four_ambitions_with_their_ids(ref):
    assert [a.id for a in ref.ambitions] == ["apaise", "plein-emploi", "emancipe", "transitions"]


def test_it_has_22_strategic_objectives_split_6_5_5_6(ref):
    assert [len(a.objectifs_strategiques) for a in ref.ambitions] == [6, 5, 5, 6]


def test_it_keeps_every_printed_operational_objective_line(ref):
    counts = Counter(a.id for a, _, _ in ref.iter_oo())
    assert counts == {"apaise": 27, "plein-emploi": 21, "emancipe": 27, "transitions": 32}
    assert sum(counts.values()) == 107  # the contract claims 103: documented in objectifs.yaml
    header = (REF_DIR / "objectifs.yaml").read_text(encoding="utf-8")
    assert "103" in header and "107" in header and "2E-2" in header


def test_the_duplicate_code_is_made_unambiguous(ref):
    os2 = ref.ambition("transitions").os(2)
    codes = [oo.code for oo in os2.objectifs_operationnels]
    assert codes.count("2E") == 1 and "2E-2" in codes
    second = next(oo for oo in os2.objectifs_operationnels if oo.code == "2E-2")
    assert second.printed_code == "2E"
    assert second.libelle.startswith("Accéder à des espaces naturels")


def test_labels_are_the_contract_s(ref):
    os3 = ref.ambition("apaise").os(3)
    assert [oo.code for oo in os3.objectifs_operationnels] == ["3A", "3B", "3C", "3F"]
    oo = ref.ambition("plein-emploi").os(4).objectifs_operationnels[0]
    assert oo.libelle == (
        "Individualiser les parcours dans le cadre de la création d'entreprises et garantir "
        "le suivi et la pérennité de l'activité"
    )


def test_it_has_six_qpv_and_the_beaurains_vulnerability_territory(ref):
    assert set(ref.qpv_ids()) == set(QPV)
    beaurains = ref.quartier("beaurains-territoires-vulnerabilite")
    assert beaurains.type == "territoire-vulnerabilite" and beaurains.communes == ("Beaurains",)
    assert ref.quartier("cheminots-jean-jaures-moulin-hacart").communes == ("Arras", "Achicourt")


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Baudimont", "bonnettes-saint-pol-baudimont"),
        ("Résidence Saint-Pol", "bonnettes-saint-pol-baudimont"),
        ("saint michel goudemand brongniart", "saint-michel-goudemand"),
        ("St Michel", "saint-michel-goudemand"),
        ("Jean Jaures", "cheminots-jean-jaures-moulin-hacart"),
        ("Cheminots", "cheminots-jean-jaures-moulin-hacart"),
        ("ARRAS SUD", "cheminots-jean-jaures-moulin-hacart"),
        ("4 As", "quatre-as"),
        ("Les 4 As", "quatre-as"),
        ("les Quatre-As", "quatre-as"),
        ("Nouvelles Résidences", "chanteclair-cevennes"),
        ("Chanteclair-Cévennes", "chanteclair-cevennes"),
        ("Beaurains", "beaurains-territoires-vulnerabilite"),
        ("Blancs-Monts Hochettes", "blancs-monts-hochettes"),
    ],
)
def test_every_alias_resolves(ref, written, expected):
    resolution = resolve_text(written, ref)
    assert resolution.ids == (expected,) and not resolution.alertes


def test_arras_ouest_maps_to_both_quarters_with_a_warning(ref):
    resolution = resolve_text("Arras-Ouest", ref)
    assert set(resolution.ids) == {"bonnettes-saint-pol-baudimont", "blancs-monts-hochettes"}
    assert [a.code for a in resolution.alertes] == ["arras_ouest_scinde"]


def test_the_whole_of_the_quarters_means_the_six_qpv(ref):
    resolution = resolve_text("L'ensemble des quartiers (politique de la ville)", ref)
    assert set(resolution.ids) == set(QPV) and not resolution.alertes


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Tous les QPV sauf Chanteclair et les 4 As.", set(QPV) - {"chanteclair-cevennes", "quatre-as"}),
        (
            "Tous les QPV sauf Saint-Michel Goudemand et Baudimont : soit les Hochettes, le Moulin Hacart, les 4 As "
            "et Chanteclair.",
            {"blancs-monts-hochettes", "cheminots-jean-jaures-moulin-hacart", "quatre-as", "chanteclair-cevennes"},
        ),
        ("Les Quatre As. Chanteclair relève d'une autre agence : pas d'engagement à ce stade.", {"quatre-as"}),
        (
            "Les Hochettes. Les autres quartiers, dont Arras Ouest, sans engagement spécifique.",
            {"blancs-monts-hochettes"},
        ),
        (
            "Nos ateliers ont lieu à la Résidence St Pol. Comme aux Blancs Monts jusqu'en 2023, nous allons là où "
            "vivent les familles. Contrairement à Chanteclair, les 4 As sont visés.",
            {"bonnettes-saint-pol-baudimont"},
        ),
        ("Les jardins de Chanteclair – Cévennes (anciennement « Nouvelles Résidences »).", {"chanteclair-cevennes"}),
    ],
)
def test_quarters_taken_out_or_said_no_to_are_not_targeted(ref, written, expected):
    assert set(resolve_text(written, ref).ids) == expected


def test_an_unknown_quarter_is_flagged(ref):
    resolution = resolve_text("Les 4 As, quartier des Hauts-Bois", ref)
    assert resolution.ids == ("quatre-as",)
    assert [a.code for a in resolution.alertes] == ["quartier_inconnu"]
    assert "Hauts-Bois" in resolution.alertes[0].message


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "referentiel"
    shutil.copytree(REF_DIR, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    folder = _broken(tmp_path, "quartiers.yaml", "  - id: quatre-as\n", "  - id: [quatre-as\n")
    with pytest.raises(ReferentielInvalide) as caught:
        load_referentiel(folder)
    message = str(caught.value)
    assert "quartiers.yaml" in message and "ligne" in message and "syntaxe YAML" in message


def test_a_missing_field_names_the_file_and_the_line_of_its_entry(tmp_path):
    folder = _broken(
        tmp_path,
        "objectifs.yaml",
        "      - numero: 2\n        libelle: Contribuer",
        "      - numero: 2\n        intitule: Contribuer",
    )
    line = (folder / "objectifs.yaml").read_text(encoding="utf-8").splitlines().index("      - numero: 2") + 1
    with pytest.raises(ReferentielInvalide) as caught:
        load_referentiel(folder)
    assert caught.value.line == line
    assert "objectifs.yaml" in str(caught.value) and "champ" in str(caught.value)


def test_a_duplicate_code_is_refused_in_french(tmp_path):
    folder = _broken(tmp_path, "objectifs.yaml", '{code: 1B, libelle: "Former', '{code: 1A, libelle: "Former')
    with pytest.raises(ReferentielInvalide, match="en double"):
        load_referentiel(folder)


def test_observations_carry_their_year_and_the_former_arras_ouest(ref):
    values = {(v.territoire, v.indicateur, v.annee): v.valeur for v in ref.observations.valeurs}
    assert values["arras-ouest", "revenu_median", 2018] == 8183
    assert values["chanteclair-cevennes", "jeunes_ni_etudes_ni_emploi", 2018] == 33.9
    arras_ouest = next(t for t in ref.observations.territoires if t.id == "arras-ouest")
    assert set(arras_ouest.couvre) == {"bonnettes-saint-pol-baudimont", "blancs-monts-hochettes"}
    assert ref.observations.reference.id == "cua"


def test_an_observation_of_an_unknown_quarter_is_refused_naming_the_file(tmp_path):
    folder = _broken(
        tmp_path, "observations.yaml", "[quatre-as, revenu_median, 2010", "[quatre-ass, revenu_median, 2010"
    )
    with pytest.raises(ReferentielInvalide, match=r"observations\.yaml.*territoire inconnu « quatre-ass »"):
        load_referentiel(folder)


def test_an_observation_row_of_the_wrong_shape_names_its_line(tmp_path):
    folder = _broken(tmp_path, "observations.yaml", "[cua, moins_25_ans, 2018, 30.3]", "[cua, moins_25_ans, 2018]")
    line = next(
        i
        for i, text in enumerate((folder / "observations.yaml").read_text().splitlines(), 1)
        if "[cua, moins_25_ans, 2018]" in text
    )
    with pytest.raises(ReferentielInvalide) as caught:
        load_referentiel(folder)
    assert caught.value.line == line and "année, valeur" in str(caught.value)


def test_the_files_are_parsed_again_only_once_one_of_them_changed(tmp_path):
    folder = tmp_path / "referentiel"
    shutil.copytree(REF_DIR, folder)
    first = load_referentiel(folder)
    assert load_referentiel(folder) is first, "unchanged files: the parsed data of this process"
    path = folder / "quartiers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# note de l'équipe\n", encoding="utf-8")
    again = load_referentiel(folder)
    assert again is not first and again == first


def test_the_reference_data_travels_to_the_reader_as_its_files(ref):
    sent = pickle.dumps(ref)
    assert len(sent) < 2 * sum(p.stat().st_size for p in REF_DIR.glob("*.yaml"))
    assert pickle.loads(sent) == ref
