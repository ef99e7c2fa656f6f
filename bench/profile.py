"""Profile the measured paths with cProfile (not part of `bench.run`).

    python -m bench.profile page [N]     # N warm GETs of the article page (default 300)
    python -m bench.profile save [N]     # N autosaves
    python -m bench.profile banks [N]    # N validations of the shipped banks

Prints the top functions by cumulative and by own time; writes the raw stats to the temporary
folder (questionnaire-bench-<name>.pstats) for snakeviz or `python -m pstats`.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

from bench import bank as bench_bank
from bench.fixtures import bench_env


def _page(n: int) -> cProfile.Profile:
    with bench_env() as env:
        for _ in range(50):
            env.client.get(env.page_url)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(n):
            env.client.get(env.page_url)
        profile.disable()
    return profile


def _save(n: int) -> cProfile.Profile:
    key = bench_bank.AUTOSAVE_KEY
    with bench_env() as env:
        headers = {"X-CSRFToken": env.csrf_token()}
        version = 0
        profile = cProfile.Profile()
        for i in range(n + 20):
            if i == 20:
                profile.enable()
            body = {"answers": [{"key": key, "value": f"v{i % 2}", "base_version": version}]}
            version = env.client.post(env.autosave_url, json=body, headers=headers).get_json()[
                "saved"
            ][key]
        profile.disable()
    return profile


def _banks(n: int) -> cProfile.Profile:
    from bench.banks_load import BANKS_DIR
    from questionnaire.banks.services import discover_bank_files, validate_files

    validate_files(discover_bank_files(BANKS_DIR))
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        validate_files(discover_bank_files(BANKS_DIR))
    profile.disable()
    return profile


TARGETS = {"page": (_page, 300), "save": (_save, 300), "banks": (_banks, 20)}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TARGETS:
        print(__doc__)
        return 2
    run, default = TARGETS[argv[0]]
    n = int(argv[1]) if len(argv) > 1 else default
    profile = run(n)
    out = Path(tempfile.gettempdir()) / f"questionnaire-bench-{argv[0]}.pstats"
    profile.dump_stats(out)
    stats = pstats.Stats(profile).strip_dirs()
    print(f"{n} calls; totals below are for all of them\n")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    print(f"stats written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
