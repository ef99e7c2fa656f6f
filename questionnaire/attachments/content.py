"""What an attached file is, read from its content rather than from its name or the type the
browser claims: a PDF, an Excel or Word file (the 2007 format or the older one), or an
OpenDocument file. The file's extension must agree with what its content is."""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS = "application/vnd.ms-excel"
DOC = "application/msword"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODT = "application/vnd.oasis.opendocument.text"

#: The types accepted, by the extension a file of that type has.
EXTENSIONS = {
    "pdf": PDF,
    "xlsx": XLSX,
    "docx": DOCX,
    "xls": XLS,
    "doc": DOC,
    "ods": ODS,
    "odt": ODT,
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def media_type(filename: str, raw: bytes) -> str | None:
    """The file's type when its content is one of the accepted types and its extension says
    the same; None otherwise."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        return None
    if raw.startswith(b"%PDF-"):
        found: set[str] = {PDF}
    elif raw.startswith(_OLE2):
        found = {XLS, DOC}  # one container for both: the extension tells them apart
    elif raw.startswith(b"PK\x03\x04"):
        found = _zip_types(raw)
    else:
        found = set()
    return claimed if claimed in found else None


def _zip_types(raw: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return {declared} & {ODS, ODT}
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()
    if "[Content_Types].xml" not in names:
        return set()
    if any(name.startswith("xl/") for name in names):
        return {XLSX}
    if any(name.startswith("word/") for name in names):
        return {DOCX}
    return set()
