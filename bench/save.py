"""save_p50_ms and save_p90_ms: the JSON autosave of one text answer.

Each POST is based on the version returned by the previous one (`saved: {key: version}`) and
alternates between two values, so every save is a real change (UPDATE with version check, and the
coalesced autosave revision of bench/README.md). The request carries the session's CSRF token in
X-CSRFToken as the page's script does: the endpoint checks it itself even with WTF_CSRF_ENABLED off.
"""

from __future__ import annotations

from bench import bank as bench_bank
from bench.fixtures import bench_env
from bench.stats import Samples, median, percentile

REQUESTS = 500
WARMUP = 20
VALUES = (
    "The Human Trafficking Act 2005 (Act 694) criminalizes all the conduct of article 3.",
    "The Human Trafficking Act 2005 (Act 694), as amended in 2009, covers article 3 in full.",
)


def run() -> dict[str, float]:
    key = bench_bank.AUTOSAVE_KEY
    with bench_env() as env:
        headers = {"X-CSRFToken": env.csrf_token()}
        version = 0  # the question is not pre-filled: the first save creates the answer
        count = 0

        def save() -> int:
            nonlocal version, count
            body = {
                "answers": [
                    {
                        "key": key,
                        "value": VALUES[count % 2],
                        "is_confidential": False,
                        "base_version": version,
                    }
                ]
            }
            response = env.client.post(env.autosave_url, json=body, headers=headers)
            data = response.get_json(silent=True) or {}
            if response.status_code != 200 or key not in data.get("saved", {}):
                raise AssertionError(f"autosave {count}: {response.status_code} {data}")
            version = data["saved"][key]
            count += 1
            return version

        for _ in range(WARMUP):
            save()
        samples = Samples()
        for _ in range(REQUESTS):
            samples.time(save)
        assert version == WARMUP + REQUESTS, version
    return {
        "save_p50_ms": median(samples.wall),
        "save_p90_ms": percentile(samples.wall, 90),
        "save_cpu_p50_ms": median(samples.cpu),  # steadier than wall-clock on a busy machine
    }
