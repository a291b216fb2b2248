"""Check a gabarit against what its document supplies, before staff find out at rendering time.

A gabarit is parsed the way docxtpl renders it (its XML patched, Jinja in our sandbox); every
finding is a French sentence naming the paragraph (counted in document order, tables included).
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import OpcError
from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from lxml import etree
from rapidfuzz import fuzz, process

from workflow.extract.association import ACTION_FIELDS, CHAMPS
from workflow.extract.common import QUARTIER_PREFIX
from workflow.ooxml.controls import content_controls
from workflow.ooxml.ns import W_P, qn
from workflow.referentiel import Referentiel
from workflow.render.templating import environment

# The top-level names each document's render code puts in the context of its gabarit; a test
# checks every entry against the context the render function really builds.
SUPPLIED: dict[str, tuple[str, ...]] = {
    "annexe_engagements.docx": ("date_edition", "projet", "q", "partenaires"),
    "annexe_objectifs.docx": ("date_edition", "projet", "ambitions"),
    "charte_engagement.docx": ("sommaire", "projet", "date_edition", "chartes"),
    "etat_des_retours.docx": ("campagne", "copil", "date_edition", "total", "repondu", "manquants", "fiches"),
    "formulaire_questionnaire.docx": (
        *("titre", "organisme", "campagne", "entete", "q", "quartiers", "quartiers_precisions"),
        *("precisions_libelle", "engagements", "date_generation", "reference", "retour"),
        *("interventions_structurantes", "agents_gouvernance", "objectifs"),
    ),
    "formulaire_association.docx": (
        *("titre", "association", "entete", "sections", "quartiers", "quartiers_precisions"),
        *("precisions_libelle", "ambitions", "q", "objectifs", "colonnes_action", "actions"),
        *("engagements_standards", "autres_engagements", "demande_cpo", "duree_cpo_annees"),
        *("indicateurs_suivi", "fait_a", "date", "signataire_nom", "date_generation", "reference", "retour"),
    ),
    "rapport_evaluation.docx": (
        *("programmation", "droit_commun", "impacts", "participation", "gouvernance", "observations"),
        *("type", "annee", "periode", "sur_la_periode", "date_edition", "classeur"),
    ),
}
COMMON = ("logo",)  # what render_docx gives every gabarit: the cover's logo (render.couverture)
FORMS = {"formulaire_questionnaire.docx": "questionnaire", "formulaire_association.docx": "association"}
_MARK = "data-cdv-p"
_BODY = "le corps"
_PROPERTIES = (  # the core properties docxtpl renders, with their name in Word's French
    *(("author", "auteur"), ("comments", "commentaires"), ("identifier", "identifiant")),
    *(("language", "langue"), ("subject", "objet"), ("title", "titre")),
)


@dataclass(frozen=True)
class Finding:
    """One fault of a gabarit, in French; `paragraph` counts the body's paragraphs from 1."""

    gabarit: str
    paragraph: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.gabarit} : {self.message}"


@dataclass(frozen=True)
class Part:
    """One piece docxtpl renders: its Jinja source, where each paragraph starts, their texts."""

    where: str  # "le corps", "le pied de page"…
    source: str
    starts: tuple[tuple[int, int], ...]  # (line of the Jinja source, paragraph number)
    paragraphs: tuple[str, ...]

    def place(self, paragraph: int | None) -> str:
        return f"le paragraphe {paragraph}" if self.number(paragraph) else self.where

    def number(self, paragraph: int | None) -> int | None:
        """The paragraph number a finding carries: only the body's mean something to staff."""
        return paragraph if self.where == _BODY and paragraph else None

    def text(self, paragraph: int) -> str:
        return self.paragraphs[paragraph - 1] if 0 < paragraph <= len(self.paragraphs) else ""

    def candidates(self, line: int) -> list[int]:
        """The paragraphs a Jinja line may come from: docxtpl drops the `{%p %}` and `{%tr %}`
        paragraphs, whose tags then sit on the line of the paragraph before."""
        before = [n for start, n in self.starts if start <= line]
        after = [n for start, n in self.starts if start > line]
        first = before[-1] if before else 1
        last = after[0] - 1 if after else len(self.paragraphs)
        return list(range(first, max(first, last) + 1))


@dataclass(frozen=True)
class Gabarit:
    """What the checks read of a .docx: its rendered parts and its content controls' tags."""

    name: str
    parts: tuple[Part, ...]
    controls: tuple[tuple[str, int | None], ...]  # (tag, paragraph)


@dataclass(frozen=True)
class Fields:
    """The tags one part of a form must carry: each literal tag, or one templated tag yielding them."""

    label: str
    tags: tuple[str, ...]
    template: str | None = None
    required: bool = True


# --- reading (the only I/O) -------------------------------------------------------------------


def read_gabarit(path: Path) -> Gabarit:
    """Read a gabarit the way docxtpl renders it: body, headers, footers, document properties."""
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    body = tpl.docx.element.body
    numbers = {p: n for n, p in enumerate(body.iter(W_P), start=1)}
    parts = [_part(tpl, _BODY, body)]
    for uri, where in ((tpl.HEADER_URI, "l'en-tête"), (tpl.FOOTER_URI, "le pied de page")):
        for _, xml_part in tpl.get_headers_footers(uri):
            parts.append(_part(tpl, where, xml_part.element))
    for prop, label in _PROPERTIES:
        value = getattr(tpl.docx.core_properties, prop) or ""
        if "{" in value:
            parts.append(Part(f"la propriété « {label} » du document", value, ((1, 1),), (value,)))
    controls = tuple((c.tag, _paragraph_of(c.element, numbers)) for c in content_controls(body) if c.tag)
    return Gabarit(path.name, tuple(parts), controls)


def _part(tpl: DocxTemplate, where: str, element: Any) -> Part:
    """Number the paragraphs, then patch the XML and split it into lines as docxtpl does."""
    count = itertools.count(1)
    marked = re.sub(r"<w:p([ >])", lambda m: f'<w:p {_MARK}="{next(count)}"{m[1]}', tpl.xml_to_string(element))
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(marked))
    starts = tuple(
        (source.count("\n", 0, m.start()) + 1, int(m[1])) for m in re.finditer(rf'<w:p {_MARK}="(\d+)"', source)
    )
    texts = tuple("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(W_P))
    return Part(where, source, starts, texts)


def _paragraph_of(sdt: Any, numbers: dict[Any, int]) -> int | None:
    around = next((a for a in sdt.iterancestors(W_P)), None)
    inside = next(sdt.iter(W_P), None)
    return numbers.get(around if around is not None else inside)


# --- checks (pure) ----------------------------------------------------------------------------


def verify(gabarit: Gabarit, supplied: Iterable[str], fields: Iterable[Fields] = ()) -> list[Finding]:
    """Return every fault of a gabarit: Jinja syntax, then unknown variables, then form tags."""
    env, supplied = environment(), tuple(supplied)
    syntax: list[Finding] = []
    found: list[Finding] = []
    for part in gabarit.parts:
        errors = check_syntax(gabarit.name, part, env, gabarit.controls if part.where == _BODY else ())
        syntax += errors
        found += [] if errors else check_variables(gabarit.name, part, env, supplied)
    if syntax:
        return syntax + found  # the form's tags are checked once they parse
    return found + check_tags(gabarit, list(fields))


def check_syntax(
    name: str, part: Part, env: jinja2.Environment, controls: Iterable[tuple[str, int | None]] = ()
) -> list[Finding]:
    """Each paragraph and control tag alone first (the fault where it is), then the whole for
    unclosed blocks."""
    found = []
    for n, text in enumerate(part.paragraphs, start=1):
        error = _local_error(_jinja_text(text), env)
        if error:
            found.append(_syntax_finding(name, part, n, error))
    for tag, paragraph in controls:
        error = _local_error(tag, env)
        if error:
            where = f"la balise « {tag} » du contrôle de contenu" + (f" du paragraphe {paragraph}" if paragraph else "")
            detail = _french(error.message or "")
            found.append(Finding(name, paragraph, f"syntaxe Jinja incorrecte dans {where} : {detail}"))
    if found:
        return found
    try:
        env.parse(part.source)
    except jinja2.TemplateSyntaxError as e:
        word = _unknown_tag(e.message or "")
        chosen = _unclosed(part) if (e.message or "").startswith("Unexpected end of template") else None
        if chosen is None:
            chosen = _pick(part, e.lineno, lambda text: bool(word) and re.search(rf"\b{word}\b", _tags(text)))
        return [_syntax_finding(name, part, chosen, e)]
    return []


def check_variables(name: str, part: Part, env: jinja2.Environment, supplied: Iterable[str]) -> list[Finding]:
    """Name each variable the document does not supply, and each filter or test Jinja does not
    know, where it is used, with the nearest known name."""
    supplied = tuple(supplied)
    ast = env.parse(part.source)
    undeclared = meta.find_undeclared_variables(ast) - set(env.globals) - set(supplied)
    uses = [("variable", n.name, n.lineno, supplied) for n in ast.find_all(nodes.Name) if n.name in undeclared]
    uses += [("filtre", f.name, f.lineno, tuple(env.filters)) for f in ast.find_all(nodes.Filter)]
    uses += [("test", t.name, t.lineno, tuple(env.tests)) for t in ast.find_all(nodes.Test)]
    found: list[Finding] = []
    for kind, word, line, choices in uses:
        if kind != "variable" and word in choices:
            continue
        paragraph = _pick(part, line, _mentions(word))
        unknown, otherwise = _UNKNOWN[kind]
        hint = _suggest(word, choices)
        message = f"{unknown} « {word} » dans {part.place(paragraph)} ; "
        message += f"voulez-vous dire « {hint} » ?" if hint else otherwise
        if (finding := Finding(name, part.number(paragraph), message)) not in found:
            found.append(finding)
    return found


def check_tags(gabarit: Gabarit, fields: list[Fields]) -> list[Finding]:
    """Every tag the reader expects is on a content control; every tag on one is expected."""
    if not fields:
        return []
    present = {_normalise(tag) for tag, _ in gabarit.controls}
    known = {tag for f in fields for tag in (*f.tags, f.template) if tag}
    found = []
    for f in fields:
        if not f.required or (f.template and f.template in present):
            continue
        repeated = f", contrôle répété « {f.template} » absent" if f.template else ""
        for tag in f.tags:
            if tag not in present:
                message = f"champ attendu absent : aucun contrôle de contenu ne porte la balise « {tag} »"
                found.append(Finding(gabarit.name, None, f"{message} ({f.label}{repeated})"))
    for tag, paragraph in gabarit.controls:
        if _normalise(tag) not in known:
            where = f"le paragraphe {paragraph}" if paragraph else "le document"
            message = f"balise de contrôle de contenu inconnue « {tag} » dans {where}"
            hint = _suggest(_normalise(tag), known)
            message += f" ; voulez-vous dire « {hint} » ?" if hint else " ; aucune lecture ne l'attend"
            found.append(Finding(gabarit.name, paragraph, message))
    return found


# --- expected form tags: what the extractors of workflow/extract read ---------------------------


def form_fields(form: str, ref: Referentiel) -> tuple[Fields, ...]:
    """Return the tags `cdv ingerer` reads on the questionnaire or the association form.

    A templated tag is compared as the shipped gabarit writes it, loop variable included."""
    return _questionnaire_fields(ref) if form == "questionnaire" else _association_fields(ref)


def _questionnaire_fields(ref: Referentiel) -> tuple[Fields, ...]:
    form = ref.questionnaire
    questions = [
        Fields(f"question « {q.id} »", (q.id, *(c.id for c in q.colonnes)))
        for q in form.questions
        if q.id != "quartiers_vises"  # read from the `quartier:<id>` boxes
    ]
    return (Fields("en-tête", tuple(f.id for f in form.entete), "{{ c.id }}"), *questions, *_quartiers(ref))


def _association_fields(ref: Referentiel) -> tuple[Fields, ...]:
    form = ref.association
    objectifs = ref.questionnaire.question("objectifs")
    return (
        Fields("en-tête", tuple(f.id for f in form.entete), "{{ c.id }}"),
        *_quartiers(ref),
        Fields("ambitions", tuple(f"ambition:{a.id}" for a in ref.ambitions), "ambition:{{ x.id }}"),
        Fields("objectifs", ("objectifs", *(c.id for c in objectifs.colonnes))),
        Fields("actions", ("action", *(c.id for c in form.colonnes_cofinancement))),
        Fields("actions", ("actions", "cofinancements"), required=False),
        Fields(
            "colonnes d'une action", tuple(c.id for c in form.colonnes_action if c.id in ACTION_FIELDS), "{{ col.id }}"
        ),
        Fields("engagements", tuple(f"engagement:{e.id}" for e in form.engagements_standards), "engagement:{{ x.id }}"),
        Fields("CPO, indicateurs et signature", (*CHAMPS, "indicateurs_suivi")),
    )


def _quartiers(ref: Referentiel) -> tuple[Fields, ...]:
    boxes = tuple(f"{QUARTIER_PREFIX}{q.id}" for q in ref.quartiers.quartiers)
    return (
        Fields("quartiers", boxes, f"{QUARTIER_PREFIX}{{{{ x.id }}}}"),
        Fields("quartiers", ("quartiers_precisions",)),
    )


# --- helpers ----------------------------------------------------------------------------------

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_END_OR_BRANCH = re.compile(r"^(Unexpected end of template|Encountered unknown tag '(end\w+|else|elif)')")
_STATEMENT = re.compile(r"\{%-?\s*(?:(tr|tc|p|r)\s+)?(\w+)")
_BLOCKS = ("for", "if", "with", "macro", "call", "filter", "block", "autoescape")
_FRENCH = (
    (
        r"Unexpected end of template.*closed is '(\w+)'\.?",
        r"bloc « \1 » ouvert ici et jamais fermé (il manque « {% end\1 %} »)",
    ),
    (r"unexpected end of template, expected '(.+?)'\.?", r"balise jamais fermée (attendu : \1)"),
    (r"Encountered unknown tag '(end\w+)'.*", r"« {% \1 %} » ne ferme aucun bloc ouvert"),
    (r"Encountered unknown tag '(\w+)'.*", r"balise inconnue « \1 »"),
    (r"Expected an expression, got '(.+)'", r"expression attendue avant « \1 »"),
    (r"expected token '(.+?)', got '(.+)'", r"« \2 » inattendu (attendu : \1)"),
    (r"unexpected '(.+)'", r"caractère « \1 » inattendu"),
    (r"unexpected char '(.+?)' at \d+", r"caractère « \1 » inattendu"),
)
_UNKNOWN = {
    "variable": ("variable inconnue", "le document ne la fournit pas"),
    "filtre": ("filtre inconnu", "Jinja n'a pas de filtre de ce nom"),
    "test": ("test inconnu", "Jinja n'a pas de test de ce nom"),
}
_TOKENS = (("end of print statement", "}}"), ("end of statement block", "%}"), ("end of template", "fin du gabarit"))


def _jinja_text(text: str) -> str:
    """A paragraph's text as docxtpl hands its tags to Jinja: `{%p`, `{%tr`… prefixes gone,
    cell tags made expressions, typographic quotes straightened."""
    text = re.sub(r"\{%\s*(?:cellbg|colspan)\s+(.*?)%\}", r"{{ \1 }}", text)
    text = re.sub(r"([{][%{#])-?(?:tr|tc|p|r) ", r"\1 ", text)
    return _JINJA.sub(lambda m: m[0].translate(str.maketrans("“”‘’", "\"\"''")), text)


def _tags(text: str) -> str:
    return " ".join(_JINJA.findall(_jinja_text(text)))


def _local_error(text: str, env: jinja2.Environment) -> jinja2.TemplateSyntaxError | None:
    """The syntax error of one paragraph's tags alone, unless it is only a block split over paragraphs."""
    if "{" not in text:
        return None
    try:
        env.parse(text)
    except jinja2.TemplateSyntaxError as e:
        return None if _END_OR_BRANCH.match(e.message or "") else e
    return None


def _unclosed(part: Part) -> int | None:
    """The paragraph of the block left open: the first closed by another kind of end
    (`{%p endfor %}` closing a `{%tr for %}`), else the innermost one still open."""
    stack: list[tuple[str, str, int]] = []
    for n, text in enumerate(part.paragraphs, start=1):
        for prefix, word in _STATEMENT.findall(text):
            if word in _BLOCKS:
                stack.append((word, prefix, n))
            elif word.startswith("end") and stack:
                opened, kind, where = stack.pop()
                if (f"end{opened}", kind) != (word, prefix):
                    return where
    return stack[-1][2] if stack else None


def _mentions(name: str) -> Callable[[str], bool]:
    """Tell whether a paragraph's tags use `name` as a variable (not as an attribute or a string)."""
    pattern = re.compile(rf"(?<![\w.'\"]){re.escape(name)}\b")
    return lambda text: bool(pattern.search(_tags(text)))


def _unknown_tag(message: str) -> str | None:
    found = re.match(r"Encountered unknown tag '(\w+)'", message)
    return found[1] if found else None


def _pick(part: Part, line: int | None, wanted: Any) -> int:
    """The paragraph of a Jinja line: the first candidate whose text `wanted` recognises."""
    candidates = part.candidates(line or 1)
    return next((n for n in candidates if wanted(part.text(n))), candidates[0])


def _syntax_finding(name: str, part: Part, paragraph: int, error: jinja2.TemplateSyntaxError) -> Finding:
    detail = _french(error.message or "")
    text = part.text(paragraph).strip()
    shown = f" — texte : « {text[:90]}{'…' if len(text) > 90 else ''} »" if text else ""
    message = f"syntaxe Jinja incorrecte dans {part.place(paragraph)} : {detail}{shown}"
    return Finding(name, part.number(paragraph), message)


def _french(message: str) -> str:
    for pattern, french in _FRENCH:
        if re.match(pattern, message, re.S):
            text = re.sub(pattern, french, message, count=1, flags=re.S)
            for english, word in _TOKENS:
                text = text.replace(english, word)
            return text
    return f"syntaxe incorrecte (message de Jinja : {message})"


def _suggest(name: str, choices: Iterable[str]) -> str | None:
    best = process.extractOne(name, list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return best[0] if best else None


def _normalise(tag: str) -> str:
    """`quartier:{{x.id}}` and `quartier:{{ x.id }}` are the same templated tag."""
    return re.sub(r"\{\{\s*(.*?)\s*\}\}", r"{{ \1 }}", tag.strip())


def gabarit_files(folder: Path) -> list[Path]:
    """The gabarits of a folder, without the lock files Word leaves beside an open document."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".docx" and not p.name.startswith(("~$", ".")))


def verify_file(path: Path, ref: Referentiel) -> list[Finding]:
    """Check one gabarit file against the document of the same name."""
    try:
        gabarit = read_gabarit(path)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, OpcError, etree.XMLSyntaxError):
        return [Finding(path.name, None, "fichier illisible : ce n'est pas un document Word (.docx) valide")]
    if path.name not in SUPPLIED:
        known = ", ".join(sorted(SUPPLIED))
        unknown = Finding(path.name, None, f"aucun document de l'outil n'utilise ce gabarit (noms attendus : {known})")
        return [unknown, *[f for part in gabarit.parts for f in check_syntax(path.name, part, environment())]]
    form = FORMS.get(path.name)
    return verify(gabarit, (*SUPPLIED[path.name], *COMMON), form_fields(form, ref) if form else ())
