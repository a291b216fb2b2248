"""`cdv campagne`, `cdv annuaire`, `cdv relances`: the yearly call for answers, the partners' contacts,
tracked reminders."""

from __future__ import annotations

from pathlib import Path

import click

from workflow.cli.base import app, console, day_argument, opened, racine_option
from workflow.render.typographie import nombre

CAMPAGNE_HELP = "Année de la campagne (défaut : la campagne ouverte, sinon l'année en cours)."


def campagne_option(command):
    return click.option("--campagne", type=int, default=None, metavar="ANNÉE", help=CAMPAGNE_HELP)(command)


def campagne_choisie(registry, campagne: int | None) -> int:
    """The campaign named, else the open one, else the current year."""
    from workflow.campagne.campagnes import par_defaut

    if campagne is not None:
        return campagne
    with registry.session() as session:
        return par_defaut(session)


def auteur_ou_vide(ws, auteur: str | None) -> str:
    from workflow.errors import CdvError
    from workflow.review.users import author_name

    try:
        return author_name(ws, auteur)
    except CdvError:
        return ""


@app.group()
def campagne() -> None:
    """Campagnes annuelles : qui doit répondre, pour quand, avec son formulaire pré-rempli."""


@campagne.command("ouvrir")
@click.argument("annee", type=int, metavar="ANNÉE")
@click.option("--echeance", required=True, metavar="JJ/MM/AAAA", help="Date limite de retour (un jour ouvré à venir).")
@click.option("--association", "associations", multiple=True, metavar="NOM", help="Association attendue en plus.")
@click.option("--auteur", default=None, metavar="IDENTIFIANT", help="Qui ouvre la campagne (gardé au registre).")
@racine_option
@click.pass_context
def campagne_ouvrir(
    ctx: click.Context, annee: int, echeance: str, associations: tuple[str, ...], auteur: str | None,
    racine: Path | None,
) -> None:  # fmt: skip
    """Ouvrir une campagne : chaque signataire et chaque association de la programmation de l'année reçoit
    son formulaire pré-rempli de ses dernières réponses validées et un projet de courriel.

    Exemple : cdv campagne ouvrir 2027 --echeance 15/03/2027
    """
    from workflow.campagne import campagnes

    with opened(ctx, racine) as (ws, registry):
        envois = campagnes.ouvrir(
            ws, registry, annee, day_argument(echeance), list(associations), auteur_ou_vide(ws, auteur)
        )
        folder = campagnes.dossier(ws, annee)
    prerempli = sum(e.prerempli for e in envois)
    sans = [e for e in envois if not e.adresse.courriel]
    console.print(
        f"Campagne {annee} ouverte, échéance le {day_argument(echeance):%d/%m/%Y} : "
        f"{nombre(len(envois), 'partenaire attendu', 'partenaires attendus')}, "
        f"{nombre(prerempli, 'formulaire pré-rempli', 'formulaires pré-remplis')} de réponses validées."
    )
    console.print(f"Formulaires : {folder / 'formulaires'} ; projets de courriel : {folder / 'courriels'}")
    if sans:
        console.print(
            f"{nombre(len(sans), 'partenaire', 'partenaires')} sans adresse valide (courriel sans destinataire) :"
        )
        for e in sans:
            console.print(f"  - {e.partenaire.nom} : {e.adresse.motif}", markup=False)


@campagne.command("etat")
@click.argument("annee", type=int, metavar="ANNÉE", required=False)
@racine_option
@click.pass_context
def campagne_etat(ctx: click.Context, annee: int | None, racine: Path | None) -> None:
    """Où en est chaque partenaire attendu : reçu, validé, à corriger, sans réponse.

    Exemple : cdv campagne etat 2026
    """
    from rich.table import Table

    from workflow.campagne import campagnes
    from workflow.fr import date_fr

    with opened(ctx, racine) as (_ws, registry):
        year = campagne_choisie(registry, annee)
        with registry.session() as session:
            found = campagnes.situations(session, year)
            echeance = campagnes.trouver(session, year).echeance
            rows = [
                (s.attendu.nom, s.attendu.type, s.libelle, str(s.soumission_id or ""), date_fr(s.recu_le))
                for s in found
            ]
    table = Table(
        "Partenaire", "Type", "État", "N°", "Reçu le", title=f"Campagne {year} (échéance {echeance:%d/%m/%Y})"
    )
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(" ; ".join(f"{k} : {v}" for k, v in campagnes.comptes(found).items()))


@app.group()
def annuaire() -> None:
    """Contacts des signataires et des associations, tirés des dernières réponses validées, modifiables."""


@annuaire.command("liste")
@racine_option
@click.pass_context
def annuaire_liste(ctx: click.Context, racine: Path | None) -> None:
    """Lister les contacts de chaque signataire et de chaque association connue ; une adresse inutilisable
    est signalée et jamais employée.

    Exemple : cdv annuaire liste
    """
    from rich.table import Table

    from workflow.campagne import annuaire as contacts

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        contacts.rafraichir(session, ws.referentiel)
        rows = []
        for partner, c in contacts.repertoire(session, ws.referentiel):
            usable = contacts.adresse(session, partner.cle).motif or "oui"
            known = (c.nom, c.fonction, c.courriel, c.telephone, c.source) if c else ("", "", "", "", "")
            rows.append((partner.nom, partner.type, *known, usable))
    table = Table("Organisme", "Type", "Nom", "Fonction", "Courriel", "Téléphone", "Source", "Adresse utilisable")
    for row in rows:
        table.add_row(*row)
    console.print(table)


@annuaire.command("modifier")
@click.argument("organisme", metavar="ORGANISME")
@click.option("--nom", default=None, help="Nom du contact.")
@click.option("--fonction", default=None, help="Fonction du contact.")
@click.option("--courriel", default=None, help="Adresse électronique.")
@click.option("--telephone", default=None, help="Téléphone.")
@click.option("--association", "est_association", is_flag=True, help="L'organisme est une association.")
@click.option("--auteur", default=None, metavar="IDENTIFIANT", help="Qui modifie (défaut : CDV_AUTEUR).")
@click.option("--motif", default="", metavar="TEXTE", help="Pourquoi (gardé au journal).")
@racine_option
@click.pass_context
def annuaire_modifier(
    ctx: click.Context, organisme: str, nom: str | None, fonction: str | None, courriel: str | None,
    telephone: str | None, est_association: bool, auteur: str | None, motif: str, racine: Path | None,
) -> None:  # fmt: skip
    """Saisir ou corriger le contact d'un partenaire ; il prévaut jusqu'à une réponse validée plus récente.
    Chaque valeur saisie est inscrite au journal (qui, quand, avant, après).

    Exemple : cdv annuaire modifier "Pas-de-Calais Habitat" --courriel nadia.leroy@pdc-habitat.fr --motif "appel du 3/3"
    """
    from workflow.campagne import annuaire as contacts
    from workflow.errors import CdvError
    from workflow.review.users import author_name, check_author

    values = {
        k: v
        for k, v in (("nom", nom), ("fonction", fonction), ("courriel", courriel), ("telephone", telephone))
        if v is not None
    }
    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        who = check_author(session, author_name(ws, auteur)).identifiant
        cible = contacts.partenaire(ws.referentiel, organisme, "association" if est_association else None)
        if not est_association and not contacts.connu(session, cible):
            raise CdvError(
                f"« {organisme} » n'est ni un signataire du contrat ni une association connue du registre : "
                "vérifier le nom (cdv annuaire liste), ou ajouter --association pour une nouvelle association"
            )
        contacts.rafraichir(session, ws.referentiel)  # the fields not given keep what the partner answered
        contacts.modifier(session, cible, values, who, motif.strip() or "annuaire (ligne de commande)")
    console.print(f"Contact {cible.complement} enregistré et inscrit au journal.")


@app.group()
def relances() -> None:
    """Relances des partenaires sans réponse à une campagne, suivies (quand, à qui, combien)."""


@relances.command("preparer")
@campagne_option
@racine_option
@click.pass_context
def relances_preparer(ctx: click.Context, campagne: int | None, racine: Path | None) -> None:
    """Préparer une relance (projet .eml et formulaire) pour chaque partenaire attendu sans réponse ;
    jamais deux fois le même jour ; les partenaires sans adresse valide sont listés.

    Exemple : cdv relances preparer --campagne 2026
    """
    from workflow.campagne import relances as suivi

    with opened(ctx, racine) as (ws, registry):
        year = campagne_choisie(registry, campagne)
        done = suivi.preparer(ws, registry, year)
    console.print(
        f"Campagne {year} : {nombre(len(done.preparees), 'relance préparée', 'relances préparées')}"
        f" dans {done.dossier}, "
        f"échéance indiquée le {done.echeance:%d/%m/%Y}."
    )
    for row in done.preparees:
        console.print(f"  - {row.organisme} → {row.destinataire} (relance n° {row.numero})", markup=False)
    if done.deja_relances:
        console.print(
            f"{nombre(len(done.deja_relances), 'partenaire déjà relancé', 'partenaires déjà relancés')} aujourd'hui : "
            "rien de plus."
        )
    if done.sans_adresse:
        console.print(
            f"{nombre(len(done.sans_adresse), 'partenaire', 'partenaires')} {suivi.SANS_ADRESSE} (aucune relance) :"
        )
        for item in done.sans_adresse:
            console.print(f"  - {item.partenaire.nom} : {item.motif}", markup=False)


@relances.command("envoyer")
@campagne_option
@click.option(
    "--envoyer", "vraiment", is_flag=True, help="Envoyer vraiment par SMTP (section [envoi]) ; sinon, lister."
)
@racine_option
@click.pass_context
def relances_envoyer(ctx: click.Context, campagne: int | None, vraiment: bool, racine: Path | None) -> None:
    """Lister, ou envoyer avec --envoyer, les relances préparées et pas encore envoyées.

    Exemple : cdv relances envoyer --campagne 2026 --envoyer
    """
    from workflow.campagne import relances as suivi

    with opened(ctx, racine) as (ws, registry):
        year = campagne_choisie(registry, campagne)
        rows = suivi.a_envoyer(registry, year)
        if not vraiment:
            for row in rows:
                console.print(
                    f"À envoyer : {row.organisme} → {row.destinataire} (relance n° {row.numero})", markup=False
                )
            console.print(f"{nombre(len(rows), 'relance', 'relances')} à envoyer ; ajouter --envoyer pour les envoyer.")
            return
        sent = suivi.envoyer(ws, registry, rows)
    console.print(f"{nombre(len(sent), 'relance envoyée', 'relances envoyées')}.")


@relances.command("liste")
@campagne_option
@racine_option
@click.pass_context
def relances_liste(ctx: click.Context, campagne: int | None, racine: Path | None) -> None:
    """Lister les relances d'une campagne : quand, à qui, laquelle, envoyée ou non.

    Exemple : cdv relances liste --campagne 2026
    """
    from rich.table import Table

    from workflow.campagne import relances as suivi
    from workflow.fr import datetime_fr

    with opened(ctx, racine) as (_ws, registry):
        year = campagne_choisie(registry, campagne)
        rows = [
            (
                datetime_fr(suivi.heure_locale(r.preparee_le)),
                r.organisme,
                r.destinataire,
                str(r.numero),
                datetime_fr(suivi.heure_locale(r.envoyee_le)) if r.envoyee_le else "non",
            )
            for r in suivi.historique(registry, year)
        ]
    table = Table(
        "Préparée le", "Partenaire", "Destinataire", "N°", "Envoyée le", title=f"Relances de la campagne {year}"
    )
    for row in rows:
        table.add_row(*row)
    console.print(table)
