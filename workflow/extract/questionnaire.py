"""Extract a signatory's questionnaire answers: content controls first, then the text around
the questions and labels for whatever a partner retyped outside the controls."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from workflow.answers import Lieu, Ligne, ReponsesQuestionnaire, Valeur
from workflow.extract import referent, splitting
from workflow.extract.alignment import questionnaire_anchors
from workflow.extract.anchors import Anchor, is_running, match_question, unplaced
from workflow.extract.common import (
    QUARTIER_PREFIX,
    ambition_names,
    control_value,
    controls_by_tag,
    has_control,
    label_value,
    list_from_controls,
    quartiers_answer,
    with_rest,
)
from workflow.ooxml.controls import Control
from workflow.parsers.base import Contenu, Unit
from workflow.referentiel import Referentiel
from workflow.referentiel.model import QUESTION_IDS, FichierQuestionnaire
from workflow.text import clean_spaces, normalise
from workflow.validation.quartiers import resolve_text, selected_lines

LIST_FIELDS = ("interventions_structurantes", "agents_gouvernance", "objectifs")


def extract_questionnaire(
    contenu: Contenu, ref: Referentiel, anchors: list[Anchor] | None = None
) -> ReponsesQuestionnaire:
    """Return the answers a questionnaire holds, each with where it was read.

    `anchors` are the questions and labels recognition already found (found again if absent).
    """
    form = ref.questionnaire
    if anchors is None:
        anchors = questionnaire_anchors(
            contenu.units,
            form.questions,
            {f.id: (f.libelle, *f.alias) for f in form.entete},
            frozenset(ambition_names(ref)),
        )
    anchors = _with_stated_answers(contenu.units, _with_quarter_list(contenu.units, anchors, ref), ref)
    by_field: dict[str, Anchor] = {}
    for anchor in anchors:
        by_field.setdefault(anchor.field, anchor)  # a question asked again answers it once more
    controls = controls_by_tag(contenu.controls)
    furniture = _form_furniture(ref)

    asked = {q.id: q.texte for q in form.questions}
    annexes = _annexes(contenu.units, max((a.index for a in anchors if a.is_question), default=len(contenu.units)))

    banners = _ambition_banners(contenu.units, anchors, ambition_names(ref))
    banner_units = {unit for unit, _ in banners.values()}  # each heads the answers under it, answers none

    def text_segment(field: str) -> list[Unit]:
        found = [
            u
            for anchor in anchors
            if anchor.field == field
            for u in (_under_banner(banners, anchors, anchor) if field == "objectifs" else [])
            + [u for u in with_rest(contenu.units, anchors, anchor) if u not in banner_units]
        ]
        found += [u for ref_ in _annexes_named(found) for u in annexes.get(ref_, [])]
        found = _without_follow_up(_without_sources(found), contenu.units)
        return [
            replace(u, text=_ANSWER_MARK.sub("", u.text, count=1)) if _ANSWER_MARK.match(u.text) else u
            for u in found
            if field not in u.controls
            and (u.table is not None or normalise(u.text) not in furniture)
            and not _SLIDE_MARK.match(u.text)
            and not _ANSWER_HEADING.match(u.text)
            and not _EVIDENCE.match(u.text)
            and not (u.table is None and field in asked and _restates(u, field, asked[field]))
        ]

    entete = {}
    anchored = {a.index for a in anchors}
    for champ in form.entete:
        own = has_control(controls, champ.id)
        said = _announced(text_segment(champ.id), contenu.units, anchored)
        value = control_value(controls, champ.id) if own else label_value(said)
        if value and ((champ.id == "referent_nom" and referent.is_addressee(value.texte)) or _is_label(value, form)):
            value = None  # « Monsieur le Vice-Président, », « Prénom »: whom the letter addresses, the form's words
        if value and (choice := splitting.ticked_choice(value.texte)) is not None:  # « ☐ 2024 ☒ 2027 »
            value = Valeur(choice, value.lieu)
        if value:
            entete[champ.id] = value
    if named := by_field.get("referent_nom"):  # the lines under the name: its function, then « mél – tél »
        entete.update(_referent_block(contenu.units, named, entete, {a.index for a in anchors}))
    entete.update({k: v for k, v in referent.split_referent(entete).items() if not has_control(controls, k)})
    entete = {k: Valeur(" ".join(v.texte.split()), v.lieu) for k, v in entete.items()}  # a cell's value on two lines
    if "organisme" not in entete and (titled := _organisme_from_title(contenu.units)):
        entete["organisme"] = titled
    if "organisme" not in entete and (signatory := referent.signatory_named(contenu.units, ref)):
        entete["organisme"] = signatory
    if "referent_courriel" not in entete and (contact := referent.contact_in_prose(contenu.units, anchors)):
        entete.update({k: v for k, v in contact.items() if k not in entete and not has_control(controls, k)})
    if "campagne" not in entete and (year := _campagne_from_title(contenu.units)):
        entete["campagne"] = year
    leftover: list[tuple[str, Valeur]] = []
    key_of = _key_cells(contenu.units)
    lists = {
        field: list_from_controls(contenu.units, field, _columns(ref, field))
        or (
            []  # our form's control left empty stays empty
            if field in controls and not clean_spaces(controls[field].text)
            else _list_from_text(text_segment(field), field, ref, leftover, key_of)
        )
        for field in LIST_FIELDS
    }
    coches, quartiers_texte = quartiers_answer(contenu, controls, text_segment("quartiers_vises"))
    engagements = _engagements(contenu.units) or splitting.engagement_lines(text_segment("engagements_2024_2030"))
    absent = tuple(q for q in QUESTION_IDS if q not in by_field and not _has_control(contenu, controls, q))
    answered = {
        "interventions_structurantes": bool(lists["interventions_structurantes"]),
        "quartiers_vises": bool(coches) or any(selected_lines(v.texte) for v in quartiers_texte),
        "agents_gouvernance": bool(lists["agents_gouvernance"]),
        "engagements_2024_2030": bool(engagements),
        "objectifs": bool(lists["objectifs"]),
    }
    # a question asked (anchored or our form's control) with no answer read under it
    empty = tuple(
        q
        for q in QUESTION_IDS
        if (q in by_field or _has_control(contenu, controls, q))
        and not answered[q]
        and not (q != "quartiers_vises" and not _has_control(contenu, controls, q) and _has_text(text_segment(q)))
    )
    return ReponsesQuestionnaire(
        entete=entete,
        interventions=tuple(lists["interventions_structurantes"]),
        quartiers_coches=coches,
        quartiers_texte=quartiers_texte,
        agents=tuple(lists["agents_gouvernance"]),
        engagements=tuple(engagements),
        objectifs=tuple(lists["objectifs"]),
        questions_absentes=absent,
        sections_vides=empty,
        non_classe=tuple(leftover)
        + tuple(
            ("", Valeur(u.text, splitting.lieu(u)))
            for u in unplaced(contenu.units, anchors)
            if not any(u in units for units in annexes.values())
        ),
    )


_TITLE = re.compile(
    r"^\s*(?:engagements?|fiche d.engagement|questionnaire d.engagement|r[ée]ponse)\s+(?:de la |de l.|du |des |de |d.)"
    r"\s*(?P<nom>.{2,120}?)\s*$",
    re.I,
)


_BANNER = re.compile(r"^\s*(?:ambition\s*)?(?:n\s*°\s*)?\d{0,2}\s*[·.:)–—-]?\s*(?P<name>\D.{2,60}?)\s*$", re.I)


def _ambition_banners(
    units: tuple[Unit, ...], anchors: list[Anchor], ambitions: dict[str, str]
) -> dict[int, tuple[Unit, str]]:
    """A reply reorganised ambition by ambition (« 1 · QUARTIER APAISÉ » over its own answers to the
    questions): the banners by position, with the ambition each names, when two ambitions at least
    head such parts. An ambition's heading over objectives (« Quartier apaisé » then « 2A … ») is part
    of that answer, no banner."""
    asked = sorted(a.index for a in anchors if a.is_question)
    found = {}
    for i, unit in enumerate(units):
        if not (unit.bold or unit.table is not None or unit.style.lower().startswith(("heading", "titre"))):
            continue
        if not (match := _BANNER.match(unit.text)) or normalise(match.group("name")) not in ambitions:
            continue
        following = next((j for j in asked if j > i), None)
        if following is not None and sum(bool(u.text.strip()) for u in units[i + 1 : following]) <= BANNER_LEAD:
            found[i] = (unit, match.group("name"))
    return found if len({normalise(name) for _, name in found.values()}) >= 2 else {}


BANNER_LEAD = 2  # lines between a banner and the first question under it (the ambition's definition)


def _under_banner(banners: dict[int, tuple[Unit, str]], anchors: list[Anchor], anchor: Anchor) -> list[Unit]:
    """The ambition banner a question asked again stands under, as a line of its answer: the objectives
    listed there are that ambition's even when they name only their code. Nothing when the same
    question was already asked under that banner."""
    before = [i for i in banners if i < anchor.index]
    if not before or any(a.field == anchor.field and max(before) < a.index < anchor.index for a in anchors):
        return []
    banner, name = banners[max(before)]
    return [replace(banner, text=name, table=None, row=None, col=None)]


def _announced(segment: list[Unit], units: tuple[Unit, ...], anchored: set[int]) -> list[Unit]:
    """A line ending with a colon announces the value under it (« Contact » / « Direction … – Votre
    interlocutrice pour la CUA : » / « Céline VASSEUR, … »): the answer's next lines, else the
    document's next line when no label stands on it."""
    said = [u for u in segment if u.text.strip()]
    while len(said) > 1 and said[0].text.rstrip().endswith(":"):
        said = said[1:]
    if not said or not said[0].text.rstrip().endswith(":"):
        return said
    at = next((n + 1 for n, u in enumerate(units) if u is said[0]), len(units))
    return [units[at]] if at < len(units) and at not in anchored and units[at].text.strip() else []


def _organisme_from_title(units: tuple[Unit, ...]) -> Valeur | None:
    """Read the organisation from a title such as "ENGAGEMENTS DE BGE HAUTS-DE-FRANCE"."""
    for unit in [u for u in units if u.text.strip()][:8]:
        match = _TITLE.match(unit.text.strip())
        if match and not _GENERIC_NAME.match(match.group("nom")):
            return Valeur(match.group("nom").strip(" :—-"), Lieu("texte", f"{unit.where} (titre)"))
    return None


_GENERIC_NAME = re.compile(r"(?:signataires|partenaires)\b", re.I)  # « Questionnaire d'engagement des signataires »
_YEAR_IN_TITLE = re.compile(  # « Campagne 2026 », « 2027 · point d'étape N+3 »
    r"\b(?:campagne|actualisation|mise à jour|point d.étape|fiche d.engagement|questionnaire(?: d.engagement)?)"
    r"\s*(?:[:n°]\s*)*"
    r"(?P<year>20[2-4]\d)\b(?!\s*-\s*20)|"
    r"(?:^|[^\w-])(?P<before>20[2-4]\d)\s*[·:–-]?\s*(?:point d.étape|actualisation|mise à jour)\b",
    re.I,
)


TITLE_LINES = 15  # a letter's subject line stands under its letterhead and the addressee


def _campagne_from_title(units: tuple[Unit, ...]) -> Valeur | None:
    """Read the campaign from a heading such as "Questionnaire d'engagement — campagne 2026"."""
    for unit in [u for u in units if u.text.strip()][:TITLE_LINES]:
        match = _YEAR_IN_TITLE.search(unit.text)
        if match:
            return Valeur(match["year"] or match["before"], Lieu("texte", f"{unit.where} (titre)"))
    return None


_SLIDE_MARK = re.compile(r"^\s*(?:diapositive|slide|vue)\s+n?°?\s*\d{1,3}\s*$", re.I)  # a deck's slide number
_ANSWER_MARK = re.compile(  # « Q1. … » then « R. — … », « R. Oui. … »
    r"^\s*(?:(?:R\.|Rép\.|Réponse)\s*[—–:-]\s*|(?-i:R\.|Rép\.)\s+(?=[A-ZÀ-Þ«]))", re.I
)


_NAME_PARTS = frozenset({"nom", "prenom", "nom prenom", "prenom nom"})


def _is_label(value: Valeur, form: FichierQuestionnaire) -> bool:
    """A field's value that is itself a label of the form (« Prénom » under « NOM »): the field is empty."""
    text = normalise(value.texte.rstrip(" :"))
    return text in _NAME_PARTS or any(text == normalise(n) for f in form.entete for n in (f.libelle, *f.alias))


def _form_furniture(ref: Referentiel) -> set[str]:
    """Return the normalised texts our own form prints (instructions, column headings)."""
    form = ref.questionnaire
    texts = [q.consigne for q in form.questions] + [c.libelle for q in form.questions for c in q.colonnes]
    texts += [form.precisions_quartiers]
    return {normalise(t) for t in texts if t}


def _columns(ref: Referentiel, field: str) -> dict[str, tuple[str, ...]]:
    """The headings each column of a list question goes by (the referentiel's, which staff extend)."""
    return {c.id: (c.libelle, c.id, *c.alias) for c in ref.questionnaire.question(field).colonnes}


def _key_cells(units: tuple[Unit, ...]) -> Callable[[Unit], str]:
    """The text of the cell left of a table cell (its key in a one-row-per-field export), else ""."""
    cells: dict[tuple[int | None, int | None, int], str] = {
        (u.table, u.row, u.col or 0): u.text for u in units if u.table is not None
    }
    return lambda unit: cells.get((unit.table, unit.row, (unit.col or 0) - 1), "")


def _list_from_text(
    units: list[Unit],
    field: str,
    ref: Referentiel,
    leftover: list[tuple[str, Valeur]],
    key_of: Callable[[Unit], str],
) -> list[Ligne]:
    """Read a list answer: a multi-column table by its columns, the rest line by line; lines that
    give no item go to `leftover` with the question they stand under."""
    unread: list[Valeur] = []
    readers: dict[str, Callable[[list[Unit]], list[Ligne]]] = {
        "interventions_structurantes": lambda us: splitting.interventions(us, unread),
        "agents_gouvernance": lambda us: splitting.agents(us, unread),
        "objectifs": lambda us: splitting.objectifs(us, ambition_names(ref), unread),
    }
    items = _list_items(units, field, ref, readers, key_of)
    leftover.extend((field, v) for v in unread)
    return _once_each(items) if field == "objectifs" else items


def _once_each(objectives: list[Ligne]) -> list[Ligne]:
    """An objective named again (under each quarter it concerns) is one objective of the partner's."""
    seen: set[tuple[str, str]] = set()
    out = []
    for item in objectives:
        key = (
            normalise(item["ambition"].texte) if item.get("ambition") else "",
            item["oo"].texte.upper() if item.get("oo") else "",
        )
        if key[1] and key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


MAX_TITLE_WORDS = 8


def _list_items(
    units: list[Unit],
    field: str,
    ref: Referentiel,
    readers: dict[str, Callable[[list[Unit]], list[Ligne]]],
    key_of: Callable[[Unit], str],
) -> list[Ligne]:
    units = splitting.ticked_rows(units)
    if field == "objectifs" and (crossed := splitting.ambition_grid(units, ambition_names(ref))) is not None:
        return readers[field](crossed)
    if (records := splitting.record_tables(units, _columns(ref, field))) is not None:
        titles = [u for u in units if u.table is None and u.bold and len(u.text.split()) <= MAX_TITLE_WORDS]
        outside = [u for u in units if u.table is None and u.text.strip() and u not in titles]
        return _as_read(records, field, ref) + (readers[field](outside) if outside else [])  # « Agent n° 2 »: a title
    rows = splitting.keyed_records(units, key_of) or splitting.table_rows(units)
    if not rows:
        if field != "objectifs" and (items := splitting.labelled(units, _columns(ref, field))) is not None:
            return items
        return readers[field](units)
    mapping, data = splitting.map_columns(rows, _columns(ref, field))
    tables = {u.table for r in rows for _, u in r.values()}
    outside = [u for u in units if u.table not in tables and u.table is None]
    if field == "agents_gouvernance" and data is rows and (people := splitting.people_cells(rows)) is not None:
        return readers[field](people + outside)  # no column says who: each cell names its person
    if field == "objectifs" and data is rows and max(len(r) for r in rows) <= 2:  # « Axe de la CTG | Objectif(s) »
        return readers[field]([replace(u, text=t) for r in rows for _, (t, u) in sorted(r.items()) if t] + outside)
    items = _as_read(splitting.rows_to_lines(data, mapping), field, ref)
    return items + (readers[field](outside) if outside else [])


def _as_read(items: list[Ligne], field: str, ref: Referentiel) -> list[Ligne]:
    """Items read from a table's cells, finished as their field reads them."""
    if field == "objectifs":
        items = _under_ambition_rows(items, ambition_names(ref))
    if field == "agents_gouvernance":  # « DUBRULLE Nathalie » in a name column: « Nathalie DUBRULLE »
        items = [
            {**i, "nom": Valeur(splitting.person_name(i["nom"].texte), i["nom"].lieu)} if "nom" in i else i
            for i in items
        ]
        people: dict[tuple[str, str], Ligne] = {}  # the same person on two rows (« CTP », « MOUS ») is one agent
        for n, item in enumerate(items):
            name, function = (normalise(item[k].texte) if k in item else "" for k in ("nom", "fonction"))
            people.setdefault((name, function) if name else (f"#{n}", ""), item)
        items = list(people.values())
    return items


_SEE_ANNEX = re.compile(r"\bannexe\s+(?:n°\s*)?(\d{1,2}|[A-H])\b", re.I)
_ANNEX_HEADING = re.compile(r"^\s*annexe\s+(?:n°\s*)?(\d{1,2}|[A-H])\b(?!\s*[,;)])", re.I)


_SOURCE_HEADS = {"contribution", "contributeur", "contributrice", "service", "pole", "direction", "source", "origine"}
# « Éléments de preuve : convention signée le … » under an answer: what proves it, not what is answered
_EVIDENCE = re.compile(
    r"^\s*(?:[ée]l[ée]ments? de preuve|pi[èe]ces? justificatives?|justificatifs?|preuves?)\s*:", re.I
)
_ANSWER_HEADING = re.compile(r"^\s*(?:r[ée]ponses?|votre r[ée]ponse|notre r[ée]ponse)\s*:?\s*$", re.I)


def _restates(unit: Unit, field: str, question: str) -> bool:
    """« Exigence (question de la CUA) : Quels quartiers … ? » under the field's own heading: the
    question asked again, under a label of its own, never its answer."""
    label, colon, rest = unit.text.partition(":")
    if not colon or len(label.split()) > MAX_TITLE_WORDS or "?" not in rest:
        return False
    found = match_question(replace(unit, text=rest), {field: question})
    return found is not None and not found[1]


_ANSWER_HEADS = {"element", "elements", "reponse", "reponses", "contenu"}


def _without_sources(units: list[Unit]) -> list[Unit]:
    """« Contribution | Éléments de réponse » over « Pôle Solidarités | … » rows: a consolidated answer
    names who wrote each part; the answer is the second column alone."""
    heads: dict[int | None, dict[int | None, str]] = {}
    for u in units:
        if u.table is not None and u.row == min(v.row or 0 for v in units if v.table == u.table):
            heads.setdefault(u.table, {})[u.col] = (normalise(u.text).split() or [""])[0]
    sourced = {t for t, cols in heads.items() if cols.get(1) in _SOURCE_HEADS and cols.get(2) in _ANSWER_HEADS}
    return [
        u
        for u in units
        if u.table not in sourced or (u.col != 1 and u.row != min(v.row or 0 for v in units if v.table == u.table))
    ]


_FOLLOW_UP = re.compile(  # who carries a decision and by when, beside the decision itself
    r"^\s*(?:pilotes?|porteurs?|responsables?|qui|[ée]ch[ée]ances?|d[ée]lais?|dates?|quand|statut|[ée]tat)\s*:?\s*$",
    re.I,
)


def _without_follow_up(found: list[Unit], units: tuple[Unit, ...]) -> list[Unit]:
    """« N° | Objet | Relevé de décision | Pilote | Échéance »: minutes answer in the decision column,
    the columns saying who follows it up and by when are no part of the answer."""
    tables = {u.table for u in found if u.table is not None}
    heads = {
        (u.table, u.col)
        for u in units
        if u.table in tables
        and u.row == min(v.row or 0 for v in units if v.table == u.table)
        and _FOLLOW_UP.match(u.text)
    }
    return [u for u in found if (u.table, u.col) not in heads]


def _annexes(units: tuple[Unit, ...], after: int) -> dict[str, list[Unit]]:
    """The annexes after the answers (« ANNEXE 1 – Représentants… »), each up to the next one."""
    found: dict[str, list[Unit]] = {}
    current: list[Unit] | None = None
    for unit in units[after + 1 :]:
        if heading := _ANNEX_HEADING.match(unit.text):
            current = found.setdefault(heading.group(1).upper(), [])
        elif current is not None and not is_running(unit):
            current.append(unit)
    return found


def _annexes_named(units: list[Unit]) -> list[str]:
    """The annexes an answer sends to (« la liste nominative figure en annexe 1 »)."""
    return list(dict.fromkeys(m.group(1).upper() for u in units for m in _SEE_ANNEX.finditer(u.text)))


def _under_ambition_rows(items: list[Ligne], ambitions: dict[str, str]) -> list[Ligne]:
    """A row holding only an ambition (« Ambition : Quartier apaisé ») heads the objectives under it."""
    out: list[Ligne] = []
    heading: Valeur | None = None
    for item in items:
        values = list(item.values())
        named = ambitions.get(normalise(values[0].texte).removeprefix("ambition ")) if len(values) == 1 else None
        if named:
            heading = Valeur(named, values[0].lieu)
        else:
            out.append({"ambition": heading, **item} if heading and "ambition" not in item else item)
    return out


def _engagements(units: tuple[Unit, ...]) -> list[Valeur]:
    inside = [u for u in units if "engagements_2024_2030" in u.controls]
    lines = splitting.engagement_lines(inside)
    return [Valeur(v.texte, Lieu("controle", f"{v.lieu.detail}, contrôle « engagements_2024_2030 »")) for v in lines]


def _has_text(units: list[Unit]) -> bool:
    return any(u.text.strip() for u in units)


def _has_control(contenu: Contenu, controls: dict[str, Control], field: str) -> bool:
    if field == "quartiers_vises":
        return any(c.tag.lower().startswith(QUARTIER_PREFIX) for c in contenu.controls)
    return field in controls


MAX_QUARTER_LINE_WORDS = 8
_BOXED = re.compile(r"\s*[☐☒☑□■●○◉◯✔✓]\s*")


def _with_quarter_list(units: tuple[Unit, ...], anchors: list[Anchor], ref: Referentiel) -> list[Anchor]:
    """Anchor the quarters question by its answer when no wording told it: a short title (« Où ? »)
    over a line naming quarters of the contract and nothing else."""
    if any(a.field == "quartiers_vises" for a in anchors):
        return anchors
    taken = {a.index for a in anchors}
    for i, unit in enumerate(units[:-1]):
        title = unit.text.strip()
        if i in taken or not title or len(title.split()) > 3 or not (unit.bold or title.endswith(("?", ":"))):
            continue
        lines = []
        for j in range(i + 1, len(units)):
            if j in taken or units[j].bold or not units[j].text.strip():
                break
            lines.append(units[j].text)
        if lines and _names_quarters_only(lines[0], ref):
            return sorted([*anchors, Anchor("quartiers_vises", i, "", True)], key=lambda a: a.index)
    return anchors


_TARGETING = re.compile(r"\b(?:concern|vis|port|cibl|intervien|intervenons|se situ|se d[ée]ploi)\w*", re.I)
_OBJECTIVE_CODES = re.compile(r"\bobjectifs?\b.*\b\d\s?[A-G]\b", re.I | re.S)
MAX_STATEMENT_WORDS = 60


def _with_stated_answers(units: tuple[Unit, ...], anchors: list[Anchor], ref: Referentiel) -> list[Anchor]:
    """A letter that answers without asking: « Ces engagements concernent … Baudimont … et Saint-Michel. »
    anchors the quarters, « … se rattachent aux objectifs 2C et 6A du quartier apaisé » the objectives,
    when no question anchored them; the sentence is its own answer."""
    found = {a.field for a in anchors if not _is_statement(units[a.index])}
    taken = {a.index for a in anchors}
    added = []
    ambitions = {n for n in ambition_names(ref) if len(n) > 5}
    for i, unit in enumerate(units):
        text = unit.text.strip()
        if i in taken or unit.is_list or unit.bold or len(text.split()) > MAX_STATEMENT_WORDS:
            continue
        coded = _objective_line(text, ambitions) or (unit.table is None and _OBJECTIVE_CODES.search(text))
        if "objectifs" not in found and coded:  # « Quartier apaisé – OS 5 – 5A : … », « … aux objectifs 2C »
            added.append(Anchor("objectifs", i, text, True))
            found.add("objectifs")
        elif "quartiers_vises" not in found and _TARGETING.search(text) and resolve_text(text, ref).ids:
            added.append(Anchor("quartiers_vises", i, text, True))
            found.add("quartiers_vises")
        elif "agents_gouvernance" not in found and all(_SEAT.match(u.text) for u in units[i : i + 2]):
            added.append(Anchor("agents_gouvernance", i, text, True))  # « Comité de pilotage : Dr X, … » twice
            found.add("agents_gouvernance")
    return sorted([*anchors, *added], key=lambda a: a.index) if added else anchors


_SEAT = re.compile(  # a body of the contract's governance, then who sits there
    r"^\s*(?:comit[ée]|copil|cotech|tiers-lieu|mous\b|ma[iî]trise d.[œo]e?uvre|instance|groupe de pilotage)"
    r"[^:]{0,80}:\s*\S",
    re.I,
)
MIN_STATEMENT_WORDS = 8


def _is_statement(unit: Unit) -> bool:
    """« Les territoires de Beaurains restent couverts par … » anchored the quarters: a sentence that
    asks nothing, so a sentence beside it may still say the answer."""
    text = unit.text.strip()
    return not unit.bold and "?" not in text and text.endswith(".") and len(text.split()) >= MIN_STATEMENT_WORDS


_CODE_THEN_LABEL = re.compile(r"\b\d\s?[A-G]\s*[:–—-]\s*\S")


def _objective_line(text: str, ambitions: set[str]) -> bool:
    """A line giving an objective whole: an ambition of the contract, then a code and its label."""
    said = f" {normalise(text)} "
    return bool(_CODE_THEN_LABEL.search(text)) and any(f" {n} " in said for n in ambitions)


def _names_quarters_only(line: str, ref: Referentiel) -> bool:
    """« Les Hochettes », « Arras : Baudimont / St Pol, St-Michel » (a commune then its quarters),
    « ● Saint-Michel   ○ Les 4 As » (each after its box)."""
    if len(choices := [c for c in _BOXED.split(line) if c.strip()]) > 1:
        return all(_names_quarters_only(c, ref) for c in choices)
    head, colon, tail = line.partition(":")
    found = resolve_text(tail if colon and len(head.split()) <= 4 and tail.strip() else line, ref)
    return len(line.split()) <= MAX_QUARTER_LINE_WORDS and bool(found.ids) and not found.alertes


def _referent_block(
    units: tuple[Unit, ...], named: Anchor, entete: dict[str, Valeur], anchored: set[int]
) -> dict[str, Valeur]:
    """« Affaire suivie par : Mme X » or « Référente de la fiche » / « X »: the short line under the name is
    the function, the lines after it the e-mail and phone, for the fields no label gave."""
    name_at = named.index + (0 if named.rest else 1)
    found: dict[str, Valeur] = {}
    whole = name_at < len(units) and "," in units[name_at].text  # « Mme X, chargée de … – mél »: all on its line
    if "referent_fonction" not in entete and name_at + 1 not in anchored and not whole:
        found |= referent.function_below(units, name_at)
    if "referent_courriel" not in entete:
        found |= referent.contact_lines(units, name_at + 1 + bool(found))
    return {k: v for k, v in found.items() if k not in entete}
