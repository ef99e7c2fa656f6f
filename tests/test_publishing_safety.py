"""Conference room papers are safe to publish: no confidential element reaches the PDF (its
text, bytes, streams or metadata) or the stored snapshot; hostile text is printed as text and
makes the renderer fetch nothing; Arabic and Chinese come out as they went in, with their fonts
embedded and the paragraph number of a right-to-left paragraph on its right.
"""

from __future__ import annotations

import html
import io
import json
import re
import socket
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask_babel import force_locale, gettext
from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject
from sqlmodel import Session, col, select

from questionnaire import pdf as pdf_module
from questionnaire.accounts.models import User
from questionnaire.banks.models import BankVersion
from questionnaire.cli import cli
from questionnaire.documents.models import Publication
from questionnaire.meetings.models import MeetingDocument
from questionnaire.workspace.forms import CATEGORY_LABELS
from tests.factories import (
    MEETING,
    SYMBOL,
    Element,
    Reviewed,
    agree_list,
    compact,
    crp_request,
    fresh,
    make_crp,
    open_phase,
    pdf_text,
    pdffonts,
    pdftotext,
    translate_list,
)

OBSERVATION_MARKER = "CONFIDENTIAL-MARKER-7f3a9"
ARTICLE_MARKER = "CONFIDENTIAL-MARKER-b81d0"
ANSWER_MARKER = "CONFIDENTIAL-ANSWER-MARKER-c41e2"
WITHDRAWN_MARKER = "WITHDRAWN-MARKER-09bd1"
MARKERS = (OBSERVATION_MARKER, ARTICLE_MARKER, ANSWER_MARKER, WITHDRAWN_MARKER)
PUBLIC = "Ghana publishes its annual report PUBLIC-MARKER-52be1 on trafficking."
#: Ghana's list: one public element on each article, a confidential one beside the public one
#: on article 3, and article 5's only other element confidential; one withdrawn in drafting.
PUBLIC_ELEMENTS: list[Element] = [
    ("art-3", "good_practice", PUBLIC),
    ("art-5", "suggestion", "Ghana could train more prosecutors."),
]
CONFIDENTIAL_ELEMENTS: list[Element] = [
    ("art-3", "gap", f"The State asked to keep {OBSERVATION_MARKER} to itself."),
    ("art-5", "assistance_need", ARTICLE_MARKER),
]
WITHHELD_NOTE = "One or more elements are withheld at the request of the State under review."
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


@pytest.fixture
def confidential_lists(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
) -> list[Reviewed]:
    """Ghana's agreed list with confidential elements and a confidential answer; Kenya's
    with none."""
    ghana, kenya = open_phase(db, secretariat, ["GHA", "KEN"])
    return [
        agree_list(
            db,
            make_user,
            ghana,
            PUBLIC_ELEMENTS,
            confidential=CONFIDENTIAL_ELEMENTS,
            withdrawn=[("art-3", "gap", WITHDRAWN_MARKER)],
            summary="Ghana has a comprehensive law.",
            confidential_answer=f"Section 1 of Act 694 ({ANSWER_MARKER})",
        ),
        agree_list(
            db,
            make_user,
            kenya,
            [("art-5", "gap", "Kenya could extend attempt to every offence.")],
            summary="Kenya criminalizes trafficking in persons.",
        ),
    ]


# --- searching a PDF everywhere ------------------------------------------------------------


def pdf_objects(content: bytes) -> Iterator[tuple[str, bytes]]:
    """Every object of the PDF as bytes: each stream's decoded data (pypdf applies the
    filters) and each other object's repr (strings decoded), plus every FlateDecode stream
    found in the raw bytes inflated with zlib (whatever pypdf may have missed)."""
    reader = PdfReader(io.BytesIO(content))
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    for number in range(1, size):
        found = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(found, StreamObject):
            yield f"stream {number}", found.get_data()
            yield f"stream {number} dictionary", repr(dict(found)).encode("utf-8")
        elif found is not None:  # None: a free entry of the cross-reference table
            yield f"object {number}", repr(found).encode("utf-8")
    for index, raw in enumerate(PDF_STREAM.findall(content)):
        try:
            yield f"inflated {index}", zlib.decompress(raw)
        except zlib.error:  # not Flate-compressed (or an object stream's other filter)
            yield f"raw stream {index}", raw


def found_in(content: bytes, needle: str, tmp_path: Path) -> list[str]:
    """Where `needle` appears in the PDF: its text (pypdf, pdftotext, pdftotext -raw), its
    raw bytes, every object and stream (decoded), its metadata; [] when nowhere."""
    places = []
    texts = {
        "pypdf text": pdf_text(content),
        "pdftotext": pdftotext(content, tmp_path),
        "pdftotext -raw": pdftotext(content, tmp_path, "-raw"),
    }
    for name, text in texts.items():
        if needle in text or compact(needle) in compact(text):
            places.append(name)
    encoded = [needle.encode(encoding) for encoding in ("utf-8", "utf-16-be", "utf-16-le")]
    hexed = [
        needle.encode("utf-16-be").hex().encode(),
        needle.encode("utf-16-be").hex().upper().encode(),
    ]
    for name, blob in [("raw bytes", content), *pdf_objects(content)]:
        if any(variant in blob for variant in [*encoded, *hexed]):
            places.append(name)
    reader = PdfReader(io.BytesIO(content))
    metadata = {str(key): str(value) for key, value in (reader.metadata or {}).items()}
    if any(needle in value for value in metadata.values()):
        places.append("document information")
    xmp = reader.root_object.get("/Metadata")
    if xmp is not None and needle.encode("utf-8") in xmp.get_object().get_data():
        places.append("XMP metadata")
    return places


# --- (a) confidentiality -------------------------------------------------------------------


def test_the_search_finds_what_is_there(
    db: Session, confidential_lists: list[Reviewed], secretariat: User, tmp_path: Path
) -> None:
    """The searches below are not blind: a public element is found in the text, a marker in
    the title in the text, the metadata and the decoded objects."""
    control = "TITLE-CONTROL-3c9d7"
    row = db.exec(select(MeetingDocument).where(MeetingDocument.symbol == SYMBOL)).one()
    row.titles = {"en": f"Lists {control}", "fr": f"Listes {control}"}
    db.add(row)
    db.commit()
    publication = make_crp(db, crp_request([confidential_lists[0].review_id]), secretariat)
    assert publication.pdf is not None
    places = found_in(publication.pdf, control, tmp_path)
    assert {"pypdf text", "pdftotext", "document information", "XMP metadata"} <= set(places)
    assert any(place.startswith(("stream", "object", "inflated")) for place in places)
    assert {"pypdf text", "pdftotext", "pdftotext -raw"} <= set(
        found_in(publication.pdf, "PUBLIC-MARKER-52be1", tmp_path)
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_confidential_elements_and_answers_are_nowhere_in_the_crp(
    db: Session,
    confidential_lists: list[Reviewed],
    secretariat: User,
    tmp_path: Path,
    language: str,
) -> None:
    ghana, kenya = confidential_lists
    assert len(ghana.confidential_ids) == 2
    if language != "en":  # the French version is made from the lists' French translation
        for reviewed in confidential_lists:
            translate_list(db, reviewed, secretariat, language)
    publication = make_crp(
        db, crp_request([ghana.review_id, kenya.review_id], language), secretariat
    )
    assert publication.pdf is not None
    for marker in MARKERS:
        assert found_in(publication.pdf, marker, tmp_path) == [], marker
    stored = fresh(db).get(Publication, publication.id)
    assert stored is not None
    row = json.dumps(
        [stored.snapshot, stored.title, stored.job_error, stored.symbol], ensure_ascii=False
    )
    for marker in MARKERS:
        assert marker not in row
    # What is public is there, numbered without gaps where elements were withheld.
    text = pdftotext(publication.pdf, tmp_path)
    assert compact(PUBLIC) in compact(text)
    assert compact("Ghana could train more prosecutors.") in compact(text)
    numbers = [int(n) for n in re.findall(r"^(\d+)\.\s", text, flags=re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 6
    # No note about withheld elements unless asked for (PUBLISH_WITHHELD_NOTE is off).
    with force_locale(language):
        note = gettext(WITHHELD_NOTE)
    assert compact(note) not in compact(text)


def test_the_withheld_note_appears_only_when_the_setting_is_on(
    app: Flask,
    db: Session,
    confidential_lists: list[Reviewed],
    secretariat: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert app.config["PUBLISH_WITHHELD_NOTE"] is False
    review_ids = [r.review_id for r in confidential_lists]
    for reviewed in confidential_lists:
        translate_list(db, reviewed, secretariat)
    for language in ("en", "fr"):
        publication = make_crp(
            db, crp_request(review_ids, language, withheld_note=True), secretariat
        )
        assert publication.pdf is not None
        text = compact(pdftotext(publication.pdf, tmp_path))
        with force_locale(language):
            note = compact(gettext(WITHHELD_NOTE))
        # Once, for Ghana; Kenya withheld nothing.
        assert text.count(note) == 1
        assert text.index(note) < text.index(compact("Kenya"))
        for marker in MARKERS:
            assert found_in(publication.pdf, marker, tmp_path) == [], marker

    # The command line follows the setting when not told otherwise.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    arguments = [
        "publish", "crp", "--meeting", MEETING, "--item", "3", "--symbol", SYMBOL,
        "--date", "2027-07-02", "--cutoff", "2027-06-30", "--user", secretariat.email,
        *[f"--review={i}" for i in review_ids],
    ]  # fmt: skip
    for setting, expected in ((False, 0), (True, 1)):
        # The command runs in the application context already pushed (the db fixture's).
        monkeypatch.setitem(current_app.config, "PUBLISH_WITHHELD_NOTE", setting)
        result = app.test_cli_runner().invoke(cli, arguments)
        assert result.exit_code == 0, result.output
        latest = (
            fresh(db).exec(select(Publication).order_by(col(Publication.id).desc()).limit(1)).one()
        )
        assert latest.pdf is not None
        text = compact(pdf_text(latest.pdf))
        assert text.count(compact("withheld at the request of the State")) == expected


# --- (b) hostile input ---------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.5)
    try:
        yield server
    finally:
        server.close()


def connections(server: socket.socket) -> int:
    """How many connections are waiting on `server` (each is accepted and closed)."""
    count = 0
    while True:
        try:
            connection, _address = server.accept()
        except TimeoutError:
            return count
        connection.close()
        count += 1


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every call of the PDF pipeline's url_fetcher: (url, whether it raised FetchRefused)."""
    calls: list[tuple[str, bool]] = []
    refuse = pdf_module.refuse_fetch

    def spy(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = refuse(url, *args, **kwargs)
        except pdf_module.FetchRefused:
            calls.append((url, True))
            raise
        calls.append((url, False))
        return result

    monkeypatch.setattr(pdf_module, "refuse_fetch", spy)
    return calls


def hostile_texts(port: int) -> list[str]:
    here = f"http://127.0.0.1:{port}"
    return [
        '<img src="file:///etc/passwd">',
        f'<link rel=stylesheet href="{here}/x.css">',
        '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
        f"<style>body{{background:url({here}/y)}}</style>",
        "<style>body{background:url(http://127.0.0.1:9/y)}</style>",
        "<script>alert(1)</script>",
        f'<p style="background:url(file:///etc/hostname)">b</p> url({here}/z) @import "{here}/i";',
        f'<iframe src="{here}/frame"></iframe><object data="{here}/o"></object>',
        "&lt;b&gt; &amp; {{ 7*7 }} {% if true %}jinja{% endif %}",
    ]


def test_hostile_text_is_printed_as_text_and_fetches_nothing(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    listener: socket.socket,
    fetches: list[tuple[str, bool]],
    tmp_path: Path,
) -> None:
    port = listener.getsockname()[1]
    texts = hostile_texts(port)
    bidi = "Reversed \u202eabc def\u202c then normal; an override left open \u202eghi jkl"
    after = "The next paragraph reads normally."
    (ghana,) = open_phase(db, secretariat, ["GHA"])
    reviewed = agree_list(
        db,
        make_user,
        ghana,
        [("art-3", "gap", text) for text in texts]
        + [("art-5", "gap", bidi), ("art-5", "gap", after)],
        summary="\n\n".join([*texts[:3], bidi]),
    )
    # The French version takes the French translation: here the same hostile texts again.
    translate_list(db, reviewed, secretariat, "fr", lambda text: text)
    for language in ("en", "fr"):
        publication = make_crp(db, crp_request([reviewed.review_id], language), secretariat)
        assert publication.pdf is not None
        with force_locale(language):
            label = str(CATEGORY_LABELS["gap"])
        # pdftotext's default reading order may move the last word of a widely justified
        # line after the next line; -layout and -raw keep each line's words together.
        for extracted in (
            pdf_text(publication.pdf),
            pdftotext(publication.pdf, tmp_path, "-raw"),
            pdftotext(publication.pdf, tmp_path, "-layout"),
        ):
            for text in texts:
                # The first three twice: as an element and as a paragraph of the summary.
                assert compact(extracted).count(compact(text)) == (2 if text in texts[:3] else 1)
            assert "<script>alert(1)</script>" in extracted
            assert '<img src="file:///etc/passwd">' in extracted
            # An override reorders its own run only (shown, hence extracted, reversed) and
            # ends with its paragraph: the label before it and the paragraphs after it read
            # normally.
            reversed_run = "Reversed fed cba then normal; an override left open lkj ihg"
            assert compact(f"{label}: {reversed_run}") in compact(extracted)
            assert compact(extracted).count(compact(reversed_run)) == 2
            assert compact(f"{label}: {after}") in compact(extracted)
        # No image was loaded: no object of the PDF is an image.
        assert not [name for name, blob in pdf_objects(publication.pdf) if b"'/Image'" in blob]
        secret_files = [Path("/etc/passwd").read_text().splitlines()[0]]
        hostname = Path("/etc/hostname")
        if hostname.exists() and len(hostname.read_text().strip()) >= 6:
            secret_files.append(hostname.read_text().strip())
        for secret in secret_files:
            assert secret not in pdftotext(publication.pdf, tmp_path)
    assert fetches == []  # nothing was even attempted: the markup was text
    assert connections(listener) == 0


def test_live_markup_in_a_template_is_still_refused_every_fetch(
    app: Flask,
    db: Session,
    listener: socket.socket,
    fetches: list[tuple[str, bool]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Defence in depth: were markup ever to reach the renderer unescaped, the url_fetcher
    would still refuse every resource (file:, http:, data:) and nothing would be fetched."""
    port = listener.getsockname()[1]
    here = f"http://127.0.0.1:{port}"
    hostile = (
        f'<link rel=stylesheet href="{here}/x.css">'
        f"<style>@import url({here}/i.css); body {{ background: url({here}/y) }}</style>"
        f'<img src="{here}/a.png"><img src="file:///etc/passwd">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="background: url(file:///etc/hostname)">Still rendered.</p>'
    )
    environment = current_app.jinja_env
    monkeypatch.setattr(
        environment,
        "loader",
        ChoiceLoader(
            [
                DictLoader({"hostile.html": "<html><body>{{ payload|safe }}</body></html>"}),
                environment.loader,  # type: ignore[list-item]
            ]
        ),
    )
    content = pdf_module.render_pdf("hostile.html", title="t", language="en", payload=hostile)
    assert "Still rendered." in pdf_text(content)
    urls = {url for url, _raised in fetches}
    assert {f"{here}/x.css", f"{here}/i.css", f"{here}/a.png", "file:///etc/passwd"} <= urls
    assert all(raised for _url, raised in fetches)
    assert connections(listener) == 0
    assert found_in(content, Path("/etc/passwd").read_text().splitlines()[0], tmp_path) == []


# --- (c) Arabic and Chinese ----------------------------------------------------------------

ARABIC = "تجرم الدولة تهريب المهاجرين"
CHINESE = "该国已将偷运移民定为刑事犯罪"
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words(content: bytes, tmp_path: Path) -> list[tuple[float, float, float, str]]:
    """pdftotext -bbox: (xMin, yMin, xMax, word) of every word, in the page's visual order."""
    return [
        (float(x0), float(y0), float(x1), html.unescape(text))
        for x0, y0, x1, _y1, text in WORD.findall(pdftotext(content, tmp_path, "-bbox"))
    ]


def test_arabic_and_chinese_come_out_as_they_went_in(
    db: Session,
    make_user: Callable[..., User],
    secretariat: User,
    shipped_banks: dict[tuple[str, str, int], BankVersion],
    tmp_path: Path,
) -> None:
    (ghana,) = open_phase(db, secretariat, ["GHA"])
    reviewed = agree_list(
        db,
        make_user,
        ghana,
        [("art-5", "good_practice", ARABIC), ("art-5", "suggestion", CHINESE)],
        summary=ARABIC,
    )
    publication = make_crp(db, crp_request([reviewed.review_id]), secretariat)
    assert publication.pdf is not None
    content = publication.pdf

    # What pdftotext gives for the right-to-left paragraphs (poppler 2x, checked by hand):
    # - default and -layout: logical order, the run wrapped in U+202B ... U+202C (embedding
    #   marks pdftotext adds, with a space inside): equal to the input once the marks are
    #   dropped and the whitespace normalized;
    # - -raw (content stream order): each word's letters in logical order, but the words in
    #   visual order, right to left on the page reading left to right: reversed word order;
    # - -bbox (below): visual order throughout, each word's letters reversed too.
    # pypdf gives logical order.
    for options, words_as_typed in (((), True), (("-layout",), True), (("-raw",), False)):
        text = pdftotext(content, tmp_path, *options)
        found = ARABIC_WORD.findall(text)
        expected = ARABIC.split() if words_as_typed else ARABIC.split()[::-1]
        assert found == expected * 2, (options, found)  # the element and the summary
        if words_as_typed:
            runs = [" ".join(run.split()) for run in re.findall("\u202b([^\u202c]*)\u202c", text)]
            assert runs == [ARABIC, ARABIC], (options, runs)
        lines = [line for line in text.splitlines() if CHINESE[:4] in line]
        assert len(lines) == 1 and " ".join(lines[0].split()).endswith(f"Suggestion: {CHINESE}")
    assert compact(pdf_text(content)).count(compact(ARABIC)) == 2
    assert compact(f"Suggestion: {CHINESE}") in compact(pdf_text(content))

    fonts = pdffonts(content, tmp_path)
    arabic_fonts = [f for f in fonts if re.search(r"Noto-?(Naskh|Sans)-?Arabic", f["name"])]
    cjk_fonts = [f for f in fonts if re.search(r"Noto-?\w+-?CJK", f["name"])]
    assert arabic_fonts and cjk_fonts, fonts
    assert all(font["emb"] == "yes" for font in fonts), fonts

    # The right-to-left paragraphs: their number on the right of their Arabic words.
    placed = words(content, tmp_path)
    arabic_lines = {round(y0) for _x0, y0, _x1, word in placed if ARABIC_LETTERS.search(word)}
    assert len(arabic_lines) == 2
    for line in arabic_lines:
        on_line = [(x0, x1, word) for x0, y0, x1, word in placed if abs(y0 - line) < 2]
        arabic = [(x0, x1, word) for x0, x1, word in on_line if ARABIC_LETTERS.search(word)]
        numbers = [(x0, x1, word) for x0, x1, word in on_line if re.fullmatch(r"\d+\.", word)]
        assert len(numbers) == 1, on_line
        assert numbers[0][0] > max(x1 for _x0, x1, _word in arabic), on_line
        # -bbox lists glyphs left to right: reversed, each word reads as typed.
        assert [word[::-1] for _x0, _x1, word in reversed(arabic)] == ARABIC.split()
    # The Chinese (left-to-right) paragraph keeps its number on the left.
    (chinese,) = [(x0, y0) for x0, y0, _x1, word in placed if CHINESE[:4] in word]
    number = [x0 for x0, y0, _x1, word in placed if abs(y0 - chinese[1]) < 2 and word == "3."]
    assert number and number[0] < chinese[0]
