"""What the features built on the reviews add to a new review: the State's earlier answers
carried forward into a review a phase opens.

Those features (responses) point at a review, so the reviews do not import them:
the application factory (`questionnaire.create_app`) registers their parts here, and the
reviews' pages and services call what is registered, in the order it was registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlmodel import Session

from questionnaire.banks.schema import Bank
from questionnaire.reviews.models import Review

#: A step of opening a review, after it is flushed (carrying earlier answers forward).
ReviewOpened = Callable[[Session, Review, Bank], Any]


@dataclass
class Contributions:
    """The parts registered by the features built on the reviews."""

    review_opened: list[ReviewOpened] = field(default_factory=list)


def of(app: Flask) -> Contributions:
    """The application's contributions, to register parts in."""
    found: Contributions = app.extensions.setdefault("reviews.contributions", Contributions())
    return found


def review_opened(db: Session, review: Review, bank: Bank) -> None:
    """Run the registered steps of opening a review."""
    for step in of(current_app).review_opened:
        step(db, review, bank)
