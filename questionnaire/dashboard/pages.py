"""The dashboard cut into pages, and the page numbers its pagination links to."""

from __future__ import annotations

from questionnaire.dashboard.queries import StateRows


def pages_of(groups: list[StateRows], size: int) -> list[list[StateRows]]:
    """`groups` cut into pages of at most `size` rows, never splitting a State's group (a group
    longer than `size` has a page of its own); at least one page, maybe empty."""
    pages: list[list[StateRows]] = [[]]
    rows = 0
    for group in groups:
        if pages[-1] and rows + len(group.rows) > size:
            pages.append([])
            rows = 0
        pages[-1].append(group)
        rows += len(group.rows)
    return pages


def page_links(page: int, pages: int) -> list[int | None]:
    """The page numbers a pagination links to, as the GOV.UK pattern has it: the first and
    the last, the current one and those either side of it; None where numbers are left out
    (shown as an ellipsis), so that 36 pages do not make 36 links."""
    shown = sorted({1, pages, *range(max(page - 1, 1), min(page + 1, pages) + 1)})
    links: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:  # one page left out: its number takes no more room
            links.append(number - 1)
        elif number - previous > 2:
            links.append(None)
        links.append(number)
        previous = number
    return links
