"""Where the time of one article page GET goes, without a profiler's distortion.

    python -m bench.phases [N]

Wraps, in this process only, the calls the view makes (the app's files are not changed) and
times each with perf_counter over N warm GETs (default 500). Nested phases are reported inside
their parent: the template's url_for calls are part of the render. Medians per
request, in milliseconds. Not part of bench.run: the wrappers add a little time of their own.
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bench.fixtures import bench_env

_acc: dict[str, float] = defaultdict(float)
_calls: dict[str, int] = defaultdict(int)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)  # keeps jinja's pass_context marker on the gettext callable
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _acc[name] += time.perf_counter() - start
            _calls[name] += 1

    return wrapper


def _instrument(app: Any) -> None:
    from questionnaire import templating
    from questionnaire.accounts import twofactor
    from questionnaire.responses import section_page, views
    from questionnaire.responses import services as responses

    twofactor.load_session_user = _timed("user loader (query User)", twofactor.load_session_user)
    views.load_review = _timed("load_review (review, role, bank version)", views.load_review)
    responses.stored_answers = _timed("stored_answers", responses.stored_answers)
    views.states_from_answers = _timed("field states from the answers", views.states_from_answers)
    section_page.prepared_section = _timed("prepared section (kept)", section_page.prepared_section)
    section_page.question_blocks = _timed(
        "question blocks (kept or rendered)", section_page.question_blocks
    )
    section_page.provision_text = _timed("the article's text", section_page.provision_text)
    section_page.render_template = _timed(
        "render_template (the page)", section_page.render_template
    )
    globals_ = app.jinja_env.globals
    globals_["flashed_notices"] = _timed("  of which flashed messages", templating.flashed_notices)
    globals_["url_for"] = _timed("  of which url_for() calls", globals_["url_for"])


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 500
    per_request: dict[str, list[float]] = defaultdict(list)
    calls: dict[str, int] = {}
    with bench_env() as env:
        _instrument(env.app)
        for _ in range(50):
            env.client.get(env.page_url)
        for _ in range(n):
            _acc.clear()
            _calls.clear()
            start = time.perf_counter()
            env.client.get(env.page_url)
            total = time.perf_counter() - start
            per_request["TOTAL (test client GET)"].append(total * 1e3)
            for name, seconds in _acc.items():
                per_request[name].append(seconds * 1e3)
            calls = dict(_calls)
    total = statistics.median(per_request["TOTAL (test client GET)"])
    print(f"{n} warm GETs of the 20-question article page; medians per request\n")
    print(f"{'phase':52} {'ms':>7} {'share':>6} {'calls':>6}")
    for name, samples in per_request.items():
        value = statistics.median(samples)
        print(f"{name:52} {value:7.3f} {value / total:6.1%} {calls.get(name, ''):>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
