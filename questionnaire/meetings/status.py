"""The status of the review mechanism, from live data, for the review agenda item of a meeting.

Per instrument and per group of States (the review phase): the reviews launched, those whose
focal point and governmental experts are named, the questionnaires submitted, and the lists of
observations agreed with the State under review (final ones included) and made final. The
figures are counted from the rows of the secretariat's dashboard, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from sqlmodel import Session

from questionnaire.dashboard.queries import DashboardFilters, DashboardRow, dashboard
from questionnaire.reviews.deadlines import Deadlines

#: The instruments in the order of the Convention and its Protocols.
INSTRUMENT_ORDER = ("UNTOC", "TIP", "SOM", "FIR")


@dataclass(frozen=True)
class StatusLine:
    """The figures of one group of States (a review phase) on one instrument."""

    group: str  # the phase's name; "" for reviews opened outside a phase
    launched: int
    focal_points: int
    experts: int
    submitted: int
    agreed: int
    final: int


@dataclass(frozen=True)
class InstrumentStatus:
    instrument: str
    lines: tuple[StatusLine, ...]
    total: StatusLine


def mechanism_status(db: Session, today: date) -> tuple[InstrumentStatus, ...]:
    """The status per instrument and group, counted from every review of the dashboard."""
    rows = dashboard(db, DashboardFilters(), Deadlines.configured(), today)
    by_instrument: dict[str, dict[str, list[DashboardRow]]] = {}
    for row in rows:
        groups = by_instrument.setdefault(row.instrument, {})
        groups.setdefault(row.phase_name or "", []).append(row)
    order = {code: index for index, code in enumerate(INSTRUMENT_ORDER)}
    result = []
    for instrument in sorted(by_instrument, key=lambda code: (order.get(code, 99), code)):
        lines = tuple(
            _line(group, group_rows)
            for group, group_rows in sorted(by_instrument[instrument].items())
        )
        result.append(InstrumentStatus(instrument, lines, _total(lines)))
    return tuple(result)


def _line(group: str, rows: list[DashboardRow]) -> StatusLine:
    return StatusLine(
        group=group,
        launched=len(rows),
        focal_points=sum("focal_point" in row.named for row in rows),
        experts=sum("expert" in row.named for row in rows),
        submitted=sum(row.review.status == "submitted" for row in rows),
        agreed=sum(row.list_status in ("agreed", "final") for row in rows),
        final=sum(row.list_status == "final" for row in rows),
    )


def _total(lines: Iterable[StatusLine]) -> StatusLine:
    lines = list(lines)
    counts = {
        field.name: sum(getattr(line, field.name) for line in lines)
        for field in fields(StatusLine)
        if field.name != "group"
    }
    return StatusLine(group="", **counts)
