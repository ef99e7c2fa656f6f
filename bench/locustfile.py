"""Simulated respondents for the load benchmark (run by bench/bench_load.py, not directly).

Each user logs in as its own State's expert, then reads its article page and autosaves its
answer over and over. Every acknowledged save (HTTP 200 with the question in `saved`) is
written to the file named by BENCH_ACKS, so the benchmark can look for it in the database.

The statistics cover BENCH_SECONDS of steady load, from the moment the last respondent has
logged in and read its page: the logins (argon2id, deliberately slow) take both cores for a
while, and what they cost is the login's own figure, not the pages' and autosaves'.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.env import Environment

ACCOUNTS = json.loads(os.environ["BENCH_ACCOUNTS"])  # [[email, review_id, section_key, key]]
PASSWORD = os.environ["BENCH_PASSWORD"]
SECONDS = float(os.environ["BENCH_SECONDS"])
_next_account = itertools.count()
_acks: list[list[object]] = []
_lock = threading.Lock()
_ready = itertools.count(1)
_steady = False
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Respondent(FastHttpUser):
    # A steady 3.2 requests a second per respondent (BENCH_RATE), whatever the response times
    # (as long as they stay under 1/3.2 s): 50 of them offer 160 a second, just over the target
    # of 150, so load_rps says how much of that the service kept up with and load_p99_ms how
    # long the slowest answers took at that rate. A loop without pauses would measure a
    # saturated queue. FastHttpUser (geventhttpclient) rather than HttpUser (requests): the
    # generator shares the machine's two cores with the service, and takes several times less.
    wait_time = constant_throughput(float(os.environ.get("BENCH_RATE", "3.2")))

    def on_start(self) -> None:
        email, self.review_id, self.section, self.key = ACCOUNTS[
            next(_next_account) % len(ACCOUNTS)
        ]
        login = self.client.get("/login", name="/login")
        token = _TOKEN.search(login.text)[1]  # type: ignore[index]
        self.client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            name="/login [POST]",
        )
        self.page = f"/reviews/{self.review_id}/sections/{self.section}"
        self.version = self._read_page()
        self.counter = 0
        if next(_ready) == self.environment.runner.target_user_count:  # type: ignore[union-attr]
            _measure_from_now(self.environment)

    def _read_page(self) -> int:
        html = self.client.get(self.page, name="/reviews/[id]/sections/[key]").text
        self.token = _TOKEN.search(html)[1]  # type: ignore[index]
        found = re.search(rf'name="version__{re.escape(self.key)}" value="([0-9]+)"', html)
        return int(found[1]) if found else 0

    @task(1)
    def read(self) -> None:
        self.version = self._read_page()

    @task(3)
    def autosave(self) -> None:
        self.counter += 1
        value = f"{self.review_id}-{self.counter}: the Criminal Code, section {self.counter}"
        response = self.client.post(
            f"{self.page}/autosave",
            json={
                "answers": [
                    {
                        "key": self.key,
                        "value": value,
                        "is_confidential": False,
                        "base_version": self.version,
                    }
                ]
            },
            headers={"X-CSRFToken": self.token},
            name="/reviews/[id]/sections/[key]/autosave",
        )
        if response.status_code == 200 and self.key in response.json().get("saved", {}):
            self.version = response.json()["saved"][self.key]
            with _lock:
                _acks.append([self.review_id, self.key, self.version, value])


def _measure_from_now(environment: Environment) -> None:
    """Everyone is in: start the statistics afresh, and end the run SECONDS later."""
    global _steady
    _steady = True
    environment.runner.stats.reset_all()  # type: ignore[union-attr]
    gevent.spawn_later(SECONDS, environment.runner.quit)  # type: ignore[union-attr]


@events.quitting.add_listener
def _write_acks(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    with open(os.environ["BENCH_ACKS"], "w", encoding="utf-8") as handle:
        json.dump({"steady": _steady, "acks": _acks}, handle)
