"""Golden pairs for the free layouts: three partners' answers, the fields an extraction must give
back for them, and the field-by-field comparison against the committed known misses.

The fixtures live in tests/fixtures/layouts/ (X.docx, X.pdf, X.odt beside X.json); they are
rewritten by hand with `python tests/fixtures/layouts/regenerate.py`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import QPV
from layouts import LAYOUTS

from workflow.intake.ingest import Arrivee, Resultat, Source, Statut, ingest
from workflow.registry.db import Registry
from workflow.registry.export import export_data
from workflow.workspace import Workspace

PARTNERS = [
    {
        "organisme": "Caisse d'Allocations Familiales du Pas-de-Calais",
        "campagne": 2026,
        "referent_nom": "Sophie MARCHAND",
        "referent_fonction": "Conseillère territoriale",
        "referent_courriel": "sophie.marchand@caf62.example.fr",
        "referent_telephone": "03 21 00 00 00",
        "interventions_structurantes": [
            {"intitule": "Centres sociaux", "description": "Agrément et financement des centres sociaux des QPV."},
            {"intitule": "Accès aux droits", "description": "Rendez-vous des droits dans les Maisons France Services."},
        ],
        "quartiers_texte": "Nous intervenons à Baudimont, aux Blancs-Monts et dans le quartier Saint-Michel.",
        "quartiers_vises": ["bonnettes-saint-pol-baudimont", "blancs-monts-hochettes", "saint-michel-goudemand"],
        "agents_gouvernance": [
            {"nom": "Sophie MARCHAND", "fonction": "Conseillère territoriale"},
            {"nom": "Karim BENALI", "fonction": "Responsable du développement territorial"},
        ],
        "engagements_2024_2030": "Maintien du financement des centres sociaux.\n- Soutien à la parentalité\n"
        "- Lutte contre le non-recours",
        "objectifs_texte": [
            {
                "ambition": "Quartier émancipé",
                "os": 1,
                "os_libelle": "Faire de l'objet éducatif une "
                "chose partagée entre tous : enfants, familles, professionnels et acteurs des quartiers",
                "oo": [("1C", "Soutenir et accompagner la parentalité")],
            },
            {
                "ambition": "Quartier émancipé",
                "os": 5,
                "os_libelle": "Garantir l'accès aux droits et aux besoins fondamentaux",
                "oo": [("5A", "Agir sur le non-recours")],
            },
        ],
    },
    {
        "organisme": "Pas-de-Calais Habitat",
        "campagne": 2024,
        "referent_nom": "Nadia LEROY",
        "referent_fonction": "Responsable de secteur",
        "referent_courriel": "nadia.leroy@pdc-habitat.example.fr",
        "referent_telephone": "03 21 11 11 11",
        "interventions_structurantes": [
            {
                "intitule": "Abattement TFPB",
                "description": "Gestion urbaine de proximité & tranquillité résidentielle.",
            },
        ],
        "quartiers_texte": "Les 4 As (Achicourt) et Chanteclair - Cévennes.",
        "quartiers_vises": ["quatre-as", "chanteclair-cevennes"],
        "agents_gouvernance": [{"nom": "Nadia LEROY", "fonction": "Responsable de secteur"}],
        "engagements_2024_2030": "Rénovation thermique de 300 logements d'ici 2030.\nRésidentialisation des halls.",
        "objectifs_texte": [
            {
                "ambition": "Quartier de transitions",
                "os": 4,
                "os_libelle": "Garantir le bien-être "
                "des habitants au sein de leur logement dans les parcs public et privé",
                "oo": [
                    (
                        "4A",
                        "Adapter les logements pour les différents âges de la vie ou fluidifier "
                        "les mutations pour faire vivre le parcours résidentiel",
                    ),
                    (
                        "4C",
                        "Accompagner les habitants aux usages et aux changements de pratiques "
                        "adaptés à la transition énergétique et climatique",
                    ),
                ],
            }
        ],
    },
    {
        "organisme": "France Travail",
        "campagne": 2024,
        "referent_nom": "Thomas GRANDIN",
        "referent_fonction": "Directeur d'agence",
        "referent_courriel": "thomas.grandin@francetravail.example.fr",
        "referent_telephone": "+33 3 21 11 22 33",
        "interventions_structurantes": [
            {"intitule": "Cité de l'emploi", "description": "Accompagnement renforcé des demandeurs d'emploi."},
            {"intitule": "Bus de l'emploi", "description": "Permanences itinérantes au pied des immeubles."},
            {"intitule": "Job dating", "description": "Rencontres employeurs dans les quartiers."},
        ],
        "quartiers_texte": "L'ensemble des quartiers prioritaires.",
        "quartiers_vises": QPV,
        "agents_gouvernance": [{"nom": "Thomas GRANDIN", "fonction": "Directeur d'agence"}],
        "engagements_2024_2030": "Déploiement de France Travail dans les quartiers.",
        "objectifs_texte": [
            {
                "ambition": "Quartier de plein emploi",
                "os": 2,
                "os_libelle": "Garantir la démarche d'Aller Vers les publics au sein des quartiers",
                "oo": [("2A", "Rencontrer des professionnels, découverte de métiers")],
            }
        ],
    },
]
AMBITION = {
    "Quartier émancipé": "emancipe",
    "Quartier de transitions": "transitions",
    "Quartier de plein emploi": "plein-emploi",
}
SLUGS = ["caf", "pdc-habitat", "france-travail"]  # file names: <layout>_<slug>

FIXTURES = Path(__file__).parent / "fixtures" / "layouts"
KNOWN_MISSES = FIXTURES / "known_misses.json"
# The committed golden pairs: each layout for two partners in turn, and a few conversions of them.
GOLDEN = [(layout, (n + k) % 3) for n, layout in enumerate(LAYOUTS) for k in (0, 1)]
CONVERSIONS = {"pdf": ["tableau_caf", "titres_pdc-habitat"], "odt": ["imbrique_france-travail"]}


def fields(q: dict) -> dict[str, object]:
    """The comparable fields of an exported questionnaire (or of the answers given)."""
    out: dict[str, object] = {
        k: q[k]
        for k in (
            "organisme",
            "campagne",
            "referent_nom",
            "referent_fonction",
            "referent_courriel",
            "referent_telephone",
        )
    }
    for i, item in enumerate(q["interventions_structurantes"]):
        out[f"intervention {i + 1} intitulé"] = item["intitule"]
        out[f"intervention {i + 1} description"] = item["description"]
    out["quartiers"] = sorted(q["quartiers_vises"])
    for i, item in enumerate(q["agents_gouvernance"]):
        out[f"agent {i + 1}"] = (item["nom"], item["fonction"])
    for i, line in enumerate(q["engagements_2024_2030"].split("\n")):
        out[f"engagement ligne {i + 1}"] = line
    for i, o in enumerate(q["objectifs"]):
        out[f"objectif {i + 1}"] = (o["ambition"], o["os"], o["oo"], o["libelle_saisi"])
    return out


def expected(a: dict) -> dict[str, object]:
    objectifs = [
        {"ambition": AMBITION[b["ambition"]], "os": b["os"], "oo": code, "libelle_saisi": label}
        for b in a["objectifs_texte"]
        for code, label in b["oo"]
    ]
    return fields({**a, "objectifs": objectifs})


def stem(layout: str, partner: int) -> str:
    """The file name, without extension, of a partner's answers in a layout: "titres_caf"."""
    return f"{layout}_{SLUGS[partner]}"


def partner_of(name: str) -> dict:
    """The partner whose answers a file named "<layout>_<slug>.<ext>" holds."""
    return PARTNERS[SLUGS.index(Path(name).stem.split("_", 1)[1])]


def as_data(values: dict[str, object]) -> dict[str, object]:
    """The fields as JSON gives them back (tuples become lists), for comparison with a .json file."""
    return json.loads(json.dumps(values, ensure_ascii=False))


def misses(want: dict[str, object], have: dict[str, object]) -> dict[str, str]:
    """Return field → what went wrong, for every field not given back exactly or given in excess."""
    out = {k: f"attendu {v!r}, lu {have.get(k)!r}" for k, v in want.items() if have.get(k) != v}
    out.update({k: f"en trop {v!r}" for k, v in have.items() if k not in want})
    return out


def known_misses() -> dict[str, dict[str, str]]:
    """The committed known misses: document name → field → why it is missed."""
    data = json.loads(KNOWN_MISSES.read_text(encoding="utf-8"))
    return {name: fields for name, fields in data.items() if not name.startswith("_")}


def verdict(document: str, found: dict[str, str], known: dict[str, str]) -> list[str]:
    """Return the problems: a miss not listed as known, or a known miss that now passes."""
    new = [
        f"{document} — {field} : {what} (écart non répertorié)" for field, what in found.items() if field not in known
    ]
    fixed = [
        f"{document} — {field} : désormais lu correctement, à retirer de known_misses.json ({why})"
        for field, why in known.items()
        if field not in found
    ]
    return new + fixed


def read_back(workspace: Workspace, registry: Registry, path: Path) -> tuple[Resultat, dict | None]:
    """Drop a copy of `path` in the inbox, ingest it, return the outcome and its exported questionnaire."""
    copy = workspace.inbox / path.name
    shutil.copyfile(path, copy)
    outcome = ingest(workspace, registry, Arrivee(copy, Source.DOSSIER, deplacer=True))
    name = f"{path.stem}.docx" if path.suffix == ".eml" else path.name  # an e-mail's form is its attachment
    with registry.session() as session:
        exported = {q["source"]["fichier"]: q for q in export_data(session)["questionnaires"]}
    return outcome, exported.get(name)


def found_misses(want: dict[str, object], outcome: Resultat, got: dict | None) -> dict[str, str]:
    """The misses of one document: its fields compared with `want`, and its status when not recorded."""
    found = misses(want, as_data(fields(got)) if got else {})
    if outcome.statut != Statut.ENREGISTRE:
        found["statut"] = f"non enregistré : {outcome.motif}"
    return found
