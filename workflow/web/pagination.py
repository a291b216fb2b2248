"""Long lists cut into pages: which rows a page shows, and the links to the others with the same filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request

PER_PAGE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Pagination:
    """Page `numero` (from 1) of `total` rows, `par_page` to a page, its links keeping the request's filters."""

    numero: int
    total: int
    par_page: int
    chemin: str
    filtres: tuple[tuple[str, str], ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.par_page))

    @property
    def debut(self) -> int:
        """The rank of the first row shown, from 1 (0 for an empty list)."""
        return min(self.total, (self.numero - 1) * self.par_page + 1)

    @property
    def fin(self) -> int:
        return min(self.total, self.numero * self.par_page)

    @property
    def precedente(self) -> str | None:
        return self.lien(self.numero - 1) if self.numero > 1 else None

    @property
    def suivante(self) -> str | None:
        return self.lien(self.numero + 1) if self.numero < self.pages else None

    @property
    def numeros(self) -> list[int | None]:
        """Return the page numbers to link: the first, the last and two either side of this one (None: a gap)."""
        shown = sorted({1, self.pages, *range(max(1, self.numero - 2), min(self.pages, self.numero + 2) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    def lien(self, numero: int) -> str:
        """Return the address of another page, with the same filters."""
        query = [*self.filtres, *((("page", str(numero)),) if numero > 1 else ())]
        return f"{self.chemin}?{urlencode(query)}" if query else self.chemin

    def rows(self, items: Sequence[T]) -> list[T]:
        """Return the rows of this page."""
        return list(items[(self.numero - 1) * self.par_page : self.numero * self.par_page])


def paginate(request: Request, total: int, par_page: int | None = None) -> Pagination:
    """Return the page the request asks for (`?page=N`), brought back within the pages there are."""
    par_page = par_page or PER_PAGE
    asked = request.query_params.get("page", "1")
    filtres = tuple((k, v) for k, v in request.query_params.multi_items() if k != "page")
    pages = max(1, -(-total // par_page))
    numero = min(max(int(asked), 1), pages) if asked.isdigit() else 1
    return Pagination(numero, total, par_page, request.url.path, filtres)
