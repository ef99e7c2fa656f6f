"""save_section_p50_ms and save_section_queries: the Save button of an article page with all
20 answers of the section changed.

The page of `bench/bank.py`'s article 5 section is posted as a browser posts it: every field,
the base version of each answer, the "save" action. Two sets of values alternate, so that every
post changes all 20 answers (20 conditional updates, 20 revisions, 20 audit entries); each post
is based on the versions the previous one left. The redirect is followed outside the timing (it
shows the flashed confirmation, as the browser would). `save_section_queries` is the number of
SQL statements one post runs, counted on the engine (an executemany counts once, as it is one
statement sent once).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from bench import bank as bench_bank
from bench.fixtures import bench_env
from bench.stats import Samples, median, percentile

REQUESTS = 200
WARMUP = 10
#: The statements of the last post measured, to see what a save runs (`python -m bench.run
#: save_section` does not print them; `bench.save_section.run()` then this list does).
last_statements: list[str] = []

_CITES = ("Act 694 of 2005, sections 1 to 3.", "Criminal Code, sections 12 to 14, as amended.")
_TEXTS = (
    "The Human Trafficking Secretariat coordinates the national response.\n" * 3,
    "The Anti-Human Trafficking Unit of the Police investigates the cases.\n" * 3,
)
_LINKS = (
    "https://sherloc.unodc.org/cld/legislation/gha/act694.html",
    "https://sherloc.unodc.org/cld/case-law-doc/gha/2019/x.html\nhttps://www.ghalii.org/act694",
)


def section_values(turn: int) -> dict[str, Any]:
    """The 20 answers of the section, one of two sets: each differs from the other."""
    i = turn % 2
    values: dict[str, Any] = {}
    for n in range(1, 7):
        values[f"TIP-5-{n}"] = ("yes", "partial")[i]
        values[f"TIP-5-{n}-cite"] = f"Question {n}: {_CITES[i]}"
    values["TIP-5-7"] = (["attempt"], ["accomplice", "organizing"])[i]
    values["TIP-5-8"] = (["fine"], ["imprisonment", "confiscation"])[i]
    values["TIP-5-9"] = (["other"], ["attempt", "accomplice"])[i]
    for n in (10, 11, 12):
        values[f"TIP-5-{n}"] = f"Question {n}. {_TEXTS[i]}"
    values["TIP-5-13"] = _LINKS[i]
    values["TIP-5-14"] = _LINKS[1 - i]
    assert len(values) == bench_bank.QUESTION_COUNT, sorted(values)
    return values


def page_versions(html: str) -> dict[str, int]:
    """The base version of each answer, as the page carries it."""
    found = re.findall(r'name="version__([^"]+)" value="(\d+)"', html)
    return {key: int(version) for key, version in found}


def run() -> dict[str, float]:
    from questionnaire import db as database

    with bench_env() as env:
        client = env.client
        versions = page_versions(client.get(env.page_url).get_data(as_text=True))
        assert len(versions) == bench_bank.QUESTION_COUNT, versions
        statements = last_statements

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        engine = database.get_engine(env.app)
        turn = 0

        def save() -> int:
            nonlocal turn
            values = section_values(turn)
            form: dict[str, Any] = {"action": "save", **values}
            form.update({f"version__{key}": version for key, version in versions.items()})
            statements.clear()
            response = client.post(env.page_url, data=form)
            if response.status_code != 302 or not response.headers["Location"].endswith(
                env.page_url
            ):
                raise AssertionError(f"save {turn}: {response.status_code}")
            for key in versions:
                versions[key] += 1  # every answer changed
            turn += 1
            return len(statements)

        # The first post finds some answers as pre-filled, unchanged: read the versions it left.
        save()
        versions.update(page_versions(client.get(env.page_url).get_data(as_text=True)))
        event.listen(engine, "before_cursor_execute", count)
        try:
            for _ in range(WARMUP):
                save()
                client.get(env.page_url)
            samples, queries = Samples(), []
            for _ in range(REQUESTS):
                queries.append(samples.time(save))
                client.get(env.page_url)  # the redirect, untimed; shows the flashed message
        finally:
            event.remove(engine, "before_cursor_execute", count)
        shown = page_versions(client.get(env.page_url).get_data(as_text=True))
        assert shown == versions, (shown, versions)  # every post saved all 20 answers
    return {
        "save_section_p50_ms": median(samples.wall),
        "save_section_p90_ms": percentile(samples.wall, 90),
        "save_section_cpu_p50_ms": median(samples.cpu),
        "save_section_queries": median([float(q) for q in queries]),  # type: ignore[arg-type]
    }
