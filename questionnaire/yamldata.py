"""YAML files of plain data (the reference data, meeting files, a bank's text) read with
libyaml's parser, which PyYAML's wheels bundle: about ten times faster than PyYAML's own
(`yaml.safe_load`), with the same safe constructor, so the same values and the same errors.
Bank files read for validation keep the line of every value: `banks/yamlsource.py`."""

from __future__ import annotations

from typing import IO, Any

import yaml

try:
    SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader


def load(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """The data of a YAML document, as `yaml.safe_load` gives it."""
    return yaml.load(source, Loader=SafeLoader)
