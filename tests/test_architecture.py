"""The feature packages depend on each other one way: no two features import each other.

The graph is read from the source with `ast`: an edge A -> B is any import, at any place in
any module of `questionnaire/A/`, of a module of `questionnaire/B/` (imports under
TYPE_CHECKING and inside functions count too: a hidden import is still an arrow).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "questionnaire"

#: Feature pairs that still import each other, each with what holds it up. The list may only
#: shrink: a pair that no longer cycles must be removed from it, and no pair may be added. It is
#: empty: every pair of features imports one way.
NOT_YET_ONE_WAY: dict[tuple[str, str], str] = {}


def _features() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}


def _imported_modules(tree: ast.AST) -> list[str]:
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from questionnaire.reviews import services` names the feature in the module.
            modules += [f"{node.module}.{alias.name}" for alias in node.names]
    return modules


def feature_graph() -> dict[str, set[str]]:
    """Feature -> the other features its modules import."""
    features = _features()
    graph: dict[str, set[str]] = defaultdict(set)
    for feature in features:
        others = features - {feature}
        for path in (PACKAGE / feature).rglob("*.py"):
            for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
                parts = module.split(".")
                if parts[0] == "questionnaire" and len(parts) > 1 and parts[1] in others:
                    graph[feature].add(parts[1])
    return graph


def mutual_pairs(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {
        (a, b)
        for a, targets in graph.items()
        for b in targets
        if a < b and a in graph.get(b, set())
    }


def test_no_two_features_import_each_other_but_those_listed() -> None:
    cycling = mutual_pairs(feature_graph())
    assert cycling <= set(NOT_YET_ONE_WAY), f"new mutual imports: {cycling - set(NOT_YET_ONE_WAY)}"


def test_the_list_of_pairs_not_yet_one_way_only_shrinks() -> None:
    untangled = set(NOT_YET_ONE_WAY) - mutual_pairs(feature_graph())
    assert not untangled, f"no longer mutual, remove from NOT_YET_ONE_WAY: {sorted(untangled)}"


def test_the_graph_sees_imports_of_every_form() -> None:
    tree = ast.parse(
        "from questionnaire.reviews import services\n"
        "import questionnaire.banks.schema\n"
        "def f():\n    from questionnaire.audit.services import record\n"
    )
    assert {m.split(".")[1] for m in _imported_modules(tree)} == {"reviews", "banks", "audit"}
