"""Anchor a form's questions on a document's text units by meaning, then align them as a whole.

Each question is told by its key nouns (`Indices`: the head noun and the words confirming it), by
what the layout says of the unit (a heading, bold, numbered, a table's label cell, a question mark)
and, when the question was copied, by its closeness to our wording. Every unit that could state a
question is scored; the anchors kept are the set that maximises the total score with each question
at most once, the expected order being a prior (READING.md §§ 2-3). A unit that no question
explains with enough evidence is never taken for one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz

from workflow.extract.anchors import (
    ANSWER_LABEL,
    QUESTION_TITLE,
    Anchor,
    label_anchors,
    strip_numbering,
    without_instruction,
)
from workflow.parsers.base import Unit
from workflow.referentiel.model import Indices
from workflow.text import normalise

MAX_WORDS = 25  # a question retyped by a partner; an answer sentence is usually longer
SHORT = 5  # a title this short needs no confirming word (« Objectifs », « 5 – Quartiers visés »)
OUT_OF_ORDER = 0.25  # the cost of a question met before one that precedes it on our form
MIN_SCORE = 1.5
NOT_HEAD = 0.7  # « Quartiers d'intervention » is about quarters, not interventions
TITLE = 1.0  # a line naming the contract without asking anything titles the document, not a question
_CONTENTS_LINE = re.compile(r"(?:\t|\.{3,}|…+|_{3,})\s*\d{1,3}\s*$")
_CONTRACT = re.compile(r"coeur de quartier|contrat de ville")
_FORM_TITLE = re.compile(r"(?:fiche|questionnaire|formulaire|dossier|lettre)s? d(?:e|u|es)?\s*(?:l\s+)?engagements?\b")
_CODE = re.compile(r"\b\d{1,2}\s?[A-G]\b(?![\w'’])")
_NUMBERED = re.compile(r"^\s*(?:(?:question|q)\s*\d+|\d+(?:\.\d+)*|[ivx]+|[a-h])\s*[-–—:.)|]", re.I)


class Question(Protocol):
    """What alignment needs of a question or a section: its id, our wording and its key words."""

    @property
    def id(self) -> str: ...
    @property
    def texte(self) -> str: ...
    @property
    def indices(self) -> Indices: ...


@dataclass(frozen=True)
class Candidate:
    """A unit that may state a question, with the evidence for it."""

    index: int
    field: str
    score: float
    rest: str  # answer text on the same line, after the question


def question_candidates(
    units: tuple[Unit, ...], questions: Sequence[Question], headings: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Return every (unit, question) pair with enough evidence that the unit states the question;
    `headings`: the contract's own headings (« Quartier de plein emploi »), inside answers, never questions."""
    found = []
    answers = _answer_cells(units, questions)
    for i, unit in enumerate(units):
        if not _may_be_question(unit) or normalise(strip_numbering(unit.text)).removeprefix("ambition ") in headings:
            continue
        if i in answers:
            continue
        if (numbered := _ANSWER_NUMBER.match(unit.text)) and 1 <= int(numbered.group(1)) <= len(questions):
            found.append(Candidate(i, questions[int(numbered.group(1)) - 1].id, ANSWER_NUMBER_SCORE, ""))
            continue  # « Réponse n° 3 »: the answer to our third question, not restated
        head, rest = _split_question(unit.text)
        topic = bool(_topic(strip_numbering(unit.text.strip()))) and "?" not in unit.text
        titled = topic or _titled(unit, units, i)
        text = normalise(head)
        heads = {q.id: _head_position(text, q.indices.noyau) for q in questions}
        first = min((p for p in heads.values() if p is not None), default=None)
        # « Engagement de la Caf dans le contrat de ville », « Fiche d'engagement »
        title = "?" not in unit.text and (_CONTRACT.search(text) or _FORM_TITLE.match(text))
        for question in questions:
            score = _score(text, question, heads[question.id], titled, topic, "?" in unit.text)
            score -= TITLE if title else 0.0
            if heads[question.id] != first:  # the line is about another question's noun first
                score -= NOT_HEAD
            if score >= MIN_SCORE:
                found.append(Candidate(i, question.id, score, rest))
    return found


_ANSWER_NUMBER = re.compile(r"^\s*r[ée]ponse\s*(?:n\s*°|n°|no\.?)?\s*(\d{1,2})\s*[.:)–-]?\s*$", re.I)
ANSWER_NUMBER_SCORE = 2.0


def _answer_cells(units: tuple[Unit, ...], questions: Sequence[Question]) -> set[int]:
    """The cells right of a sub-field's label (« Intitulé | Nos Quartiers d'Été »): an answer, whatever
    it says."""
    names = {normalise(n) for q in questions for c in getattr(q, "colonnes", ()) for n in (c.libelle, *c.alias)}
    left = {(u.table, u.row, u.col): normalise(u.text).rstrip(" :") for u in units if u.table is not None}
    return {
        i
        for i, u in enumerate(units)
        if u.table is not None and (u.col or 0) > 1 and left.get((u.table, u.row, (u.col or 0) - 1)) in names
    }


def _may_be_question(unit: Unit) -> bool:
    text = unit.text.strip()
    if not text or unit.where.startswith(("en-tête", "pied de page")) or _CONTENTS_LINE.search(text):
        return False  # a table of contents names the questions, its page numbers after them
    if _topic(text):  # a letter's topic: « Quant aux objectifs du contrat, … 1A … »
        return True
    if _TICKED_FIRST.match(text):  # « ● quartier ciblé … ○ couvert … »: a ticked choice or its legend, no question
        return False
    head = text.partition("?")[0]
    if len(head.split()) > MAX_WORDS:
        return False
    asked, colon, _ = head.partition(":")  # « Q5 - Objectifs : quartier apaisé, 3B … »: codes after the colon
    head = asked if colon and len(asked.split()) <= SHORT + 2 else head
    # Word's automatic numbering makes headings list items too; « ▸ Bus de l'emploi – … » is an item
    listed = (unit.is_list or bool(_BULLET_FIRST.match(text))) and not unit.bold
    return "?" in text or not (listed or _CODE.search(head) or "@" in head)


_BULLET_FIRST = re.compile(r"^\s*[•◦▪‣▸►▹➤❯◆◇]\s")
_TICKED_FIRST = re.compile(r"^\s*(?:[●○◉◯☐☒☑□■✓✔✗✘]|\[\s*[xX✓✔]?\s*\])")
_TOPIC = re.compile(
    r"^\s*(?:enfin\s*,\s*|par ailleurs\s*,\s*)?(?P<topic>(?:concernant|s['’]agissant d[eu']|"
    r"pour ce qui (?:est|concerne)|en ce qui concerne|quant [àa]ux?|pour (?:la|le|les|nos)|sur (?:la|le|les))"
    r"\b[^,:;.]{2,120}?)\s*[,:.]\s*(?P<rest>.+)$",
    re.I | re.S,
)


# « Les quartiers concernés. Nos engagements portent sur … »: a letter's paragraph led in by its topic
_LEAD_IN = re.compile(r"^\s*(?P<topic>[A-ZÀ-Þ][^.:;?!]{2,70}?)\.\s+(?P<rest>[A-ZÀ-Þ«].+)$", re.S)
LEAD_IN_WORDS = 7


def _topic(text: str) -> re.Match[str] | None:
    if topic := _TOPIC.match(text):
        return topic
    lead_in = _LEAD_IN.match(text)
    return lead_in if lead_in and len(lead_in.group("topic").split()) <= LEAD_IN_WORDS else None


def _split_question(text: str) -> tuple[str, str]:
    """Return (question, answer after it): the answer follows a question mark or a colon, or, in a
    letter, the topic a sentence opens with (« Concernant les quartiers, nos engagements portent… »)."""
    text = strip_numbering(text.strip())
    if (topic := _topic(text)) and "?" not in text:  # the sentence is the answer, its opener too,
        if text[topic.end("topic") :].lstrip().startswith("."):  # a lead-in titles it: « Sur le territoire. Nos … »
            return topic.group("topic"), topic.group("rest").strip()
        return topic.group("topic"), "" if text.endswith(":") else text  # « …, nous retenons : » announces
    head, mark, rest = text.partition("?")
    if mark:
        return head, ANSWER_LABEL.sub("", without_instruction(rest).strip(" :"), count=1)
    head, tab, rest = text.partition("\t")  # a typed form: « 4. ENGAGEMENTS⇥Maintien des crédits … »
    if tab and rest.strip() and len(head.split()) <= SHORT:
        return (text, "") if rest.lstrip().startswith("(") else (head, rest.strip())  # « ⇥(OUI / NON) »: its own
    head, colon, rest = text.partition(":")
    if colon and len(head.split()) <= MAX_WORDS:
        return head, rest.strip()
    return text, ""


def _titled(unit: Unit, units: tuple[Unit, ...], i: int) -> bool:
    """Whether the layout presents the unit as a question or a title, not as running text."""
    text = unit.text.strip()
    if unit.style.lower().startswith(("heading", "titre", "title")) or unit.bold:
        return True
    if text.endswith(("?", ":")) or _NUMBERED.match(text):
        return True
    if len(text.split()) <= 3 and not text.endswith((".", ";", ",")):  # a line of its own: « Objectifs »
        return True
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return True
    if unit.table is not None:  # a label cell: others follow on its row, or it heads its table
        neighbours = [u for u in units[i + 1 : i + 4] if u.table == unit.table]
        return any(u.row == unit.row for u in neighbours) or unit.row == 1
    return False


_WORD = re.compile(r"[a-z0-9]+(?:-[0-9]+)?")


@lru_cache(maxsize=1 << 14)
def _words(text: str) -> tuple[str, ...]:
    """Return the words of a normalised text, "2024-2030" as one."""
    return tuple(_WORD.findall(text))


@lru_cache(maxsize=1 << 16)
def _head_position(text: str, noyau: tuple[str, ...]) -> int | None:
    """Return where a question's head noun first stands in normalised `text`, or None."""
    positions = [p for p in (_has(text, k) for k in noyau) if p is not None]
    return min(positions, default=None)


@lru_cache(maxsize=1 << 16)
def _confirming(text: str, precisions: tuple[str, ...]) -> int:
    """Return how many of a question's confirming words normalised `text` holds."""
    return sum(_has(text, k) is not None for k in precisions)


@lru_cache(maxsize=1 << 16)
def _has(text: str, key: str) -> int | None:
    """Return the position of the first word of normalised `text` starting with `key` (or holding
    it, for "2024-2030")."""
    if not key.isalpha():
        return 0 if key in text else None
    fuzzy = len(key) >= 7
    for n, word in enumerate(_words(text)):
        if word.startswith(key) or (
            fuzzy and len(word) >= 6 and word not in _REAL_WORDS and _close(word[: len(key)], key)
        ):
            return n
    return None


_REAL_WORDS = frozenset({"contact", "contacts"})  # a word of its own, no misspelt « contrat »


@lru_cache(maxsize=1 << 16)
def _close(start: str, key: str) -> bool:
    """Tell whether a word's start is a light misspelling of `key`."""
    return fuzz.ratio(start, key) >= 85


@lru_cache(maxsize=256)
def _wording(texte: str) -> str:
    return normalise(texte.partition("?")[0])


def _score(
    text: str, question: Question, head: int | None, titled: bool, topic: bool = False, question_mark: bool = False
) -> float:
    """Return the evidence that normalised `text` states `question`, its head noun standing at `head`."""
    words = _words(text)
    confirming = _confirming(text, question.indices.precisions)
    if head is None:  # a question or a letter's topic may name only what confirms it (« Que prévoyez-vous … 2030 ? »)
        if (
            confirming == 1 and titled and len(words) <= SHORT + 1
        ):  # « Dans les instances », « Nos leviers structurants »
            return MIN_SCORE + 0.05
        if confirming < 2 or not (topic or question_mark or titled):
            return 0.0
        return 1.0 + 0.6 * confirming + (0.5 if question_mark else -0.3)
    asked = text.rstrip().endswith("?") or question_mark  # a question, however reworded
    if not confirming and not (titled and (len(words) <= SHORT or asked)):
        return 0.0
    score = 1.0 + 0.6 * min(confirming, 2) + (0.8 if titled else 0.0) + (0.3 if head <= 3 else 0.0)
    wording = _wording(question.texte)
    if len(text) >= 0.5 * len(wording):
        score += 2.0 * max(0.0, _closeness(text, wording) - 70) / 30
    return score


@lru_cache(maxsize=1 << 16)
def _closeness(text: str, wording: str) -> float:
    return fuzz.token_set_ratio(text, wording)


def align(candidates: list[Candidate], order: tuple[str, ...]) -> list[Candidate]:
    """Return the candidates kept: each question once, each unit once, the best total score.

    A dynamic programme over the units in document order, its state being the questions already
    placed and the last one's rank on our form (to charge a question met out of order).
    """
    rank = {field: n for n, field in enumerate(order)}
    by_unit: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_unit.setdefault(candidate.index, []).append(candidate)
    best: dict[tuple[int, int], tuple[float, tuple[Candidate, ...]]] = {(0, -1): (0.0, ())}
    for index in sorted(by_unit):
        before = list(best.items())
        for candidate in by_unit[index]:
            bit, placed = 1 << rank[candidate.field], rank[candidate.field]
            for (mask, last), (total, chosen) in before:
                if mask & bit:
                    continue
                gain = total + candidate.score - (OUT_OF_ORDER if placed < last else 0.0)
                key = (mask | bit, placed)
                if key not in best or best[key][0] < gain:
                    best[key] = (gain, (*chosen, candidate))
    return list(max(best.values(), key=lambda v: v[0])[1])


REFERENT_BLOCK = 12  # units after a closing referent label where its function, e-mail and phone stand


def questionnaire_anchors(
    units: tuple[Unit, ...],
    questions: Sequence[Question],
    labels: dict[str, tuple[str, ...]],
    headings: frozenset[str] = frozenset(),
) -> list[Anchor]:
    """Return the questions anchored by alignment, and the header labels standing before them."""
    candidates = question_candidates(units, questions, headings)
    order = tuple(q.id for q in questions)
    kept = _in_question_column(units, align(candidates, order), order, candidates)
    first = min((c.index for c in kept), default=len(units))
    header = label_anchors(units[:first], labels)
    known = {a.field for a in header}
    last = max((c.index for c in kept), default=len(units))
    closing = [  # « Rédacteur de la fiche » after the last answer: the referent named at the end
        replace(a, index=a.index + last + 1)
        for a in label_anchors(units[last + 1 :], {k: v for k, v in labels.items() if k == "referent_nom"})
        if a.field not in known
        and (units[a.index + last + 1].bold or units[a.index + last + 1].table is not None or a.rest)
    ]
    known |= {a.field for a in closing}
    if closing:  # the referent's other labels beside or under the name (« Nom | Fonction | Courriel »)
        start = closing[0].index
        details = {k: v for k, v in labels.items() if k.startswith("referent_") and k not in known}
        closing += [
            replace(a, index=a.index + start)
            for a in label_anchors(units[start : start + REFERENT_BLOCK], details)
            if a.index > 0
        ]
        known |= {a.field for a in closing}
    in_page_header = [  # identification typed in the page header (Word's header part) only
        a
        for a in label_anchors(units, labels, page_header=True)
        if a.field not in known and units[a.index].where.startswith("en-tête")
    ]
    asked = kept + _repeats(units, candidates, kept)
    return sorted(
        header
        + closing
        + in_page_header
        + _titles(units, candidates, kept)
        + [Anchor(c.field, c.index, c.rest, True) for c in asked]
        + _other_questions(units, candidates, asked),
        key=lambda a: a.index,
    )


MIN_OWN_QUESTION_WORDS = 4


def _other_questions(units: tuple[Unit, ...], candidates: list[Candidate], kept: list[Candidate]) -> list[Anchor]:
    """Questions of the partner's own between ours, set as headings (« Q5. Le PFIDASS, c'est une
    intervention de plus ? »): one that the question above could ask again (« Faut-il aussi rattacher …
    à un objectif ? » under the objectives) goes on with it; any other ends the answer above, for its
    own answer is to none of our questions."""
    taken = {c.index for c in kept}
    naming = {(c.index, c.field) for c in candidates}
    found = []
    for i, unit in enumerate(units):
        text = unit.text.strip()
        if i in taken or unit.table is not None or not text.endswith("?") or len(text.split()) > MAX_WORDS:
            continue
        if not (unit.bold or unit.style.lower().startswith(("heading", "titre"))) or unit.is_list:
            continue
        if len(text.split()) < MIN_OWN_QUESTION_WORDS or not text[:1].isupper():
            continue  # « Où ? » restates ours; « l'agent) ? » ends ours, wrapped by a PDF
        above = max((c for c in kept if c.index < i), key=lambda c: c.index, default=None)
        if above is None:
            continue
        going_on = (i, above.field) in naming
        found.append(Anchor(above.field, i, "", True) if going_on else Anchor(QUESTION_TITLE, i, "", False))
    return found


MIN_COLUMN_ANCHORS = 2
_NUMBER_TITLE = re.compile(
    r"^\s*(?:question|q)\s*(?:n°\s*)?\d{1,2}(?:\s*/\s*\d{1,2})?\s*[.:)–-]?\s*$", re.I
)  # « QUESTION 2 / 5 »


def _in_question_column(
    units: tuple[Unit, ...], kept: list[Candidate], order: tuple[str, ...], candidates: list[Candidate]
) -> list[Candidate]:
    """A table whose first column asks the questions, however reworded (« Où ? », « Ce que nous ferons
    d'ici 2030 »), the answers beside them: once two questions are anchored in that column, a cell of
    the answer column is no question, and the rows left between two anchors take the questions missing
    between them in our order, when there are exactly as many rows as questions."""
    by_column: dict[tuple[int, int], list[Candidate]] = {}
    for c in kept:
        unit = units[c.index]
        if unit.table is not None and unit.col is not None and _beside(units, c.index) and _ends_cell(units, c.index):
            by_column.setdefault((unit.table, unit.col), []).append(c)
    column = max(by_column, key=lambda k: len(by_column[k]), default=None)
    if column is None or len(by_column[column]) < MIN_COLUMN_ANCHORS:
        return kept
    table, col = column
    right = [c for c in kept if units[c.index].table == table and (units[c.index].col or 0) > col]
    kept = [c for c in kept if c not in right] + [  # « Trois interventions sont retenues : » beside its question
        max(same, key=lambda c: c.score)
        for r in right
        if (
            same := [c for c in candidates if c.field == r.field and _same_row_col(units[c.index], units[r.index], col)]
        )
    ]
    kept.sort(key=lambda c: c.index)
    rows = [
        i for i, u in enumerate(units) if u.table == table and u.col == col and u.text.strip() and _beside(units, i)
    ]
    anchored = sorted(c.index for c in kept if c.index in rows)
    rank = {field: n for n, field in enumerate(order)}
    by_index = {c.index: c for c in kept}
    placed = {c.field for c in kept}
    added = []
    for before, after in itertools.pairwise(anchored):
        low, high = rank[by_index[before].field], rank[by_index[after].field]
        missing = [f for f in order[low + 1 : high] if f not in placed]
        free = [i for i in rows if before < i < after]
        if missing and len(missing) == len(free):
            added += [Candidate(i, field, MIN_SCORE, "") for i, field in zip(free, missing, strict=True)]
    return sorted(kept + added, key=lambda c: c.index)


def _same_row_col(unit: Unit, other: Unit, col: int) -> bool:
    return unit.table == other.table and unit.row == other.row and unit.col == col


def _ends_cell(units: tuple[Unit, ...], index: int) -> bool:
    """Whether a cell's text ends with this unit: a question whose answer is in the cell beside it,
    not a box holding its question and its answer under it (a grid of boxes, one per question)."""
    here, following = units[index], units[index + 1] if index + 1 < len(units) else None
    return following is None or (following.table, following.row, following.col) != (here.table, here.row, here.col)


def _beside(units: tuple[Unit, ...], index: int) -> bool:
    """Whether a table cell has text in a cell to its right on its row."""
    here = units[index]
    return any(
        u.table == here.table and u.row == here.row and (u.col or 0) > (here.col or 0) and u.text.strip()
        for u in units[index + 1 : index + 60]
    )


def _repeats(units: tuple[Unit, ...], candidates: list[Candidate], kept: list[Candidate]) -> list[Candidate]:
    """A question's title met again word for word (« Interventions structurantes » under each quarter's
    heading): the same question, answered once more; a rubric column repeating it on each of its rows
    (« Q1 Interventions | Intervention 1 – intitulé | … ») asks nothing again."""
    title = {c.field: _words(units[c.index].text) for c in kept}
    taken = {c.index for c in kept}
    return [
        c
        for c in candidates
        if c.index not in taken
        and title.get(c.field) == _words(units[c.index].text)
        and not c.rest
        and units[c.index].table is None
    ]


def _titles(units: tuple[Unit, ...], candidates: list[Candidate], kept: list[Candidate]) -> list[Anchor]:
    """The titles standing right above the questions they name (« 2 | QUARTIERS VISÉS » over « Quels
    quartiers… ? »): not the answer to the question before."""
    taken = {c.index for c in kept}
    naming = {(c.index, c.field) for c in candidates}
    found = []
    for question in kept:
        above = question.index - 1
        while above >= 0 and not units[above].text.strip():
            above -= 1
        if (
            above >= 0
            and above not in taken
            and ((above, question.field) in naming or _NUMBER_TITLE.match(units[above].text))
        ):
            found.append(Anchor(QUESTION_TITLE, above, "", False))
    return found
