"""The evaluation report reads right: charts with whole labels and units, no report for an empty year."""

from __future__ import annotations

from PIL import Image
from support import cdv

from workflow.evaluation import graphiques
from workflow.evaluation.graphiques import BLEU, barres, courbes
from workflow.evaluation.tableaux import nombre_fr

LONG = "Territoires de vulnérabilité de Beaurains et Cheminots Jean Jaurès Moulin Hacart"


def test_a_long_label_is_wrapped_never_cut_and_the_axis_has_its_unit(tmp_path):
    chart = barres(
        tmp_path / "b.png",
        "Montants répartis par quartier",
        [(LONG, 1000), ("Quatre As", 500)],
        str,
        unite="Montant (€)",
    )
    assert LONG in chart.alt and "Montant (€)" not in chart.alt
    with Image.open(chart.chemin) as picture:
        width, height = picture.size
    assert width > 800 and height > 200
    assert BLEU == "#0072B2", "Okabe-Ito palette, safe for colour-blind readers"


def test_a_line_chart_puts_its_legend_outside_the_lines(tmp_path):
    series = {f"Quartier {i}": [(2010, 1000 + i), (2018, 1200 + i)] for i in range(6)}
    chart = courbes(
        tmp_path / "c.png", "Revenu médian par personne et par an", series, lambda v: nombre_fr(v, 0), "Euros par an"
    )
    with Image.open(chart.chemin) as picture:
        _, height = picture.size
    assert height > 600, "the legend below the axes makes the picture taller"
    assert "Quartier 5 : 2010 1" in chart.alt


def test_graduations_say_where_they_stand(tmp_path, monkeypatch):
    drawn = []
    save = graphiques._save
    monkeypatch.setattr(graphiques, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(graphiques, "_save", lambda fig, path, shows: drawn.append(fig) or save(fig, path, shows))
    barres(tmp_path / "b.png", "Réunions par instance", [("Comité de pilotage", 6), ("Comité stratégique", 1)], str)
    courbes(tmp_path / "c.png", "Part des ménages", {"Quatre As": [(2018, 21.2), (2021, 22.4)]}, str, "%")
    bars, lines = (fig.axes[0] for fig in drawn)
    assert all(value == int(value) for value in bars.get_xticks()), "a count is graduated in whole numbers"
    labels = [lines.yaxis.get_major_formatter()(value) for value in lines.get_yticks()]
    assert len(set(labels)) == len(labels) and "21,2" in labels, "no two graduations read alike"
    with Image.open(tmp_path / "b.png") as picture:
        assert picture.mode == "RGB" and picture.width == 1200, "opaque, 8 inches at 150 dpi"


def test_a_chart_showing_what_one_drawn_before_showed_is_copied_not_drawn(tmp_path, monkeypatch):
    monkeypatch.setattr(graphiques, "CACHE", tmp_path / "cache")
    data = [("Comité de pilotage", 6), ("Comité stratégique", 1)]
    first = barres(tmp_path / "1.png", "Réunions par instance", data, str).chemin

    class Forbidden(graphiques.FigureCanvasAgg):
        def draw(self):
            raise AssertionError("drawn again")

    monkeypatch.setattr(graphiques, "FigureCanvasAgg", Forbidden)
    again = barres(tmp_path / "2.png", "Réunions par instance", data, str).chemin
    assert again.read_bytes() == first.read_bytes()
    monkeypatch.setattr(graphiques, "FigureCanvasAgg", Forbidden.__mro__[1])
    changed = barres(tmp_path / "3.png", "Réunions par instance", [("Comité de pilotage", 7), data[1]], str).chemin
    assert changed.read_bytes() != first.read_bytes(), "a figure that changed is drawn anew"
    assert len(list((tmp_path / "cache").glob("*.png"))) == 2


def test_a_cache_that_cannot_be_written_is_done_without(tmp_path, monkeypatch):
    (tmp_path / "fichier").write_text("pas un dossier", encoding="utf-8")
    monkeypatch.setattr(graphiques, "CACHE", tmp_path / "fichier" / "cache")
    chart = barres(tmp_path / "b.png", "Réunions par instance", [("Comité de pilotage", 6)], str)
    with Image.open(chart.chemin) as picture:
        assert picture.width == 1200


def test_a_year_without_any_data_is_refused_in_french(workspace):
    done = cdv("generer", "evaluation", "--annee", "2031", "--racine", str(workspace.root))
    assert done.returncode != 0
    assert "Aucune donnée pour 2031" in done.stderr and "Traceback" not in done.stderr
    assert not (workspace.outbox / "evaluation_2031_annuel").exists(), "nothing is written"
