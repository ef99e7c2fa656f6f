"""The feature packages depend on each other one way: no cycle of any length among them.

The graph is read from the source with `ast`: an edge A -> B is any import, at any place in
any module of `questionnaire/A/`, of a module of `questionnaire/B/` (imports under
TYPE_CHECKING and inside functions count too: a hidden import is still an arrow).

The modules at the top of the package are of two kinds. The shared ones (database, settings,
languages, dates, the PDF pipeline, the wording of UN documents...) sit below every feature and
import none. The application's (the app factory, the command line, the worker, the demo...)
sit above every feature and no feature imports them. A path through either would hide a cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "questionnaire"

#: Top-level modules every feature may use; they import no feature.
SHARED = {
    "config",
    "dates",
    "downloads",
    "db",
    "errors",
    "forms",
    "i18n",
    "pdf",
    "security",
    "validators",
    "wording",
    "yamldata",
}
#: Top-level modules that assemble the features; no feature imports them.
APPLICATION = {
    "__init__",
    "backup",
    "cli",
    "demo",
    "demo_meeting",
    "error_pages",
    "models",
    "schedule",
    "server",
    "templating",
    "worker",
    "wsgi",
}


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


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of the graph as the list of its nodes, first node repeated at the end, or []."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(node)
        return []

    for start in sorted(graph):
        if cycle := visit(start):
            return cycle
    return []


def _top_level_imports(name: str) -> set[str]:
    """The features and top-level modules that the top-level module `name` imports."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    return {
        parts[1]
        for module in _imported_modules(tree)
        if (parts := module.split("."))[0] == "questionnaire" and len(parts) > 1
    }


def test_no_cycle_among_the_features() -> None:
    cycle = find_cycle(feature_graph())
    assert not cycle, f"features import each other in a cycle: {' -> '.join(cycle)}"


def test_every_top_level_module_is_shared_or_of_the_application() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules == SHARED | APPLICATION, modules ^ (SHARED | APPLICATION)


def test_shared_modules_import_no_feature_and_nothing_of_the_application() -> None:
    for name in sorted(SHARED):
        assert _top_level_imports(name) <= SHARED, (name, _top_level_imports(name) - SHARED)


def test_no_feature_imports_the_application() -> None:
    for feature in sorted(_features()):
        for path in (PACKAGE / feature).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            used = {
                m.split(".")[1] for m in _imported_modules(tree) if m.startswith("questionnaire.")
            }
            assert not used & (APPLICATION - {"__init__"}), (path, used & APPLICATION)


def test_a_cycle_of_three_is_found_and_a_chain_is_not() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_sees_imports_of_every_form() -> None:
    tree = ast.parse(
        "from questionnaire.reviews import services\n"
        "import questionnaire.banks.schema\n"
        "def f():\n    from questionnaire.audit.services import record\n"
    )
    assert {m.split(".")[1] for m in _imported_modules(tree)} == {"reviews", "banks", "audit"}


#: No module of the package is longer than this: a longer one is split along its seams.
MODULE_LINES = 400


def test_no_module_is_longer_than_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    }
    assert not long, f"split these modules along their seams: {long}"
