"""A file the application hands over: bytes with their media type and the name they are saved
under, as an attachment (or shown in the browser, `inline`). Like every response but the
static files, it is never kept by a cache: `security` sets `Cache-Control: no-store`, which a
download must not replace (Flask's `send_file` would set `no-cache`, which lets a cache keep a
confidential document)."""

from __future__ import annotations

from typing import Literal

from flask import Response


def download(
    content: bytes,
    mimetype: str,
    filename: str,
    disposition: Literal["attachment", "inline"] = "attachment",
) -> Response:
    """The response handing over `content` as the file `filename` (ASCII: the names are made
    of codes, symbols and numbers)."""
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
