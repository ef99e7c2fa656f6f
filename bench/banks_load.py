"""banks_load_ms: parse and validate every shipped bank, as `questionnaire banks validate` does.

Caching: the only cache in the validation path is `load_instrument_data` (an lru_cache of the
reference file questionnaire/reference/data/instruments.yaml: instruments, articles, clusters).
It is reference data, not a bank file, so it stays warm between runs. Nothing caches the bank
files themselves: every run reads, parses (YAML with line numbers), validates (pydantic and the
bank checks) and flattens each file again. `bank_of`'s cache belongs to the database path, not
to validation, and is not touched here.
"""

from __future__ import annotations

from bench.stats import Samples, median
from questionnaire.banks.services import discover_bank_files, validate_files
from questionnaire.config import PROJECT_ROOT

RUNS = 20
BANKS_DIR = PROJECT_ROOT / "question_banks"


def run() -> dict[str, float]:
    def once() -> list:
        return validate_files(discover_bank_files(BANKS_DIR))

    samples = Samples()
    for _ in range(RUNS):
        results = samples.time(once)
        problems = [p for r in results for p in r.problems]  # type: ignore[attr-defined]
        assert results and not problems, problems
    return {"banks_load_ms": median(samples.wall), "banks_load_cpu_ms": median(samples.cpu)}
