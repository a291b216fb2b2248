"""Send a submission back for correction: the partner's own form regenerated from its answers
(corrections included), each flagged field shaded with a Word comment carrying the alert, and the
e-mail draft that asks for it. The corrected form comes back as the next version."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.text.run import Run
from sqlalchemy.orm import Session

from workflow.campagne import annuaire, courriers, jours
from workflow.campagne.prefill import answers_of, ecrire_formulaire
from workflow.ooxml.blocks import sdt_tag
from workflow.ooxml.ns import W_SDT, W_SDTCONTENT, W_SDTPR, W_TR, qn
from workflow.registry.models import QuestionnaireVersion
from workflow.render.saisie import W15
from workflow.review.actions import send_back
from workflow.review.dossier import AlerteVue, Dossier, alerts
from workflow.workspace import Workspace

SHADE = "FFE699"  # a soft yellow, readable printed in grey too
AUTEUR = "Communauté Urbaine d'Arras - Cohésion sociale"
PREFIXES = {"quartiers_vises": "quartier:", "quartiers_intervention": "quartier:", "ambitions": "ambition:"}
PREFIXES["engagements"] = "engagement:"
_STEP = re.compile(r"^([a-z_0-9]+)(?:\[(\d+)\])?$")


@dataclass(frozen=True)
class Renvoi:
    formulaire: Path
    courriel: Path
    signales: tuple[str, ...]  # the fields shaded and commented
    adresse: annuaire.Adresse


def renvoyer(
    workspace: Workspace, session: Session, dossier: Dossier, motif: str, auteur: str, today: dt.date | None = None
) -> Renvoi:
    """Set the version `a_corriger` and write the partner's form, marked, with its e-mail draft."""
    send_back(session, dossier, motif, auteur)
    version = dossier.version
    ref = workspace.referentiel
    cible = annuaire.partenaire(ref, version.organisation.nom, version.organisation.type)
    open_alerts = [a for a in alerts(session, dossier) if a.ouverte]
    campagne = version.campagne if isinstance(version, QuestionnaireVersion) else (today or dt.date.today()).year
    folder = workspace.outbox / "renvois"
    name = f"{courriers.slug(cible.nom)}_{dossier.soumission.id}"
    echeance = jours.ouvre_suivant((today or dt.date.today()) + dt.timedelta(days=14))
    previous = answers_of(version, ref)
    form = ecrire_formulaire(workspace, cible, campagne, folder / f"a_corriger_{name}.docx", previous, echeance)
    signales = marquer(form, open_alerts)
    annuaire.rafraichir(session, ref)
    adresse = annuaire.adresse(session, cible.cle)
    mail = folder / f"renvoi_{name}.eml"
    messages = [a.message for a in open_alerts]
    mail.write_bytes(bytes(courriers.renvoi(cible, adresse, motif, messages, echeance, form)))
    return Renvoi(form, mail, tuple(signales), adresse)


def marquer(form: Path, found: list[AlerteVue]) -> list[str]:
    """Shade the controls each alert points to and comment them with its message; return the fields marked."""
    document = docx.Document(str(form))
    body = document.element.body
    marked: list[str] = []
    for alert in found:
        targets = controls_at(body, alert.champ) if alert.champ else []
        anchor = _anchor(targets)
        runs = [r for sdt in anchor for r in _runs(sdt, document)]
        if not runs:
            continue
        for sdt in targets:
            _shade(sdt)
        comment = document.add_comment(runs, text=alert.message, author=AUTEUR, initials="CUA")
        _outside(body, str(comment.comment_id), anchor[0], anchor[-1])
        marked.append(alert.champ)
    document.save(str(form))
    return marked


def _anchor(targets: list[Any]) -> list[Any]:
    """Return the controls a comment goes around: the run-level ones of the targets that share the
    first one's table cell (LibreOffice drops the text of a comment whose range spans cells, as a
    whole table row does)."""
    inline = [s for t in targets for s in t.iter(W_SDT) if s.getparent().tag == qn("w:p")]
    if not inline:
        return targets
    cell = _cell(inline[0])
    return [s for s in inline if _cell(s) is cell]


def _cell(element: Any) -> Any:
    return next((a for a in element.iterancestors() if a.tag == qn("w:tc")), None)


def _outside(body: Any, comment_id: str, first: Any, last: Any) -> None:
    """Put a comment's range around run-level controls rather than inside them: LibreOffice shows
    no value for a control whose content holds comment marks."""
    if first.getparent().tag != qn("w:p") or last.getparent().tag != qn("w:p"):
        return
    marks = {
        name: next(el for el in body.iter(qn(name)) if el.get(qn("w:id")) == comment_id)
        for name in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference")
    }
    reference_run = marks["w:commentReference"].getparent()
    first.addprevious(marks["w:commentRangeStart"])
    last.addnext(marks["w:commentRangeEnd"])
    marks["w:commentRangeEnd"].addnext(reference_run)


def controls_at(body: Any, champ: str) -> list[Any]:
    """Return the content controls holding the value at an export path (`objectifs[1].oo`, `siret`)."""
    scopes = [body]
    for part in champ.split("."):
        match = _STEP.match(part)
        if not match:
            return []
        name, index = match[1], match[2]
        if name in PREFIXES and index is None:
            return [s for scope in scopes for s in scope.iter(W_SDT) if sdt_tag(s).startswith(PREFIXES[name])]
        found = [s for scope in scopes for s in scope.iter(W_SDT) if sdt_tag(s) == name][:1]
        if not found:
            return []
        scopes = found
        if index is not None:
            items = _items(found[0])
            scopes = [items[int(index)]] if int(index) < len(items) else []
    return [s for s in scopes if s.tag == W_SDT] or [s for scope in scopes for s in scope.iter(W_SDT)]


def _items(container: Any) -> list[Any]:
    """The repeated items of a list control: its repeating-section items, else its block controls, else its rows."""
    items = [s for s in container.iter(W_SDT) if _is_item(s) and _parent_tagged(s) is container]
    if items:
        return items
    inner = [s for s in container.iter(W_SDT) if s is not container and _parent_sdt(s) is container]
    blocks = [s for s in inner if any(x is not s for x in s.iter(W_SDT))]
    if blocks:
        return blocks
    return [tr for tr in container.iter(W_TR) if next(tr.iter(W_SDT), None) is not None]


def _is_item(sdt: Any) -> bool:
    pr = sdt.find(W_SDTPR)
    return pr is not None and pr.find(f"{{{W15}}}repeatingSectionItem") is not None


def _parent_tagged(element: Any) -> Any:
    """The nearest enclosing control with a tag (repeating-section wrappers have none)."""
    return next((a for a in element.iterancestors() if a.tag == W_SDT and sdt_tag(a)), None)


def _parent_sdt(element: Any) -> Any:
    return next((a for a in element.iterancestors() if a.tag == W_SDT), None)


def _runs(sdt: Any, document: Any) -> list[Run]:
    content = sdt.find(W_SDTCONTENT)
    if content is None:
        return []
    found = [Run(r, document.part) for r in content.iter(qn("w:r"))]
    return [found[0], found[-1]] if found else []


def _shade(sdt: Any) -> None:
    """Shade the control's runs and, when it fills a table cell, the cell."""
    content = sdt.find(W_SDTCONTENT)
    for run in content.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        _set_shd(rpr)
    cell = _own_cell(sdt)
    if cell is not None:
        tcpr = cell.find(qn("w:tcPr"))
        if tcpr is None:
            tcpr = OxmlElement("w:tcPr")
            cell.insert(0, tcpr)
        _set_shd(tcpr)


def _own_cell(sdt: Any) -> Any:
    """The table cell the control sits in directly, None when it sits in a larger block control."""
    for ancestor in sdt.iterancestors():
        if ancestor.tag == W_SDT:
            return None
        if ancestor.tag == qn("w:tc"):
            return ancestor
    return None


# elements that follow `w:shd` in a run's or a cell's properties (ECMA-376 sequence order)
_AFTER_SHD = {
    qn(n)
    for n in (
        "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
        "w:oMath", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange", "w:rPrChange",
    )
}  # fmt: skip


def _set_shd(pr: Any) -> None:
    old = pr.find(qn("w:shd"))
    if old is not None:
        pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), SHADE)
    after = next((child for child in pr if child.tag in _AFTER_SHD), None)
    if after is None:
        pr.append(shd)
    else:
        after.addprevious(shd)
