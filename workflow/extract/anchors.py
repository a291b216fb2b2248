"""Find where questions and labelled fields stand in a document, whatever its layout."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from workflow.parsers.base import Unit
from workflow.text import normalise

_NUMBERING = re.compile(
    r"^\s*(?:(?:question|q)\s*\d+\s*[-–:.)]?|\d+(?:\.\d+)*\s*[-–.)|]|[ivx]+\s*[-–.)]|[a-e]\s*[.)])\s*", re.I
)
_LABEL_SPLIT = re.compile(r"\s*[:：]\s*|\s*\t+\s*")  # « Label : value », a typed form's « LABEL⇥value »
QUESTION_THRESHOLD = 88
LABEL_THRESHOLD = 90
MAX_QUESTION_CHARS = 450
QUESTION_TITLE = "titre"  # a question's own title above it (« 2 | QUARTIERS VISÉS »): ends the answer before it


@dataclass(frozen=True)
class Anchor:
    field: str
    index: int  # position of the unit in the document
    rest: str  # answer text written on the same line, after the question or label
    is_question: bool


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text, count=1)


def match_question(unit: Unit, questions: dict[str, str]) -> tuple[str, str] | None:
    """Return (field, text after the question) when `unit` states one of `questions`."""
    text = strip_numbering(unit.text.strip())
    if not text or len(text) > MAX_QUESTION_CHARS:
        return None
    head, mark, rest = text.partition("?")
    head_n = normalise(head)
    best: tuple[float, str] | None = None
    for field, question in questions.items():
        q_n = normalise(question.partition("?")[0])
        if not head_n or len(head_n) < 0.4 * len(q_n) or len(head_n) > 1.6 * len(q_n):
            continue
        if fuzz.token_set_ratio(head_n, q_n) < QUESTION_THRESHOLD:
            continue
        looks_like_question = (
            bool(mark) or unit.style.lower().startswith(("heading", "titre")) or len(head_n) >= 0.7 * len(q_n)
        )
        if looks_like_question:
            score = fuzz.ratio(head_n, q_n)
            if best is None or score > best[0]:
                best = (score, field)
    return (best[1], without_instruction(rest)) if best else None


def without_instruction(rest: str) -> str:
    """The text after a question, unless it only says how to answer: « ? (choix multiples) »."""
    return "" if re.fullmatch(r"\s*\([^()]*\)\s*", rest) else rest.strip()


_POSSESSIVE = re.compile(r"^(?:sa|son|ses|votre|vos|leur|notre)\s+")


_FOR_WHOM = re.compile(
    r"\s+(?:pour|aupres|vis-a-vis)\s+(?:de\s+)?(?:la|le|du|l)?\s*"
    r"(?:cua|communaute urbaine(?: d'arras)?|contrat(?: de ville)?)$"
)


_PRESS = re.compile(r"\b(?:presse|medias?|journalistes?)\b")


def match_label(unit: Unit, labels: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """Return (field, value after the colon) when `unit` starts with a field label."""
    text = strip_numbering(unit.text.strip())
    parts = _LABEL_SPLIT.split(text, maxsplit=1)
    head = normalise(parts[0])
    if not head or len(head) > 60:
        return None
    rest = parts[1].strip() if len(parts) > 1 else ""
    if _PRESS.search(head):  # « Contact presse : service presse … »: whom journalists call, no field of ours
        return None
    heads = {*(normalise(p) for p in parts[0].split(" / ") if p.strip())}  # « Organisme / Organisation »
    heads.add(normalise(re.sub(r"\s*\([^)]*\)", "", parts[0])))  # « Année de la fiche (campagne) »
    heads.add(_POSSESSIVE.sub("", head))  # « Sa fonction », « Votre courriel »
    heads.add(normalise(re.split(r"\s+[–—]\s+", parts[0], maxsplit=1)[0]))  # « Référent de la fiche – NOM Prénom »
    heads.add(_FOR_WHOM.sub("", head))  # « Référent pour la CUA », « Contact auprès du contrat de ville »
    heads.add(re.sub(r"^nom (?:du|de la|de l) ?", "", head))  # « Nom du référent de la fiche »
    for variants in ({head}, heads):  # the label as written first: « Référent – fonction » is no « Référent »
        for field, names in labels.items():
            if any(normalise(name) in variants for name in names):
                return field, rest
    if len(parts) < 2 or len(head.split()) > 7 or len(head) < 4:  # loose matching: "Label : value" lines
        return None
    first = head.split()[0]
    scored = [
        (
            fuzz.token_set_ratio(head, normalise(name)) >= LABEL_THRESHOLD
            and (len(normalise(name).split()) > 1 or (head.split()[0] == normalise(name) and len(head.split()) <= 3)),
            normalise(name).split()[:1] == [first],
            fuzz.ratio(head, normalise(name)),
            field,
        )
        for field, names in labels.items()
        for name in names
        if normalise(name)
    ]
    best = max(scored, default=(False, False, 0.0, ""))  # the label's leading word decides between subsets
    return (best[3], rest) if best[0] else None


def find_anchors(
    units: tuple[Unit, ...], questions: dict[str, str], labels: dict[str, tuple[str, ...]]
) -> list[Anchor]:
    """Return the question anchors, and the label anchors standing before the first question."""
    anchors: list[Anchor] = []
    seen_question = False
    exact = {normalise(name): field for field, names in labels.items() for name in names}
    for i, unit in enumerate(units):
        head = normalise(strip_numbering(unit.text.strip()).partition(":")[0])
        if not seen_question and head in exact:  # a field's own label is never a question
            anchors.append(Anchor(exact[head], i, unit.text.partition(":")[2].strip(), False))
            continue
        found = match_question(unit, questions)
        if found:
            seen_question = True
            anchors.append(Anchor(found[0], i, found[1], True))
            continue
        label = None if seen_question else match_label(unit, labels)
        if label:
            anchors.append(Anchor(label[0], i, label[1], False))
    return _first_per_field(anchors)


def label_anchors(
    units: tuple[Unit, ...], labels: dict[str, tuple[str, ...]], page_header: bool = False
) -> list[Anchor]:
    """Return the first unit labelled with each field ("Organisme : …", a label cell); a line holding
    several « Label : valeur » separated by tabs gives each of them. The page header counts only
    when asked (some partners put the identification there); page footers never do."""
    found = []
    for i, unit in enumerate(units):
        if unit.where.startswith("pied de page") or (unit.where.startswith("en-tête") and not page_header):
            continue
        pieces = [p for p in _label_pieces(unit.text, labels) if p.strip()] if ":" in unit.text else []
        several = sum(":" in p for p in pieces) > 1
        for piece in pieces if several else [unit.text]:
            label = match_label(replace(unit, text=piece), labels)
            if label:
                found.append(Anchor(label[0], i, label[1], False))
    weak = {a.index for a in found if _LETTERHEAD_LABEL.match(units[a.index].text)}
    weak |= {  # « Référent de la fiche | Nom | Mme … »: the group's title gives way to the label beside it
        a.index
        for a, b in itertools.pairwise(found)
        if a.field == b.field
        and b.index == a.index + 1
        and units[a.index].table is not None
        and _same_row(units[b.index], units[a.index])
    }
    weak |= {a.index for a in found if _in_header_row(units, a.index)}  # « Étape | Nom | Fonction | Date »
    beside = {  # a label cell with its value in the next cell of its row
        a.index
        for a in found
        if units[a.index].table is not None
        and a.index + 1 < len(units)
        and _same_row(units[a.index + 1], units[a.index])
        and not _same_cell(units[a.index + 1], units[a.index])
        and units[a.index + 1].text.strip()
    }
    kept = _first_per_field(found, weak, beside)
    named = next((units[a.index].table for a in kept if a.field == "referent_nom"), None)
    # « Étape | Nom | Fonction | Date » over its rows, the referent named elsewhere: a list of people, no referent
    return [a for a in kept if not (_in_header_row(units, a.index) and units[a.index].table != named)]


# « Affaire suivie par : » in a letter's head names who typed the letter: the form's own label wins
_LETTERHEAD_LABEL = re.compile(r"^\s*(?:affaire|dossier)\s+suivie?\s+par\b", re.I)


def _label_pieces(text: str, labels: dict[str, tuple[str, ...]]) -> list[str]:
    """Cut a line holding several « Label : valeur » (tabs, or a PDF that joined them) before each label."""
    names = sorted({n for names in labels.values() for n in names if len(n) >= 3}, key=len, reverse=True)
    starts = r"|".join(re.escape(n) for n in names)
    return re.split(rf"\t+|\s{{4,}}|\s+(?=(?:{starts})\s*:)", text, flags=re.I)


def _first_per_field(
    anchors: list[Anchor], weak: set[int] | None = None, valued: set[int] | None = None
) -> list[Anchor]:
    """Keep one anchor per field: the first with a value on its line, else the first (a sub-heading
    « Référent » followed by « Nom : … » gives way to the labelled line); a `weak` one gives way to
    a later one with its value, on its line or (`valued`) in the cell beside it."""
    kept: dict[str, Anchor] = {}
    for anchor in anchors:
        held = kept.get(anchor.field)
        yields = held is not None and held.index in (weak or set()) and anchor.index not in (weak or set())
        beside = held is not None and anchor.index == held.index + 1
        labelled_later = not held.rest and anchor.rest and not held.is_question if held is not None else False
        if held is None or labelled_later or (yields and (anchor.rest or beside or anchor.index in (valued or set()))):
            kept[anchor.field] = anchor
    return sorted(kept.values(), key=lambda a: a.index)


# how a contact block's lines read: an e-mail address, a French phone number
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,}|[A-Z]{2,})(?![a-z])")  # not « …caf.frLigne »
PHONE = re.compile(r"(?:\+33\s?|0)\d(?:[\s.]?\d{2}){4}\b|\b\d{2}\s\d{2}\b(?=\s*$)")

_NUMBER_ONLY = re.compile(r"^\s*(?:n°|no|q?\d{1,2})\s*[.)]?\s*$", re.I)
_CLOSING = re.compile(
    r"^\s*(?:.{0,60}\b(?:nous vous prions|je vous prie|veuillez agr)|dans l.attente|(?:bien )?cordialement|"
    r"fait [àa] |cop(?:ie|ies) ?(?::|à)|p\.\s?j\.|pi[èe]ces? jointes?|(?:le|la) (?:maire|pr[ée]sidente?)\s*,|"
    r"\(?signature|visa\b|(?:cadre|partie|zone) r[ée]serv[ée]e? [àa] |(?:formulaire|fiche) g[ée]n[ée]r[ée]e? le|"
    r"pour (?:le|la) (?:maire|pr[ée]sident|directeur|directrice)|document (?:établi|etabli)|"
    r"[A-ZÉ][\w' -]{1,40}, le \d{1,2}(?:er)?(?: |[/.]\d)|.{0,60}\b(?:transmis|établi|etabli|envoyé|rédigé) le \d|"
    r"(?:merci(?: beaucoup| d'avance| par avance)?(?: et)?(?: (?:une )?bonne (?:journée|soirée|fin de journée))?|"
    r"bonne (?:journée|soirée)|bien à vous|(?:sincères |meilleures )?salutations|à bientôt)\s*[,.!]*\s*$)",
    re.I,
)


MAX_QUESTION_LINES = 3
MAX_TAIL_WORDS = 15  # a question's end a PDF set on the answer's line (« … structurantes ? Réponse : … »)


def continuation(units: tuple[Unit, ...], index: int, end: int) -> int:
    """Return how many units after a question go on with it: a PDF cuts a long heading into lines,
    each set like the first, until one ends the question (« ? » or « : »)."""
    here = units[index]
    count = 0
    text = here.text.rstrip()
    while count < MAX_QUESTION_LINES and not text.endswith(("?", ":")) and index + count + 1 < end:
        nxt = units[index + count + 1]
        same_look = (nxt.style, nxt.bold, nxt.table) == (here.style, here.bold, here.table) and (
            here.bold or here.style or nxt.text[:1].islower()  # « … dans les quartiers » ⏎ « prioritaires de … ? »
        )
        if not same_look or len(nxt.text.split()) > 30:
            break
        count += 1
        text = nxt.text.rstrip()
    return count if text.endswith(("?", ":")) else 0


_VOID = re.compile(  # « Néant pour cette campagne »: nothing, said with its circumstance
    r"^\s*(?:sans objet|votre r[ée]ponse|n[ée]ant(?:\s+(?:pour|[àa]|en)\s+[^.;:]{1,30})?|non concern[ée]e?s?|"
    r"n\s*/\s*a|[-–—/:.…_]+)\s*\.?\s*$",
    re.I,
)


def is_void(text: str) -> bool:
    """« Sans objet », « Néant », « — »: a partner's way of leaving an answer empty."""
    return bool(_VOID.match(text))


# « Réponse : … », « Votre réponse 2027 : … » say nothing; « Rappel de votre réponse 2024 : … » is last campaign's
ANSWER_LABEL = re.compile(r"^\s*(?:votre |notre |nos )?r[ée]ponses?(?:\s+(?:de\s+|pour\s+)?20\d\d)?\s*:\s*", re.I)
_EARLIER_ANSWER = re.compile(r"^\s*(?:(?:pour\s+)?rappel|pour\s+m[ée]moire)\b[^:]{0,40}:", re.I)


def _numbering_cell(unit: Unit) -> bool:
    """A « N° » column's cell (« 4 »): the number of the next question, not an answer."""
    return unit.col == 1 and bool(_NUMBER_ONLY.match(unit.text))


def is_closing(text: str) -> bool:
    """Whether a line closes a letter or a form (salutation, « Fait à », signature, dated place)."""
    return bool(_CLOSING.match(text))


def is_running(unit: Unit) -> bool:
    """Whether a unit is a page header, footer or note, never part of an answer."""
    return unit.where.startswith(("en-tête", "pied de page", "notes"))


def _heads_a_column(units: tuple[Unit, ...], anchors: list[Anchor], index: int) -> bool:
    """Whether a label or question cell heads a column: the next cell on its row is another label
    (« Organisme | Campagne | Référent », one column per question), or it is the row's last cell (a
    « Remarques » column aside) and the one before it is a label. « Organisme | CAF | Campagne | 2026 »
    reads across instead."""
    here = units[index]
    anchored = {a.index for a in anchors if a.field != QUESTION_TITLE}  # « Q1 | Parmi les interventions… ? »
    row = [i for i in range(max(0, index - 60), min(len(units), index + 60)) if _same_row(units[i], here)]
    right = [
        i
        for i in row
        if (units[i].col or 0) > (here.col or 0) and units[i].text.strip() and not ASIDE_COLUMN.match(units[i].text)
    ]
    questions = {a.index for a in anchors if a.is_question}
    if here.row == min((u.row or 0) for u in units if u.table == here.table) and len(questions & set(row)) >= 2:
        return True  # « Dispositif | Quartiers | Qui nous représente | Objectifs »: one question per column
    if right:
        return min(right, key=lambda i: units[i].col or 0) in anchored or _in_header_row(units, index)
    left = [i for i in row if (units[i].col or 0) < (here.col or 0) and units[i].text.strip()]
    return bool(left) and max(left, key=lambda i: units[i].col or 0) in anchored


def _in_header_row(units: tuple[Unit, ...], index: int) -> bool:
    """A cell of a table's first row of headings (all bold, or all a word or two as a PDF gives them),
    over two rows or more: it names a column (a list of people, say), not one value."""
    here = units[index]
    if here.table is None:
        return False
    cells = [u for u in units if u.table == here.table]
    first = [u for u in cells if u.row == here.row and u.text.strip()]
    rows = {u.row or 0 for u in cells}
    headings = all(u.bold for u in first) or all(_COLUMN_HEADING.match(u.text) for u in first)
    return (here.row or 0) == min(rows) and len(rows) >= 3 and len(first) >= 3 and headings


_COLUMN_HEADING = re.compile(r"^\s*[^\W\d]+(?:[ '’-][^\W\d]+)?\s*$")  # « Étape », « Nom », « Fonction occupée »


def _same_cell(unit: Unit, here: Unit) -> bool:
    return (unit.table, unit.row, unit.col) == (here.table, here.row, here.col)


def _same_row(unit: Unit, here: Unit) -> bool:
    return unit.table == here.table and unit.row == here.row


def _column_below(units: tuple[Unit, ...], anchors: list[Anchor], index: int) -> list[Unit]:
    """Return the cells under a header cell, in its column, down to the next anchored cell."""
    here = units[index]
    anchored = {a.index for a in anchors}
    found = []
    for i in range(index + 1, min(len(units), index + 2000)):
        unit = units[i]
        if unit.table != here.table:
            if unit.table is None:
                break
            continue  # a nested table's cells go on
        if unit.col == here.col and (unit.row or 0) > (here.row or 0):
            if i in anchored:
                break
            if unit.text.strip() and not is_void(unit.text) and not _void_row(units, i):
                found.append(unit)
    return found


def _void_row(units: tuple[Unit, ...], index: int) -> bool:
    """A row whose other answer cells all say « Sans objet » (a quarter where nothing is done)."""
    here = units[index]
    header = {u.col: u.text for u in units[max(0, index - 400) : index] if u.table == here.table and u.row == 1}
    others = [
        u.text
        for u in units[max(0, index - 40) : index + 40]
        if _same_row(u, here) and u.col != here.col and u.text.strip() and not ASIDE_COLUMN.match(header.get(u.col, ""))
    ]
    return bool(others) and all(is_void(t) for t in others)


_ANSWER_COLUMN = re.compile(r"r[ée]ponses?\b", re.I)
ASIDE_COLUMN = re.compile(  # a column beside the answers: « Remarques », « Action du parquet (pour information) »
    r"^\s*(?:(?:remarques?|observations?|commentaires?|notes?|pr[ée]cisions?)\b|.*\bpour information\b)", re.I
)
RECALL_COLUMN = re.compile(  # « Pour mémoire : votre réponse 2024 »: last campaign's answer, shown, not given
    r"\b(?:pour m[ée]moire|rappel|pr[ée]c[ée]dente?|ancienne|initiale)\b", re.I
)


def _row_after(units: tuple[Unit, ...], index: int) -> list[Unit]:
    """Return the units of the cells right of a table cell, on its row: only the « Réponse » column when
    the table's header row names one, never a « Remarques » column."""
    here = units[index]
    header = {u.col: u.text for u in units[max(0, index - 400) : index] if u.table == here.table and u.row == 1}
    aside = {c for c, t in header.items() if ASIDE_COLUMN.match(t) or RECALL_COLUMN.search(t)}
    answer = [c for c, t in header.items() if _ANSWER_COLUMN.search(t) and c not in aside]
    return [
        u
        for u in units[index + 1 : index + 200]
        if u.table == here.table
        and u.row == here.row
        and (u.col or 0) > (here.col or 0)
        and u.text.strip()
        and not is_void(u.text)
        and (u.col in answer if answer else u.col not in aside)
    ]


def _over_the_page(units: tuple[Unit, ...], index: int, end: int, row: list[Unit]) -> list[Unit]:
    """A table's last row that a page cut: the next table repeats the header, then goes on with a row
    whose first cell is empty; its cells belong to the row, a line going on in lower case to its last cell."""
    here = units[index]
    after = units[index + 1 : end]
    if any(u.table == here.table and (u.row or 0) > (here.row or 0) for u in after):
        return row
    following = next((u.table for u in after if u.table is not None and u.table != here.table), None)
    cells = [u for u in after if u.table == following and following is not None]
    header = [normalise(u.text) for u in units[:index] if u.table == here.table and u.row == 1]
    if [normalise(u.text) for u in cells if u.row == 1] == header:
        cells = [u for u in cells if u.row != 1]
    first_row = [u for u in cells if u.row == min((c.row or 0 for c in cells), default=0)]
    if not first_row or any(u.col == 1 and u.text.strip() for u in first_row):
        return row
    rest = [u for u in first_row if (u.col or 0) > 1 and u.text.strip()]
    if rest and rest[0].text[:1].islower():
        last = row[-1]
        lead, _, tail = rest[0].text.partition("\n")
        row = [*row[:-1], replace(last, text=f"{last.text.rstrip()} {lead}")]
        rest = [replace(rest[0], text=tail), *rest[1:]] if tail.strip() else rest[1:]
    return row + rest


def _same_rubric(units: tuple[Unit, ...], index: int, end: int) -> list[Unit]:
    """The rows under a question cell that repeat it (« Q3 Gouvernance | Agent 1 – nom | … », one row
    per field, as a spreadsheet exports): they answer it too."""
    here = units[index]
    found: list[Unit] = []
    for i in range(index + 1, end):
        unit = units[i]
        if unit.table != here.table:
            break
        if unit.col == here.col and unit.row != here.row:
            if normalise(unit.text) != normalise(here.text):
                break
            found += _row_after(units, i)
    return found


def segment(units: tuple[Unit, ...], anchors: list[Anchor], anchor: Anchor) -> list[Unit]:
    """Return the units answering `anchor`: those up to the next anchor, or the label's value."""
    following = [a.index for a in anchors if a.index > anchor.index]
    end = min(following) if following else len(units)
    here = units[anchor.index]
    nxt = units[anchor.index + 1] if anchor.index + 1 < end else None
    if here.table is not None and nxt is not None and _same_cell(nxt, here):  # a title, its answer under it in the cell
        in_cell = [u for u in units[anchor.index + 1 : end] if _same_cell(u, here)]
        if not anchor.is_question:
            return [] if anchor.rest else in_cell[:1]
        return [u for u in in_cell if u.text.strip() and not is_void(u.text) and not is_closing(u.text)]
    if here.table is not None and _heads_a_column(units, anchors, anchor.index):
        return _column_below(units, anchors, anchor.index)  # labels side by side, answers under them
    if anchor.is_question:
        if here.table is not None and (row := _row_after(units, anchor.index)):
            row = _over_the_page(units, anchor.index, end, row)
            return row + _same_rubric(units, anchor.index, end)  # a label | value row, never the next rows

        found = []
        start = anchor.index + 1 + continuation(units, anchor.index, end)
        for n, unit in enumerate(units[start:end]):
            if is_closing(unit.text):
                break
            if n == 0 and "?" not in units[start - 1].text and "?" in unit.text:
                head, _, after = unit.text.partition("?")  # the question's last words, then its answer
                unit = replace(unit, text=after) if len(head.split()) <= MAX_TAIL_WORDS else unit
            if _EARLIER_ANSWER.match(unit.text):
                continue
            unit = replace(unit, text=ANSWER_LABEL.sub("", unit.text.lstrip(" :"), count=1))
            if unit.text.strip() and not is_running(unit) and not _numbering_cell(unit) and not is_void(unit.text):
                found.append(unit)
        return found
    if anchor.rest or nxt is None:
        return []
    if here.table is not None and nxt.table == here.table and nxt.row == here.row:  # the whole value cell
        return [u for u in units[anchor.index + 1 : end] if (u.table, u.row, u.col) == (nxt.table, nxt.row, nxt.col)]
    if here.table is None and nxt.table is not None and all(u.col == 1 for u in units if u.table == nxt.table):
        return [nxt]  # « Contact » over a box of one column: its first line
    if here.table is None or nxt.table != here.table:
        return [nxt] if here.table is None and nxt.table is None else []
    beside = nxt.row == here.row
    below = nxt.row == (here.row or 0) + 1 and nxt.col == here.col
    return [nxt] if beside or below else []


def unplaced(units: tuple[Unit, ...], anchors: list[Anchor]) -> list[Unit]:
    """Return the text after the first question that no anchor's answer took, up to the closing
    lines: kept for a person to read rather than put under a neighbouring question."""
    questions = [a for a in anchors if a.is_question]
    if not questions:
        return []
    taken = {u.where for a in questions for u in segment(units, anchors, a)}  # segments may rewrite a unit
    taken |= {units[a.index].where for a in anchors}
    out = []
    for unit in units[min(a.index for a in questions) :]:
        if is_closing(unit.text):
            break
        if unit.where in taken or is_running(unit) or not unit.text.strip() or _numbering_cell(unit):
            continue
        out.append(unit)
    return out
