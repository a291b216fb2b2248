"""Resolve the quarters an answer names (ids, aliases, free prose, ticked boxes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.answers import Alerte
from workflow.ooxml.blocks import CHECKED_GLYPHS, UNCHECKED_GLYPHS
from workflow.referentiel import Referentiel
from workflow.text import contains_phrase, normalise
from workflow.validation.alertes import CodeAlerte

_ITEM_SPLIT = re.compile(r"\n|;|,|/|•|:|\(|\)|\s+et\s+")
_FILLER = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "d",
        "de",
        "du",
        "des",
        "et",
        "en",
        "sur",
        "dans",
        "quartier",
        "quartiers",
        "qpv",
        "secteur",
        "secteurs",
        "residence",
        "ville",
        "commune",
        "a",
        "au",
        "aux",
        "notre",
        "nos",
        "son",
        "ses",
        "tout",
        "tous",
        "ensemble",
        "prioritaire",
        "prioritaires",
        "politique",
        "territoire",
        "vise",
        "vises",
        "concerne",
        "concernes",
    ]
)
_CHECKED_PREFIX = re.compile(r"^\s*(?:\[\s*[xX✓✔]\s*\]|[xX](?=\s))")
_UNCHECKED_PREFIX = re.compile(r"^\s*\[\s*\]")
MAX_UNKNOWN_WORDS = 6


@dataclass(frozen=True)
class Resolution:
    ids: tuple[str, ...]
    alertes: tuple[Alerte, ...]


def _patterns(ref: Referentiel) -> list[tuple[str, tuple[str, ...], CodeAlerte | None]]:
    """Return (normalised phrase, quarter ids, alert code) longest first."""
    patterns: list[tuple[str, tuple[str, ...], CodeAlerte | None]] = []
    for q in ref.quartiers.quartiers:
        for name in (q.nom, q.id, *q.alias):
            patterns.append((normalise(name), (q.id,), None))
    for phrase in ref.quartiers.ensemble_des_qpv:
        patterns.append((normalise(phrase), ref.qpv_ids(), None))
    for s in ref.quartiers.scissions:
        for name in (s.ancien_nom, *s.alias):
            patterns.append((normalise(name), s.devenu, s.alerte))
    return sorted(patterns, key=lambda p: -len(p[0]))


_EXCLUDED = re.compile(
    r"^\s*(?:pas d['’]|aucune?\b|hors\b|sauf\b|à l['’]exception|excepté)|\((?:supprimée?s?|retirée?s?|barrée?s?)\)",
    re.I,
)


def selected_lines(text: str) -> list[str]:
    """Drop the lines of a pasted checkbox list that are not ticked."""
    kept = []
    for line in (piece for whole in text.splitlines() for piece in _each_box(whole)):
        stripped = line.strip()
        if not stripped or stripped[0] in UNCHECKED_GLYPHS or _UNCHECKED_PREFIX.match(stripped):
            continue
        if _EXCLUDED.search(stripped):  # « hors Beaurains : … », « Pas d'intervention … », « … (supprimé) »
            continue
        if stripped[0] in CHECKED_GLYPHS:
            stripped = stripped[1:]
        kept.append(_CHECKED_PREFIX.sub("", stripped))
    return kept


def _each_box(line: str) -> list[str]:
    """« ● Saint-Michel   ○ Beaurains » on one line: one choice after each box."""
    if sum(c in CHECKED_GLYPHS or c in UNCHECKED_GLYPHS for c in line) < 2:
        return [line]
    return _BEFORE_BOX.split(line)


_BEFORE_BOX = re.compile(rf"\s+(?=[{''.join(sorted(CHECKED_GLYPHS | UNCHECKED_GLYPHS))}])")


# « … ne sont pas concernés à ce stade », « … : pas d'engagement » : a sentence that says no names no quarter
_NEGATED = re.compile(
    r"\b(?:ne|n['’])\s*(?:[\w'’-]+\s+){0,3}?(?:pas|plus|jamais)\b|\b(?:pas|aucun) d?['’]?\s*engagement|"
    r"\bnon (?:concern|vis)|\bsans engagement",
    re.I,
)
# « Contrairement à Baudimont, … », « Comme aux Blancs Monts jusqu'en 2023, … »: named to compare, or before
# the contract (2024-2030), not visé
_BYGONE = re.compile(
    r"\bcontrairement\s+[àa]u?x?\b|\bjusqu['’](?:en|à)\s+(?:19\d\d|20(?:[01]\d|2[0-3]))\b|"
    r"\bpar le passé\b|"  # « (anciennement « Nouvelles Résidences ») » renames a quarter, it does not date it
    r"\b(?:est|sont|reste|restent)\s+(?:ajourn|report|suspendu)\w*|\bétude d['’]opportunité\b|"  # put off
    r"\bsort(?:ent)?\s+du\s+p[ée]rim[èe]tre\b|\bc[ée]d[ée]e?s?\s+(?:en\s+\d{4}\s+)?[àa]\s+un\b",  # given up
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Þ«])|\s+;\s+")
# « tous les QPV sauf Chanteclair » : the quarters named after it are taken out
_EXCEPT = re.compile(r"\b(?:sauf|hormis|excepté(?:e?s)?|à l['’]exception d(?:u|es|e l['’]|e la|e|['’]))\s*", re.I)

_EXCEPTION_END = re.compile(r"\s*[:;]\s*|,?\s+(?:soit|c['’]est-[àa]-dire)\s+", re.I)


def _clauses(text: str) -> list[tuple[str, str]]:
    """The answer's sentences that do not say no, each as (what it names, what it takes out)."""
    found: list[tuple[str, str]] = []
    for line in selected_lines(text):
        for sentence in _SENTENCE.split(line):
            if sentence.strip() and not _NEGATED.search(sentence) and not _BYGONE.search(sentence):
                named, *after = _EXCEPT.split(sentence, maxsplit=1)
                # « … sauf Saint-Michel : soit les Hochettes, … »: what follows the exception names again
                excepted, *again = _EXCEPTION_END.split("".join(after), maxsplit=1)
                found.append((" ".join([named, *again]), excepted))
    return found


def _neutral_words(ref: Referentiel) -> frozenset[str]:
    """Words that name no quarter by themselves: communes, the form's own label, fillers."""
    words = set(_FILLER) | set(normalise(ref.questionnaire.precisions_quartiers).split())
    for q in ref.quartiers.quartiers:
        for commune in q.communes:
            words |= set(normalise(commune).split())
    return frozenset(words)


def resolve_text(text: str, ref: Referentiel, champ: str = "quartiers_vises") -> Resolution:
    """Return the quarter ids named in free text, with alerts for what cannot be placed."""
    patterns = _patterns(ref)
    neutral = _neutral_words(ref)
    found: list[str] = []
    alerts: list[Alerte] = []
    unknown: list[str] = []
    communes: list[tuple[str, ...]] = []
    any_match = False
    excluded: list[str] = []
    for line, excepted in _clauses(text):
        excluded += [
            i for item in _ITEM_SPLIT.split(excepted) for ids, _ in _match(normalise(item), patterns) for i in ids
        ]
        for item in _ITEM_SPLIT.split(line):
            hits = _match(normalise(item), patterns)
            if not hits and (communal := _commune(normalise(item), ref)):
                communes.append(communal)
                continue
            for ids, code in hits:
                found.extend(ids)
                if code:
                    alerts.append(Alerte(code, _split_message(item.strip(), ids, ref), champ))
            any_match = any_match or bool(hits)
            words = [w for w in normalise(item).split() if w not in neutral]
            if not hits and 0 < len(words) <= MAX_UNKNOWN_WORDS:
                unknown.append(item.strip())
    for ids in communes:  # « Achicourt » alone, not « Les 4 As (Achicourt) »
        if not set(ids) & set(found):
            found.extend(ids)
            any_match = True
    if unknown and (any_match or len(unknown) <= 3):
        for item in unknown:
            alerts.append(Alerte(CodeAlerte.QUARTIER_INCONNU, f"Quartier non reconnu : « {item} ».", champ))
    elif not any_match and any(line.strip() for line in selected_lines(text)):
        extract = " ".join(text.split())[:120]
        alerts.append(Alerte(CodeAlerte.QUARTIER_INCONNU, f"Aucun quartier reconnu dans « {extract} ».", champ))
    return Resolution(tuple(dict.fromkeys(i for i in found if i not in excluded)), tuple(alerts))


def _commune(item: str, ref: Referentiel) -> tuple[str, ...]:
    """A commune written alone stands for the priority quarters on its territory (« Achicourt »)."""
    words = " ".join(w for w in item.split() if w not in _FILLER)
    ids = tuple(
        q.id for q in ref.quartiers.quartiers if q.type == "qpv" and any(normalise(c) == words for c in q.communes)
    )
    return ids if words else ()


def _match(
    item: str, patterns: list[tuple[str, tuple[str, ...], CodeAlerte | None]]
) -> list[tuple[tuple[str, ...], CodeAlerte | None]]:
    hits = []
    rest = f" {item} "
    for phrase, ids, code in patterns:
        if phrase and contains_phrase(rest, phrase):
            hits.append((ids, code))
            rest = rest.replace(f" {phrase} ", " | ")
    return hits


def _split_message(written: str, ids: tuple[str, ...], ref: Referentiel) -> str:
    names = " et ".join(f"« {q.nom} »" for q in (ref.quartier(i) for i in ids) if q)
    return (
        f"« {written} » a été scindé en 2024 : la réponse est rattachée à {names}. "
        "Vérifier auprès du partenaire si les deux quartiers sont bien visés."
    )


def resolve_ids(ids: list[str], ref: Referentiel, champ: str = "quartiers_vises") -> Resolution:
    """Check quarter ids read from ticked boxes."""
    known = [i for i in ids if ref.quartier(i)]
    alerts = tuple(
        Alerte(CodeAlerte.QUARTIER_INCONNU, f"Case de quartier inconnue : « {i} ».", champ)
        for i in ids
        if not ref.quartier(i)
    )
    return Resolution(tuple(dict.fromkeys(known)), alerts)
