"""Bootstrap a Word template missing from `gabarits/`; an existing one is never overwritten.

The committed gabarits are the reference: staff edit them in Word or LibreOffice and
`cdv gabarits verifier` checks them. This script only writes the ones a folder lacks.

The templates are docxtpl documents: Jinja tags in the text, `{%tr %}` / `{%p %}` loops.
Form fields are content controls whose `w:tag` is the field id read back by the parser.
Usage: python tools/build_gabarits.py [DESTINATION]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NSDECL = f'xmlns:w="{W}" xmlns:w14="{W14}"'


def r(text: str, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props += f'<w:sz w:val="{size}"/>' if size else ""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(*runs: str, style: str | None = None, keep_next: bool = False) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr += "<w:keepNext/>" if keep_next else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(runs)}</w:p>"


def control(tag: str, alias: str, value: str, multiline: bool = False) -> str:
    """A run-level plain-text content control holding one run (easy to fill by program)."""
    ml = ' w:multiLine="1"' if multiline else ""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>'
        f"<w:text{ml}/></w:sdtPr><w:sdtContent>{r(value)}</w:sdtContent></w:sdt>"
    )


def checkbox(tag: str, checked: str) -> str:
    """A w14 checkbox content control; `checked` is a Jinja expression."""
    return (
        f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/><w14:checkbox>'
        f"<w14:checked w14:val=\"{{{{ '1' if {checked} else '0' }}}}\"/>"
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
        "</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr>"
        '<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/>'
        f"</w:rPr><w:t>{{{{ '☒' if {checked} else '☐' }}}}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def cell(content: str, width: int, shade: str | None = None) -> str:
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    body = content if content.startswith("<w:p") else p(content)
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}</w:tcPr>{body}</w:tc>'


def row(*cells: str, header: bool = False, height: int = 0) -> str:
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    trpr = trpr or (f'<w:trPr><w:trHeight w:val="{height}"/></w:trPr>' if height else "")
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def table(widths: list[int], *rows: str) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def block_control(tag: str, alias: str, inner: str) -> str:
    """A block-level rich content control wrapping paragraphs or a table."""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/></w:sdtPr>'
        f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    )


def loop_row(ncols: int, widths: list[int], tag: str) -> str:
    return row(
        cell(p(r(tag)), sum(widths)) if ncols == 1 else cell(p(r(tag)), widths[0]), *[cell(p(), w) for w in widths[1:]]
    )


def loop_table(widths: list[int], head: str, line: str, loop: str) -> str:
    """A table with a header row and one `line` per item of the Jinja `loop` ("x in items")."""
    return table(
        widths,
        head,
        loop_row(len(widths), widths, f"{{%tr for {loop} %}}"),
        line,
        loop_row(len(widths), widths, "{%tr endfor %}"),
    )


def list_table(field: str, item: str, columns: list[tuple[str, str, int]]) -> str:
    """A table of repeating rows; each cell a control tagged with the sub-field id."""
    widths = [w for _, _, w in columns]
    head = row(
        *[
            cell(p(r(f"{{{{ q.{field}.colonnes[{i}].libelle }}}}", bold=True)), w, "D9E2F3")
            for i, (_, _, w) in enumerate(columns)
        ],
        header=True,
    )
    body = row(
        *[cell(p(control(sub, alias, f"{{{{ {item}.{sub} }}}}", multiline=True)), w) for sub, alias, w in columns],
        height=480,
    )
    return block_control(
        field,
        field,
        table(
            widths,
            head,
            loop_row(len(columns), widths, f"{{%tr for {item} in {field} %}}"),
            body,
            loop_row(len(columns), widths, "{%tr endfor %}"),
        ),
    )


def question(field: str) -> str:
    return p(r(f"{{{{ q.{field}.texte }}}}"), style="Heading2", keep_next=True) + p(
        r(f"{{{{ q.{field}.consigne }}}}", italic=True, size=18), keep_next=True
    )


def objectives_table() -> str:
    """The repeating rows of declared objectives, shared by both forms."""
    columns = [
        ("ambition", "Ambition", 1800),
        ("os", "OS", 1500),
        ("oo", "OO", 1500),
        ("libelle_saisi", "Libellé", 4600),
    ]
    return list_table("objectifs", "o", columns)


def front(subtitle: str, edition: str) -> list[str]:
    """The opening of every generated document: the contract's title, a subtitle, an edition line."""
    return [
        p(r("Contrat de ville «\u00a0Cœur de Quartier\u00a0» 2024-2030"), style="Title"),
        p(r(subtitle), style="Subtitle"),
        p(r(edition, italic=True)),
    ]


def identification() -> str:
    """The header table: one row per field, label | control tagged with the field id."""
    return table(
        [3200, 6200],
        row(cell(p(r("{%tr for c in entete %}")), 9400)),
        row(
            cell(p(r("{{ c.libelle }}", bold=True)), 3200, "F2F2F2"),
            cell(p(control("{{ c.id }}", "{{ c.libelle }}", "{{ c.valeur }}")), 6200),
        ),
        row(cell(p(r("{%tr endfor %}")), 9400)),
    )


def ticks(items: str, tag: str, label: str, note: str = "") -> str:
    """One checkbox paragraph per item of a loop, tagged `tag` (Jinja)."""
    extra = [r(note, italic=True, size=18)] if note else []
    return (
        p(r(f"{{%p for x in {items} %}}")) + p(checkbox(tag, "x.coche"), r(f" {label}"), *extra) + p(r("{%p endfor %}"))
    )


def quartiers_block() -> str:
    return ticks("quartiers", "quartier:{{ x.id }}", "{{ x.nom }}", " ({{ x.communes }})") + p(
        r("{{ precisions_libelle }} : ", bold=True),
        control("quartiers_precisions", "{{ precisions_libelle }}", "{{ quartiers_precisions }}", multiline=True),
    )


def questionnaire_body() -> str:
    identification_table = identification()
    quartiers = quartiers_block()
    engagements = block_control(
        "engagements_2024_2030",
        "Engagements 2024-2030",
        p(r("{%p for ligne in engagements %}")) + p(r("{{ ligne }}")) + p(r("{%p endfor %}")),
    )
    return "".join(
        [
            p(r("Contrat de ville «\u00a0Cœur de Quartier\u00a0» 2024-2030"), style="Title"),
            p(r("{{ titre }} — campagne {{ campagne }}"), style="Subtitle"),
            p(
                r(
                    "Merci de compléter ce formulaire dans Word ou LibreOffice et de le renvoyer tel quel, "
                    "au format .docx, au service Cohésion sociale de la Communauté Urbaine d'Arras. "
                    "Saisissez vos réponses dans les zones prévues ; ajoutez des lignes aux tableaux si "
                    "nécessaire (touche Tab dans la dernière cellule).",
                    size=20,
                )
            ),
            p(r("Identification"), style="Heading1"),
            identification_table,
            p(r("Vos réponses"), style="Heading1"),
            question("interventions_structurantes"),
            list_table(
                "interventions_structurantes",
                "i",
                [("intitule", "Intitulé", 3000), ("description", "Description", 6400)],
            ),
            question("quartiers_vises"),
            quartiers,
            question("agents_gouvernance"),
            list_table("agents_gouvernance", "a", [("nom", "Nom", 4200), ("fonction", "Fonction", 5200)]),
            question("engagements_2024_2030"),
            engagements,
            question("objectifs"),
            objectives_table(),
            p(
                r(
                    "Formulaire généré le {{ date_generation }} par la Communauté Urbaine d'Arras — "
                    "référence {{ reference }}.",
                    italic=True,
                    size=16,
                )
            ),
        ]
    )


def answer(field: str, loop: str, item: str) -> str:
    """A question as a heading, then one paragraph per item, or "Non renseigné." when none."""
    items = loop.split(" in ", 1)[1]
    return "".join(
        [
            p(r(f"{{{{ q.{field}.texte }}}}"), style="Heading2", keep_next=True),
            p(r(f"{{%p for {loop} %}}")),
            item,
            p(r("{%p endfor %}")),
            p(r(f"{{%p if not {items} %}}")),
            p(r("Non renseigné.", italic=True)),
            p(r("{%p endif %}")),
        ]
    )


def annexe_body() -> str:
    objectif = (
        "{{ o.ambition_libelle }} — OS {{ o.os }}{% if o.os_libelle %} : {{ o.os_libelle }}{% endif %}"
        " — {{ o.oo }} {{ o.libelle }}"
    )
    return "".join(
        [
            *front(
                "Annexe : engagements des signataires",
                "Édition du {{ date_edition }} — {{ partenaires|length }} signataire{{ 's' if partenaires|length > 1 "
                "else '' }}, réponses les "
                "plus récentes de chacun.",
            ),
            p(r("{%p for s in partenaires %}")),
            p(r("{{ s.titre }}"), style="Heading1"),  # « ENGAGEMENTS DE LA VILLE D'ARRAS », article included
            p(
                r(
                    "Campagne {{ s.campagne }} — réponse reçue le {{ s.recu_le }}"
                    "{% if s.referent %} — référent : {{ s.referent }}{% endif %}",
                    italic=True,
                    size=18,
                )
            ),
            answer(
                "interventions_structurantes",
                "i in s.interventions",
                p(
                    r("{{ i.intitule }}", bold=True),
                    r("{% if i.intitule and i.description %} : {% endif %}"),
                    r("{{ i.description }}"),
                ),
            ),
            answer("quartiers_vises", "nom in s.quartiers", p(r("{{ nom }}"), style="ListBullet")),
            answer(
                "agents_gouvernance",
                "a in s.agents",
                p(
                    r("{{ a.nom }}", bold=True),
                    r("{% if a.nom and a.fonction %} : {% endif %}{{ a.fonction }}"),
                    style="ListBullet",
                ),
            ),
            answer(
                "engagements_2024_2030",
                "e in s.engagements",
                p(r("{{ e.texte }}"), style="{{ 'ListBullet' if e.puce else 'Normal' }}"),
            ),
            answer(
                "objectifs",
                "o in s.objectifs",
                p(r(objectif), r("{% if o.note %} ({{ o.note }}){% endif %}", italic=True), style="ListBullet"),
            ),
            p(r("{%p if not loop.last %}")),
            '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
            p(r("{%p endif %}")),
            p(r("{%p endfor %}")),
            p(r("{%p if not partenaires %}")),
            p(r("Aucun questionnaire d'engagement n'a encore été enregistré.", italic=True)),
            p(r("{%p endif %}")),
        ]
    )


def labelled_rows(columns: str, item: str) -> str:
    """Rows "label | control" for each column of a loop (`columns` is a Jinja list)."""
    return "".join(
        [
            row(cell(p(r(f"{{%tr for col in {columns} %}}")), 9400)),
            row(
                cell(p(r("{{ col.libelle }}", bold=True)), 3200, "F2F2F2"),
                cell(
                    p(control("{{ col.id }}", "{{ col.libelle }}", f"{{{{ {item}[col.id] }}}}", multiline=True)), 6200
                ),
            ),
            row(cell(p(r("{%tr endfor %}")), 9400)),
        ]
    )


def actions_block() -> str:
    """Repeating actions: each a control tagged "action" holding its fields and cofinancements."""
    cofinancements = block_control(
        "cofinancements",
        "Cofinancements",
        table(
            [6200, 3200],
            row(
                cell(p(r("Financeur", bold=True)), 6200, "D9E2F3"),
                cell(p(r("Montant (€)", bold=True)), 3200, "D9E2F3"),
                header=True,
            ),
            loop_row(2, [6200, 3200], "{%tr for c in a.cofinancements %}"),
            row(
                cell(p(control("financeur", "Financeur", "{{ c.financeur }}")), 6200),
                cell(p(control("montant", "Montant", "{{ c.montant }}")), 3200),
            ),
            loop_row(2, [6200, 3200], "{%tr endfor %}"),
        ),
    )
    action = block_control(
        "action",
        "Action",
        "".join(
            [
                p(r("Action {{ loop.index }}"), style="Heading3", keep_next=True),
                table([3200, 6200], labelled_rows("colonnes_action", "a")),
                p(r("Cofinancements de l'action", italic=True), keep_next=True),
                cofinancements,
            ]
        ),
    )
    return block_control("actions", "Actions", p(r("{%p for a in actions %}")) + action + p(r("{%p endfor %}")))


def section(key: str) -> str:
    return p(r(f"{{{{ sections.{key} }}}}"), style="Heading1", keep_next=True)


def field(tag: str, label: str, value: str) -> str:
    return p(r(f"{label} : ", bold=True), control(tag, label, value, multiline=True))


def association_body() -> str:
    return "".join(
        [
            p(r("Contrat de ville «\u00a0Cœur de Quartier\u00a0» 2024-2030"), style="Title"),
            p(r("{{ titre }}"), style="Subtitle"),
            p(
                r(
                    "Merci de compléter cette fiche dans Word ou LibreOffice et de la renvoyer au format .docx "
                    "au service "
                    "Cohésion sociale de la Communauté Urbaine d'Arras. Elle sert à établir la charte d'engagement de "
                    "votre association, annexée au contrat de ville.",
                    size=20,
                )
            ),
            p(r("Identification"), style="Heading1"),
            identification(),
            section("quartiers_intervention"),
            quartiers_block(),
            section("ambitions"),
            ticks("ambitions", "ambition:{{ x.id }}", "{{ x.libelle }}"),
            section("objectifs"),
            objectives_table(),
            section("actions"),
            p(r("Une fiche par action ; copier un bloc d'action pour en ajouter une.", italic=True, size=18)),
            actions_block(),
            section("engagements"),
            ticks("engagements_standards", "engagement:{{ x.id }}", "{{ x.libelle }}"),
            field("autres_engagements", "Autres engagements", "{{ autres_engagements }}"),
            section("cpo"),
            field("demande_cpo", "Demandez-vous une CPO (oui / non)", "{{ demande_cpo }}"),
            field("duree_cpo_annees", "Durée souhaitée (années)", "{{ duree_cpo_annees }}"),
            section("indicateurs_suivi"),
            p(r("Un indicateur par ligne.", italic=True, size=18)),
            block_control(
                "indicateurs_suivi",
                "Indicateurs de suivi",
                p(r("{%p for i in indicateurs_suivi %}")) + p(r("{{ i }}")) + p(r("{%p endfor %}")),
            ),
            section("signature"),
            field("fait_a", "Fait à", "{{ fait_a }}"),
            field("date", "Le", "{{ date }}"),
            field("signataire_nom", "Nom et qualité du signataire", "{{ signataire_nom }}"),
            p(
                r(
                    "Fiche générée le {{ date_generation }} par la Communauté Urbaine d'Arras — "
                    "référence {{ reference }}.",
                    italic=True,
                    size=16,
                )
            ),
        ]
    )


def toc() -> str:
    """A table-of-contents field (Word and LibreOffice refresh it), showing the titles until then."""
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        ' TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "</w:p>"
        + p(r("{%p for c in chartes %}"))
        + p(r("{{ c.titre }}"))
        + p(r("{%p endfor %}"))
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def charte_body() -> str:
    """One engagement charter per item of `chartes`; with `sommaire`, the annex gathering them."""
    action_head = row(
        *[
            cell(p(r(t, bold=True)), w, "D9E2F3")
            for t, w in (
                ("Action", 2600),
                ("Public visé", 1800),
                ("Bénéficiaires", 1200),
                ("Période", 1600),
                ("Cofinancements", 2200),
            )
        ],
        header=True,
    )
    action_line = row(
        cell(p(r("{{ a.intitule }}", bold=True)), 2600),
        cell(p(r("{{ a.public_vise }}")), 1800),
        cell(p(r("{{ a.beneficiaires }}")), 1200),
        cell(p(r("{{ a.periode }}")), 1600),
        cell(p(r("{{ a.cofinancements }}")), 2200),
    )
    widths = [2600, 1800, 1200, 1600, 2200]
    return "".join(
        [
            p(r("{%p if sommaire %}")),
            p(r("Contrat de ville «\u00a0Cœur de Quartier\u00a0» 2024-2030"), style="Title"),
            p(r("Annexe : chartes d'engagement des associations"), style="Subtitle"),
            p(
                r(
                    "Édition du {{ date_edition }} — {{ chartes|length }} "
                    "charte{{ 's' if chartes|length > 1 else '' }}."
                ),
                style="Normal",
            ),
            p(r("Sommaire"), style="Heading2"),
            toc(),
            '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
            p(r("{%p endif %}")),
            p(r("{%p for c in chartes %}")),
            p(r("{{ c.titre }}"), style="Heading1"),
            p(r("Contrat de ville «\u00a0Cœur de Quartier\u00a0» 2024-2030 — Communauté Urbaine d'Arras", italic=True)),
            p(r("Entre les soussignés"), style="Heading2"),
            p(
                r(
                    "La Communauté Urbaine d'Arras, porteuse du contrat de ville « Cœur de Quartier », "
                    "représentée par son Président,"
                )
            ),
            p(
                r("et l'association "),
                r("{{ c.nom }}", bold=True),
                r("{% if c.sigle %} ({{ c.sigle }}){% endif %}"),
                r(
                    ", {{ c.adresse }}{% if c.siret %}, SIRET {{ c.siret }}{% endif %}"
                    "{% if c.rna %}, RNA {{ c.rna }}{% endif %}"
                    ", représentée par {{ c.representant }}."
                ),
            ),
            p(r("Il est convenu ce qui suit."), style="Normal"),
            p(r("Article 1 — Quartiers d'intervention"), style="Heading2"),
            p(r("{%p for q in c.quartiers %}")),
            p(r("{{ q }}"), style="ListBullet"),
            p(r("{%p endfor %}")),
            p(r("{%p if not c.quartiers %}")),
            p(r("Non renseigné.", italic=True)),
            p(r("{%p endif %}")),
            p(r("Article 2 — Ambitions et objectifs du contrat"), style="Heading2"),
            p(r("Ambitions visées : {{ c.ambitions }}.")),
            p(r("{%p for o in c.objectifs %}")),
            p(r("{{ o }}"), style="ListBullet"),
            p(r("{%p endfor %}")),
            p(r("Article 3 — Actions"), style="Heading2"),
            loop_table(widths, action_head, action_line, "a in c.actions"),
            p(r("Article 4 — Engagements de l'association"), style="Heading2"),
            p(r("{%p for e in c.engagements %}")),
            p(r("☒ {{ e }}")),
            p(r("{%p endfor %}")),
            p(r("{%p if c.autres_engagements %}")),
            p(r("Autres engagements : {{ c.autres_engagements }}")),
            p(r("{%p endif %}")),
            p(r("Article 5 — Convention pluriannuelle d'objectifs"), style="Heading2"),
            p(r("{{ c.cpo }}")),
            p(r("Article 6 — Indicateurs de suivi"), style="Heading2"),
            p(r("{%p for i in c.indicateurs %}")),
            p(r("{{ i }}"), style="ListBullet"),
            p(r("{%p endfor %}")),
            p(r("L'association transmet chaque année ces indicateurs et un bilan de ses actions.", italic=True)),
            p(r("Signatures"), style="Heading2"),
            table(
                [4700, 4700],
                row(
                    cell(p(r("Pour l'association", bold=True)), 4700),
                    cell(p(r("Pour la Communauté Urbaine d'Arras", bold=True)), 4700),
                ),
                row(
                    cell(p(r("{{ c.signataire }}")) + p(r("Fait à {{ c.fait_a }}, le {{ c.date }}")), 4700),
                    cell(p(r("Le Président")) + p(r("Fait à Arras, le")), 4700),
                    height=1400,
                ),
            ),
            p(r("{%p if not loop.last %}")),
            '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
            p(r("{%p endif %}")),
            p(r("{%p endfor %}")),
        ]
    )


def objectifs_annex_body() -> str:
    line = row(
        cell(p(r("{{ oo.code }}", bold=True)), 900, "{{ oo.fond }}"),
        cell(p(r("{{ oo.libelle }}")), 4500, "{{ oo.fond }}"),
        cell(p(r("{{ oo.par }}")), 4000, "{{ oo.fond }}"),
    )
    head = row(
        *[
            cell(p(r(t, bold=True)), w, "D9E2F3")
            for t, w in (("Code", 900), ("Objectif opérationnel", 4500), ("Déclaré par", 4000))
        ],
        header=True,
    )
    widths = [900, 4500, 4000]
    return "".join(
        [
            *front(
                "Annexe : objectifs opérationnels et engagements déclarés",
                "Édition du {{ date_edition }}. Les objectifs qu'aucun partenaire ni aucune association "
                "n'a déclarés sont surlignés.",
            ),
            p(r("{%p for am in ambitions %}")),
            p(r("{{ am.libelle }}"), style="Heading1"),
            p(
                r(
                    "{{ am.total }} objectifs opérationnels, {{ am.couverts }} couverts, {{ am.non_couverts }} sans "
                    "engagement déclaré ; {{ am.declarations }} déclaration{{ 's' if am.declarations > 1 else '' }}.",
                    italic=True,
                )
            ),
            p(r("{%p for os in am.os %}")),
            p(r("Objectif stratégique {{ os.numero }} : {{ os.libelle }}"), style="Heading2", keep_next=True),
            loop_table(widths, head, line, "oo in os.oo"),
            p(r("{%p endfor %}")),
            p(r("{%p endfor %}")),
        ]
    )


def retours_body() -> str:
    head = row(
        *[
            cell(p(r(t, bold=True)), w, "D9E2F3")
            for t, w in (("Organisme", 3200), ("Reçue le", 1600), ("Référent", 2400), ("Alertes", 2200))
        ],
        header=True,
    )
    line = row(
        cell(p(r("{{ x.organisme }}")), 3200),
        cell(p(r("{{ x.recu_le }}")), 1600),
        cell(p(r("{{ x.referent }}")), 2400),
        cell(p(r("{{ x.alertes }}")), 2200),
    )
    return "".join(
        [
            *front(
                "État des retours — campagne {{ campagne }}",
                "Préparé pour le {{ copil }} ; situation au {{ date_edition }}.",
            ),
            p(
                r(
                    "{{ repondu|length }} signataire{{ 's' if repondu|length > 1 else '' }} sur {{ total }} "
                    "{{ 'ont' if repondu|length > 1 else 'a' }} répondu ; {{ manquants|length }} "
                    "réponse{{ 's' if manquants|length > 1 else '' }} "
                    "manquante{{ 's' if manquants|length > 1 else '' }}."
                ),
                style="Heading2",
            ),
            p(r("Réponses reçues"), style="Heading1"),
            loop_table([3200, 1600, 2400, 2200], head, line, "x in repondu"),
            p(r("Sans réponse"), style="Heading1"),
            p(r("{%p for x in manquants %}")),
            p(r("{{ x.organisme }}"), style="ListBullet"),
            p(r("{%p endfor %}")),
            p(r("{%p if not manquants %}")),
            p(r("Tous les signataires ont répondu.", italic=True)),
            p(r("{%p endif %}")),
            p(
                r(
                    "Un projet de relance par signataire sans réponse est joint dans le dossier « relances ».",
                    italic=True,
                    size=18,
                )
            ),
            p(r("Fiches association reçues : {{ fiches|length }}"), style="Heading1"),
            loop_table([3200, 1600, 2400, 2200], head, line, "x in fiches"),
        ]
    )


def generic_table(var: str) -> str:
    """A table whose columns and rows both come from the data (`{%tc %}` and `{%tr %}` loops)."""
    auto = '<w:tcW w:w="0" w:type="auto"/>'

    def tc(content: str, shade: str | None = None) -> str:
        fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
        return f"<w:tc><w:tcPr>{auto}{fill}</w:tcPr>{content}</w:tc>"

    def looped(item: str, items: str, bold: bool, shade: str | None, header: bool) -> str:
        return row(
            tc(p(r(f"{{%tc for {item} in {items} %}}"))),
            tc(p(r(f"{{{{ {item} }}}}", bold=bold, size=17)), shade),
            tc(p(r("{%tc endfor %}"))),
            header=header,
        )

    def whole(tag: str) -> str:
        return row(tc(p(r(tag))))

    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid><w:gridCol w:w="3133"/><w:gridCol w:w="3133"/>'
        '<w:gridCol w:w="3134"/></w:tblGrid>'
        + looped("h", f"{var}.entetes", True, "D9E2F3", True)
        + whole(f"{{%tr for l in {var}.lignes %}}")
        + looped("c", "l", False, None, False)
        + whole("{%tr endfor %}")
        + "</w:tbl>"
    )


def figures_and_tables(part: str) -> str:
    """A part's charts (picture, caption) then its tables (title, table, note)."""
    return "".join(
        [
            p(r(f"{{%p for g in {part}.graphiques %}}")),
            '<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr>' + r("{{ g.image }}") + "</w:p>",
            p(r("Figure : {{ g.titre }}", italic=True, size=18)),
            p(r("{%p endfor %}")),
            p(r(f"{{%p for t in {part}.tableaux %}}")),
            p(r("{{ t.titre }}"), style="Heading2", keep_next=True),
            generic_table("t"),
            p(r("{%p if t.note %}")),
            p(r("{{ t.note }}", italic=True, size=16)),
            p(r("{%p endif %}")),
            p(r("{%p endfor %}")),
        ]
    )


def evaluated(title: str, objet: str, indicateurs: str) -> list[str]:
    """A part's heading and what the contract (Partie 5) says it evaluates."""
    return [
        p(r(title), style="Heading1"),
        p(r("Objet évalué : ", bold=True, italic=True), r(objet, italic=True)),
        p(r("Indicateurs : ", bold=True, italic=True), r(indicateurs, italic=True)),
    ]


def bullets(items: str, text: str = "{{ x }}") -> list[str]:
    return [p(r(f"{{%p for x in {items} %}}")), p(r(text), style="ListBullet"), p(r("{%p endfor %}"))]


def evaluation_body() -> str:
    cibles_widths = [2600, 1300, 1500, 2300, 1700]
    cibles_head = row(
        *[
            cell(p(r(t, bold=True)), w, "D9E2F3")
            for t, w in zip(("Indicateur", "Constaté", "Cible", "Détail", "Appréciation"), cibles_widths, strict=True)
        ],
        header=True,
    )
    cibles_line = row(
        *[
            cell(p(r(f"{{{{ c.{k} }}}}", bold=k == "appreciation")), w, "{{ c.fond }}")
            for k, w in zip(("libelle", "constate", "cible", "detail", "appreciation"), cibles_widths, strict=True)
        ]
    )
    return "".join(
        [
            *front(
                "{{ type }} — {{ periode }}",
                "Édition du {{ date_edition }}. Chaque tableau figure aussi dans le classeur {{ classeur }}.",
            ),
            p(r("Les cibles du contrat"), style="Heading1"),
            p(r("{%p if programmation.present %}")),
            p(
                r(
                    "Programmation {{ programmation.annee }} comparée aux cibles du contrat et au plafond fixé "
                    "pour les territoires de vulnérabilité."
                )
            ),
            loop_table(cibles_widths, cibles_head, cibles_line, "c in programmation.cibles"),
            p(r("{{ programmation.methode }}", italic=True, size=16)),
            *bullets("programmation.alertes", "Point d'attention — {{ x }}."),
            p(r("{%p else %}")),
            p(
                r(
                    "Aucune programmation n'a été enregistrée pour {{ programmation.annee }} : les cibles du "
                    "contrat ne peuvent pas encore être calculées.",
                    italic=True,
                )
            ),
            p(r("{%p endif %}")),
            *evaluated(
                "1. Programmations annuelles",
                "appels à projets du contrat de ville.",
                "nombre d'actions financées par année, montant des financements, profils des opérateurs, nature des "
                "actions, nombre et profil des bénéficiaires.",
            ),
            p(r("{%p if programmation.present %}")),
            p(
                r(
                    "En {{ programmation.annee }}, {{ programmation.actions }} actions ont été financées, portées par "
                    "{{ programmation.operateurs }} opérateurs, pour {{ programmation.total }} tous financeurs "
                    "confondus, dont {{ programmation.enveloppe }} au titre de l'enveloppe du contrat. Bénéficiaires : "
                    "{{ programmation.beneficiaires_prevus }} prévus, {{ programmation.beneficiaires_atteints }} "
                    "atteints."
                )
            ),
            p(r("{%p endif %}")),
            figures_and_tables("programmation"),
            *evaluated(
                "2. Droit commun",
                "dispositifs de droit commun des signataires de « Cœur de Quartier ».",
                "approche financière et/ou partenariale, comparaison des fiches d'engagement {{ droit_commun.reference "
                "}} à N+2 et N+3.",
            ),
            figures_and_tables("droit_commun"),
            p(r("{%p for c in droit_commun.comparaisons %}")),
            p(r("{{ c.organisme }} : fiche {{ c.reference }} → fiche {{ c.campagne }}"), style="Heading2"),
            *bullets("c.changements"),
            p(r("{%p if not c.changements %}")),
            p(r("Aucun changement : {{ c.conserves }} intervention(s) reconduite(s) à l'identique.", italic=True)),
            p(r("{%p endif %}")),
            p(r("{%p endfor %}")),
            p(r("{%p if not droit_commun.comparaisons %}")),
            p(
                r(
                    "Aucune comparaison possible : aucun signataire n'a encore répondu à une campagne postérieure à "
                    "{{ droit_commun.reference }}.",
                    italic=True,
                )
            ),
            p(r("{%p endif %}")),
            p(r("{%p if droit_commun.sans_suivi %}")),
            p(r("Sans fiche postérieure à {{ droit_commun.reference }} : {{ droit_commun.sans_suivi }}.")),
            p(r("{%p endif %}")),
            p(r("{%p if droit_commun.sans_reference %}")),
            p(r("Sans fiche {{ droit_commun.reference }} : {{ droit_commun.sans_reference }}.")),
            p(r("{%p endif %}")),
            *evaluated(
                "3. Impacts d'actions",
                "objectifs de l'action sur le parcours de l'habitant ; les actions en CPO ou à fort taux de "
                "financement font l'objet d'une évaluation particulière.",
                "effets sur les bénéficiaires mesurés, indicateurs définis en équipe MOUS.",
            ),
            p(r("{%p if impacts.present %}")),
            p(r("{{ impacts.nombre }} action(s) en CPO ou à fort financement en {{ impacts.annee }}.")),
            p(r("{%p endif %}")),
            figures_and_tables("impacts"),
            *evaluated(
                "4. Participation citoyenne",
                "instances de participation citoyenne à l'échelle des communes.",
                "nombre d'instances, implication dans la gouvernance, instances auxquelles les habitants participent.",
            ),
            p(
                r(
                    "{{ participation.instances_actives }} instance(s) de participation sur "
                    "{{ participation.instances }} se sont réunies ({{ participation.reunions }} réunion(s)). "
                    "Des habitants étaient présents à {{ participation.avec_habitants }} des "
                    "{{ participation.reunions_gouvernance }} réunion(s) des instances de gouvernance."
                )
            ),
            p(r("{%p if programmation.present %}")),
            p(
                r(
                    "{{ programmation.participation_actions }} action(s) de la programmation relèvent de l'objectif "
                    "stratégique « Placer les habitants au cœur de leur quartier »."
                )
            ),
            p(r("{%p endif %}")),
            figures_and_tables("participation"),
            *evaluated(
                "5. Gouvernance",
                "schéma de gouvernance prévu au contrat de ville.",
                "nombre de réunions chaque année à l'échelle communale et communautaire, nombre de participants, "
                "institutions représentées.",
            ),
            p(r("{{ gouvernance.reunions }} réunion(s) des instances de gouvernance sur la période {{ periode }}.")),
            figures_and_tables("gouvernance"),
            *evaluated(
                "6. Observations",
                "situation en évolution du niveau de vie des habitants des QPV, actualisation des portraits de "
                "quartier.",
                "niveau de vie, part de ménages pauvres, jeunesse, emploi, formation.",
            ),
            p(
                r(
                    "Dernière valeur connue de chaque indicateur par quartier, comparée à la Communauté Urbaine "
                    "d'Arras, et son évolution depuis la première valeur connue. La source de chaque valeur figure "
                    "dans la feuille « Sources des observations » du classeur {{ classeur }}."
                )
            ),
            figures_and_tables("observations"),
        ]
    )


def new_document(subject: str) -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for name, color in (("Heading 1", "1F3864"), ("Heading 2", "2F5496"), ("Title", "1F3864")):
        document.styles[name].font.color.rgb = RGBColor.from_string(color)
    props = document.core_properties
    props.author = "Communauté Urbaine d'Arras — Cohésion sociale"
    props.subject = subject
    props.language = "fr-FR"
    return document


def write(path: Path, subject: str, body_xml: str, title: str) -> None:
    if path.exists():
        print(f"« {path} » existe déjà : laissé tel quel (un gabarit existant n'est jamais remplacé).")
        return
    document = new_document(subject)
    document.core_properties.title = title
    body = document.element.body
    sect = body[-1]
    for element in parse_xml(f"<w:body {NSDECL}>{body_xml}</w:body>"):
        sect.addprevious(element)
    footer = document.sections[0].footer.paragraphs[0]._p
    footer_xml = p(
        r("Contrat de ville « Cœur de Quartier » — Communauté Urbaine d'Arras — Page ", size=16),
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>',
        r(" sur ", size=16),
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>',
    )
    footer.addnext(parse_xml(footer_xml.replace("<w:p>", f"<w:p {NSDECL}>", 1)))
    footer.getparent().remove(footer)
    data = io.BytesIO()
    document.save(data)
    with path.open("xb") as out:  # "x": fails rather than replace a file created meanwhile
        out.write(data.getvalue())
    print(f"« {path} » écrit.")


def main(destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    write(
        destination / "formulaire_questionnaire.docx",
        "cdv:questionnaire:v1",
        questionnaire_body(),
        "Questionnaire d'engagement — {{ organisme }}",
    )
    write(
        destination / "formulaire_association.docx",
        "cdv:association:v1",
        association_body(),
        "Fiche association — {{ association }}",
    )
    write(destination / "charte_engagement.docx", "cdv:charte:v1", charte_body(), "Charte d'engagement")
    write(
        destination / "annexe_objectifs.docx",
        "cdv:annexe-objectifs:v1",
        objectifs_annex_body(),
        "Annexe — objectifs opérationnels",
    )
    write(
        destination / "etat_des_retours.docx",
        "cdv:etat-des-retours:v1",
        retours_body(),
        "État des retours — campagne {{ campagne }}",
    )
    write(
        destination / "rapport_evaluation.docx",
        "cdv:rapport-evaluation:v1",
        evaluation_body(),
        "Rapport d'évaluation — {{ periode }}",
    )
    write(
        destination / "annexe_engagements.docx",
        "cdv:annexe-engagements:v1",
        annexe_body(),
        "Annexe — Engagements des signataires",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "gabarits")
