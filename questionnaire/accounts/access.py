"""Access rules declared once per view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


def secretariat_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only the secretariat; anyone else gets 404, as if the page did not exist."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_secretariat:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
