"""page_p50_ms, page_p90_ms, bare_p50_ms and page_vs_bare_ratio.

GET of the article page of a 20-question section (bench/bank.py) through the Flask test client,
logged in as the review's focal point, about half of the questions answered. The baseline is the
tiny app of bench/bare.py measured in the same run, so the ratio is fair to the machine.
Page and baseline are measured in alternating blocks so that drift on a busy machine hits both.
"""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from bench import bank as bench_bank
from bench import bare
from bench.fixtures import bench_env
from bench.stats import Samples, median, percentile
from questionnaire.banks.validation import validate_file

REQUESTS = 500
WARMUP = 50
BLOCK = 100


def _getter(client: FlaskClient, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url}: {response.status_code}")
        return response

    return get


def _check_page(html: str) -> None:
    """The page shows the 20 questions and the pre-filled values."""
    assert html.count("data-question=") == bench_bank.QUESTION_COUNT, "not 20 questions"
    assert "Criminal Code, sections 12 to 14" in html, "pre-filled text missing"
    assert html.count("checked") >= 7, "pre-filled choices missing"


def run() -> dict[str, float]:
    with bench_env() as env:
        page = _getter(env.client, env.page_url)
        _check_page(page().get_data(as_text=True))  # type: ignore[attr-defined]

        bank = validate_file(env.bank_file).bank
        assert bank is not None
        section = bank.sections_by_key[env.section_key]
        bare_app = bare.make_app("Article 5", bare.question_dicts(section, bench_bank.PREFILLED))
        baseline = _getter(bare_app.test_client(), "/page")

        for _ in range(WARMUP):
            page()
            baseline()
        page_ms, bare_ms = Samples(), Samples()
        while len(page_ms) < REQUESTS:
            for _ in range(min(BLOCK, REQUESTS - len(page_ms))):
                page_ms.time(page)
            for _ in range(min(BLOCK, REQUESTS - len(bare_ms))):
                bare_ms.time(baseline)

    page_p50 = median(page_ms.wall)
    bare_p50 = median(bare_ms.wall)
    return {
        "page_p50_ms": page_p50,
        "page_p90_ms": percentile(page_ms.wall, 90),
        "bare_p50_ms": bare_p50,
        "page_vs_bare_ratio": page_p50 / bare_p50,
        # The same requests in CPU time: steadier than wall-clock on a busy machine.
        "page_cpu_p50_ms": median(page_ms.cpu),
        "bare_cpu_p50_ms": median(bare_ms.cpu),
    }
