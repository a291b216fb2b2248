"""The contact directory page: each partner's referent, where it comes from, whether its address can be used;
a contact edited here goes through the same library function as `cdv annuaire modifier`, journaled as the
logged-in user."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.campagne import annuaire
from workflow.campagne.annuaire import CHAMPS, Partenaire
from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry.models import Contact, PartenaireAttendu
from workflow.render.typographie import cle_fr
from workflow.review import journal
from workflow.review.status import Action
from workflow.review.users import check_author
from workflow.web.app import Refus, back, console, flash, form, render, user
from workflow.web.pagination import paginate

router = APIRouter()
CLI_HINT = " (cdv annuaire modifier)"


@dataclass(frozen=True)
class Fiche:
    """One partner of the directory: its referent if known, and why its address cannot be used if so."""

    partenaire: Partenaire
    contact: Contact | None
    probleme: str  # "" when the address can be written to


def _fiches(session: Session, ref: Referentiel) -> list[Fiche]:
    """Every signatory of the reference data, then the associations with a contact or expected by a campaign."""
    known = {c.cle: c for c in annuaire.contacts(session)}
    partners = [annuaire.partenaire(ref, s.nom, "signataire") for s in ref.signataires.signataires]
    others = {cle: nom for cle, nom in _expected(session)} | {c.cle: c.organisme for c in known.values()}
    listed = {p.cle for p in partners}
    partners += sorted(
        (_association(ref, cle, nom) for cle, nom in others.items() if cle not in listed), key=lambda p: cle_fr(p.nom)
    )
    return [Fiche(p, known.get(p.cle), _problem(session, p.cle)) for p in partners]


def _expected(session: Session, cle: str | None = None) -> list[tuple[str, str]]:
    """The associations a campaign expects (key, name), all of them or the one of that key."""
    query = select(PartenaireAttendu.cle, PartenaireAttendu.nom).where(PartenaireAttendu.type == "association")
    if cle is not None:
        query = query.where(PartenaireAttendu.cle == cle)
    return [(k, nom) for k, nom in session.execute(query.distinct())]


def _association(ref: Referentiel, cle: str, nom: str) -> Partenaire:
    """An association of the directory, under its own key (its name alone may be spelt otherwise)."""
    return replace(annuaire.partenaire(ref, nom, "association"), cle=cle)


def _problem(session: Session, cle: str) -> str:
    found = annuaire.adresse(session, cle)
    return "" if found.courriel else found.motif.removesuffix(CLI_HINT)


def _partner(session: Session, ref: Referentiel, cle: str) -> Partenaire:
    """Return the partner of a directory key, or refuse a key the directory does not know."""
    if cle.startswith("signataire:"):
        found = next((s for s in ref.signataires.signataires if annuaire.cle_signataire(s.id) == cle), None)
        if found is not None:
            return annuaire.partenaire(ref, found.nom, "signataire")
    contact = annuaire.referent(session, cle)
    if contact is not None:
        return _association(ref, cle, contact.organisme)
    expected = _expected(session, cle)
    if expected:
        return _association(ref, *expected[0])
    raise Refus(404, f"Partenaire inconnu de l'annuaire : « {cle} ».")


@router.get("/annuaire")
def directory(request: Request) -> Response:
    state = console(request)
    with state.registry.session() as session:
        annuaire.rafraichir(session, state.workspace.referentiel)
        fiches = _fiches(session, state.workspace.referentiel)
        pages = paginate(request, len(fiches))
        return render(request, "annuaire.html", fiches=pages.rows(fiches), toutes=fiches, pagination=pages)


@router.get("/annuaire/modifier")
def contact_page(request: Request, cle: str = "") -> Response:
    if not user(request).peut_agir:
        raise Refus(403, "Votre compte est en lecture seule : vous pouvez consulter, pas modifier.")
    state = console(request)
    with state.registry.session() as session:
        partner = _partner(session, state.workspace.referentiel, cle)
        fiche = Fiche(partner, annuaire.referent(session, cle), _problem(session, cle))
        return render(request, "contact.html", fiche=fiche, champs=CHAMPS)


@router.post("/annuaire/modifier")
def contact_edit(request: Request) -> Response:
    """Change what differs from the directory, through `annuaire.modifier`, and journal each field."""
    data = form(request)
    cle = str(data.get("cle", ""))
    state = console(request)
    try:
        with state.registry.session() as session:
            who = check_author(session, user(request).identifiant).identifiant
            partner = _partner(session, state.workspace.referentiel, cle)
            before = annuaire.referent(session, cle)
            old = {k: (getattr(before, k) if before else "") for k in CHAMPS}
            new = {k: str(data.get(k, "")).strip() for k in CHAMPS}
            changed = {k: v for k, v in new.items() if v != old[k]}
            if not changed:
                raise CdvError("aucune valeur n'a changé")
            annuaire.modifier(session, partner, changed, who)
            for champ, value in changed.items():
                journal.log(session, who, Action.CONTACT, organisme=partner.nom, champ=champ, avant=old[champ],
                            apres=value, motif="annuaire (console web)")  # fmt: skip
        flash(request, "ok", f"Contact {partner.complement} enregistré.")
        return back("/annuaire")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
        return back(f"/annuaire/modifier?cle={_quoted(cle)}")


def _quoted(cle: str) -> str:
    return quote(cle, safe="")
