"""Full-text search over the recorded answers: values, organisation names, alert messages, notes.

One function, `search`, two engines: SQLite matches with FTS5 over a temporary table filled from
the registry at each search, PostgreSQL with `to_tsvector('french', …)` over the same rows. Both read
the rows as they are now, so a correction is found at once; both ignore case and accents and take each
word as a prefix (« logem » finds « logements »). The excerpt is cut and marked the same way for both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, column, func, insert, literal, literal_column, select, table, text, union_all
from sqlalchemy.orm import Session

from workflow.registry.feuilles import IDENTITE
from workflow.registry.models import (
    ActionRow,
    AgentRow,
    AlerteRow,
    CofinancementRow,
    FicheAssociationVersion,
    InterventionRow,
    Note,
    ObjectifRow,
    Organisation,
    QuestionnaireVersion,
)

LIMITE = 100
# Short French words PostgreSQL's French configuration drops; FTS5 would take « de » as a prefix of every « des ».
VIDES = frozenset(("a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "est", "et",
                   "il", "l", "la", "le", "les", "leur", "n", "ne", "ou", "par", "pas", "pour", "qu", "que", "qui",
                   "s", "sa", "se", "ses", "son", "sur", "un", "une"))  # fmt: skip
DEBUT, FIN = "\x02", "\x03"  # around each word found in an excerpt; the page turns them into <mark>
ACCENTS = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"  # « œ » and « æ » stay themselves, as in FTS5
SANS_ACCENTS = "aaaaaaceeeeiiiinooooouuuuyy"
_FTS = table("cdv_recherche", column("texte"), column("soumission_id"), column("sorte"), column("champ"), schema="temp")


@dataclass(frozen=True)
class Trouvaille:
    """One value, name, alert or note that matches: where it is (submission and field) and an excerpt."""

    soumission_id: int
    sorte: str  # "valeur", "organisme", "alerte", "note"
    champ: str  # the value's export path (`interventions_structurantes[0].intitule`), or the alert's field
    texte: str
    extrait: str  # the text around the first word found, each found word between DEBUT and FIN
    organisme: str = ""
    genre: str = ""  # "questionnaire" or "association"
    version: int = 0
    campagne: int | None = None
    courante: bool = True


def mots(requete: str) -> list[str]:
    """Return the words of a query, lower case and without accents; punctuation, operators and the short
    French words both engines would treat differently (« de », « la », « pour »…) are left out."""
    words = [_plain(w) for w in re.findall(r"\w+", requete.lower())]
    return [w for w in words if w not in VIDES][:12]


def search(session: Session, requete: str, anciennes: bool = False, limite: int = LIMITE) -> list[Trouvaille]:
    """Return what matches every word of the query, best first, in the current versions (or all of them)."""
    words = mots(requete)
    if not words:
        return []
    rows = _rows(session, anciennes)
    if session.get_bind().dialect.name == "postgresql":
        found = _postgresql(session, rows, words, limite)
    else:
        found = _sqlite(session, rows, words, limite)
    about = _versions(session, {int(row[0]) for row in found})
    return [
        Trouvaille(
            int(sid), sorte, champ or "", texte, extrait(texte, words), *about.get(int(sid), ("", "", 0, None, True))
        )
        for sid, sorte, champ, texte in found
    ]


def _versions(session: Session, ids: set[int]) -> dict[int, tuple[str, str, int, int | None, bool]]:
    """Return, for each submission found, its partner, form kind, version, campaign and whether it is current."""
    about: dict[int, tuple[str, str, int, int | None, bool]] = {}
    if not ids:
        return about
    q, f = QuestionnaireVersion, FicheAssociationVersion
    for sid, nom, version, campagne, courant in session.execute(
        select(q.soumission_id, Organisation.nom, q.version, q.campagne, q.courant)
        .join(Organisation, Organisation.id == q.organisation_id)
        .where(q.soumission_id.in_(ids))
    ):
        about[sid] = (nom, "questionnaire", version, campagne, courant)
    for sid, nom, version, courant in session.execute(
        select(f.soumission_id, Organisation.nom, f.version, f.courant)
        .join(Organisation, Organisation.id == f.organisation_id)
        .where(f.soumission_id.in_(ids))
    ):
        about[sid] = (nom, "association", version, None, courant)
    return about


def _sqlite(session: Session, rows: Any, words: list[str], limite: int) -> list[Any]:
    session.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cdv_recherche USING fts5("
            "texte, soumission_id UNINDEXED, sorte UNINDEXED, champ UNINDEXED, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
    )
    session.execute(text("DELETE FROM temp.cdv_recherche"))
    session.execute(insert(_FTS).from_select(["texte", "soumission_id", "sorte", "champ"], rows))
    query = " ".join(f'"{w}"*' for w in words)
    found = session.execute(
        text(
            "SELECT soumission_id, sorte, champ, texte FROM temp.cdv_recherche WHERE cdv_recherche MATCH :q "
            "ORDER BY rank, soumission_id DESC LIMIT :n"
        ),
        {"q": query, "n": limite},
    ).all()
    session.execute(text("DELETE FROM temp.cdv_recherche"))  # the connection goes back to the pool light
    return list(found)


def _postgresql(session: Session, rows: Any, words: list[str], limite: int) -> list[Any]:
    found = rows.subquery()
    plain = func.translate(func.lower(found.c.texte), ACCENTS, SANS_ACCENTS)
    vector = func.to_tsvector(literal_column("'french'::regconfig"), plain)
    query = func.to_tsquery(literal_column("'french'::regconfig"), " & ".join(f"{w}:*" for w in words))
    return list(
        session.execute(
            select(found.c.soumission_id, found.c.sorte, found.c.champ, found.c.texte)
            .where(vector.op("@@")(query))
            .order_by(func.ts_rank(vector, query).desc(), found.c.soumission_id.desc())
            .limit(limite)
        )
    )


def _rows(session: Session, anciennes: bool) -> Any:
    """Return one select of (texte, soumission_id, sorte, champ) over every searchable text."""
    q, f = QuestionnaireVersion, FicheAssociationVersion
    q_kept = (q.courant,) if not anciennes else ()
    f_kept = (f.courant,) if not anciennes else ()
    parts = [
        _named(q, q_kept),
        _named(f, f_kept),
        *(
            _part(getattr(q, column_name), q.soumission_id, "valeur", path).where(*q_kept)
            for path, column_name in _QUESTIONNAIRE.items()
        ),
        *(_listed(q, row, name, attribute, q_kept) for row, name, attribute in _QUESTIONNAIRE_LISTS),
        _part(AlerteRow.message, q.soumission_id, "alerte", AlerteRow.champ).join(q).where(*q_kept),
        *(_part(f.identite[key].as_string(), f.soumission_id, "valeur", key).where(*f_kept) for key in IDENTITE),
        _part(f.autres_engagements, f.soumission_id, "valeur", "autres_engagements").where(*f_kept),
        *(
            _listed(f, ActionRow, "actions", attribute, f_kept)
            for attribute in ("intitule", "description", "public_vise")
        ),
        _cofinancements(f_kept),
        _notes(anciennes),
    ]
    return union_all(*parts, _association_alerts(session, anciennes))


def _notes(anciennes: bool) -> Any:
    """The team's notes, on current versions only unless replaced ones are searched too."""
    found = _part(Note.texte, Note.soumission_id, "note", "")
    if anciennes:
        return found
    current = union_all(
        select(QuestionnaireVersion.soumission_id).where(QuestionnaireVersion.courant),
        select(FicheAssociationVersion.soumission_id).where(FicheAssociationVersion.courant),
    )
    return found.where(Note.soumission_id.in_(current))


def _named(version: Any, kept: tuple[Any, ...]) -> Any:
    found = _part(Organisation.nom, version.soumission_id, "organisme", "organisme").select_from(version)
    return found.join(Organisation, Organisation.id == version.organisation_id).where(*kept)


def _part(value: Any, soumission_id: Any, sorte: str, champ: Any) -> Any:
    champ_column = champ if not isinstance(champ, str) else literal(champ)
    return select(
        value.label("texte"), soumission_id.label("soumission_id"), literal(sorte).label("sorte"),
        champ_column.label("champ"),
    ).where(value.is_not(None), value != "")  # fmt: skip


_QUESTIONNAIRE = {
    "referent_nom": "referent_nom",
    "referent_fonction": "referent_fonction",
    "referent_courriel": "referent_courriel",
    "engagements_2024_2030": "engagements",
}
_QUESTIONNAIRE_LISTS = (
    (InterventionRow, "interventions_structurantes", "intitule"),
    (InterventionRow, "interventions_structurantes", "description"),
    (AgentRow, "agents_gouvernance", "nom"),
    (AgentRow, "agents_gouvernance", "fonction"),
    (ObjectifRow, "objectifs", "libelle_saisi"),
)


def _indexed(name: str, rang: Any, attribute: str) -> Any:
    """The export path of a list item, `interventions_structurantes[0].intitule`, built by the database."""
    return literal(f"{name}[") + cast(rang, String) + literal(f"].{attribute}")


def _listed(version: Any, row: Any, name: str, attribute: str, kept: tuple[Any, ...]) -> Any:
    parent = row.fiche_id if row is ActionRow else row.questionnaire_id
    champ = _indexed(name, row.rang, attribute)
    return (
        _part(getattr(row, attribute), version.soumission_id, "valeur", champ)
        .join(version, version.id == parent)
        .where(*kept)
    )


def _cofinancements(kept: tuple[Any, ...]) -> Any:
    f, c, a = FicheAssociationVersion, CofinancementRow, ActionRow
    champ = literal("actions[") + cast(a.rang, String) + literal("].cofinancements[") + cast(c.rang, String)
    champ = champ + literal("].financeur")
    return (
        _part(c.financeur, f.soumission_id, "valeur", champ)
        .join(a, a.id == c.action_id)
        .join(f, f.id == a.fiche_id)
        .where(*kept)
    )


def _association_alerts(session: Session, anciennes: bool) -> Any:
    """The alerts of association forms, kept as a JSON list: each engine unpacks it its own way."""
    kept = "" if anciennes else "WHERE f.courant"
    if session.get_bind().dialect.name == "postgresql":
        sql = (
            "SELECT a.value ->> 'message' AS texte, f.soumission_id AS soumission_id, 'alerte' AS sorte, "
            f"coalesce(a.value ->> 'champ', '') AS champ FROM fiches_association f, "
            f"json_array_elements(f.alertes) AS a(value) {kept}"
        )
    else:
        sql = (
            "SELECT json_extract(a.value, '$.message') AS texte, f.soumission_id AS soumission_id, "
            "'alerte' AS sorte, coalesce(json_extract(a.value, '$.champ'), '') AS champ "
            f"FROM fiches_association f, json_each(f.alertes) AS a {kept}"
        )
    return select(column("texte"), column("soumission_id"), column("sorte"), column("champ")).select_from(
        text(f"({sql}) AS alertes_fiches")
    )


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _folded(texte: str) -> str:
    """Return the text lower case without accents, one character for one, so positions stay the same."""
    return "".join((_plain(c) or c)[:1] for c in texte.lower()) if len(texte.lower()) == len(texte) else texte


def extrait(texte: str, words: list[str], largeur: int = 160) -> str:
    """Return the text around its first word starting with one of `words`, each such word marked."""
    folded = _folded(texte)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*")
    spans = [m.span() for m in pattern.finditer(folded)]
    start = max(0, spans[0][0] - largeur // 3) if spans else 0
    end = min(len(texte), start + largeur)
    out, at = [], start
    for a, b in spans:
        if a >= start and b <= end:
            out += [texte[at:a], DEBUT, texte[a:b], FIN]
            at = b
    out.append(texte[at:end])
    return ("…" if start else "") + "".join(out).strip() + ("…" if end < len(texte) else "")
