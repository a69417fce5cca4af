"""The `meetings` and `mind` modules import each other without cycles, and no import hides inside a
function to break one (docs/architecture.md: which layer may call which).

The modules are read with `ast`, not imported, so the test sees exactly what the source says. An
import inside a function is allowed only in `AppConfig.ready()` (where Django wants signal wiring)
and for third-party modules that are heavy or optional; an import of one of our own modules inside
a function is what used to hold a cycle together, so it fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("meetings", "mind", "webhooks")
# Where imports inside functions are refused.
NO_FUNCTION_IMPORTS = ("meetings", "mind", "webhooks")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                files[module_name(path)] = path
    return files


MODULES = source_files()


def imported_modules(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> list[str]:
    """Our modules that this import statement loads (`from a import b` loads a.b when it is a module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = importer.split(".") if is_package else importer.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    found = []
    for name in names:
        while name and name not in MODULES:  # `import a.b.c` of a function or class: its module
            name = name.rpartition(".")[0]
        if name:
            found.append(name)
    return found


def is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def walk_imports(tree: ast.Module):
    """(import node, the function it sits in or None) for every import outside TYPE_CHECKING blocks."""
    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if is_type_checking_block(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, function
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            yield from visit(child, inner)

    yield from visit(tree, None)


def import_graph():
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    inside_functions: list[str] = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        for node, function in walk_imports(tree):
            targets = [t for t in imported_modules(node, name, path.name == "__init__.py") if t != name]
            if function is None:
                graph[name].update(targets)
            elif (targets and name.split(".")[0] in NO_FUNCTION_IMPORTS
                  and not (function.name == "ready" and path.name == "apps.py")):
                inside_functions.append(f"{path.relative_to(ROOT)}:{node.lineno} in {function.name}(): "
                                        f"{', '.join(targets)}")
    return graph, inside_functions


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_walk_finds_the_modules_and_their_imports():
    graph, _ = import_graph()
    assert "meetings.actions.admission" in graph and "mind.client" in graph
    assert "meetings.actions.live" in graph["meetings.actions.admission"]
    assert "mind.client" in graph["meetings.media"]


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    graph, _ = import_graph()
    assert cycles(graph) == []


# The one place an import must wait for run time: a spawned recogniser process sets Django up before
# it may import the engine (whose package imports models).
LATE_IMPORTS_ALLOWED = {("mind/recogniser_process.py", "start()", "mind.engine.stt")}


def test_no_import_of_our_modules_inside_functions():
    _, inside_functions = import_graph()
    late = [found for found in inside_functions
            if not any(found.startswith(f"{path}:") and f" in {function}: {module}" in found
                       for path, function, module in LATE_IMPORTS_ALLOWED)]
    assert late == []


@pytest.mark.parametrize("layers", [
    # each module may import the ones before it, never one after (meetings/actions/__init__.py)
    ["meetings.actions.lookups", "meetings.actions.links", "meetings.actions.mail", "meetings.actions.pushes",
     "meetings.actions.live",
     "meetings.actions.schedule", "meetings.actions.registration", "meetings.actions.admission",
     "meetings.actions.host_controls", "meetings.actions.breakout"],
])
def test_layers_import_only_downwards(layers):
    graph, _ = import_graph()
    for position, module in enumerate(layers):
        assert not graph[module] & set(layers[position + 1:]), module


def our_imports(graph, prefix: str) -> set[str]:
    return {target for module, targets in graph.items() if module == prefix or module.startswith(prefix + ".")
            for target in targets}


def test_mind_services_stand_below_the_api_the_sockets_and_the_engine():
    graph, _ = import_graph()
    assert graph["mind.services"] <= {
        "mind.models", "mind.representations", "mind.signals", "mind.realtime.notifications",
        "mind.engine.recording_media", "mind.engine.sip_address",  # leaves: ffmpeg composition, URI parsing
        "mind.recording_retention",  # leaf: holds on recording media (models, signals, files)
    }


def test_the_engine_does_not_reach_up_into_the_api_sockets_or_client():
    graph, _ = import_graph()
    upward = {t for t in our_imports(graph, "mind.engine")
              if t.startswith(("mind.api", "mind.realtime", "mind.client", "mind.tasks", "meetings"))}
    assert upward == set()


def test_the_rest_api_does_not_use_the_sockets_or_the_engine():
    graph, _ = import_graph()
    assert {t for t in our_imports(graph, "mind.api")
            if t.startswith(("mind.realtime", "mind.engine", "mind.client"))} == set()


def test_meetings_reach_the_engine_only_through_the_client():
    graph, _ = import_graph()
    mind_modules = {t for t in our_imports(graph, "meetings") if t.startswith("mind")}
    # mind.engine.sip_dial_in: the contract of the SIP dial-in handler (meetings.sip implements it)
    assert mind_modules <= {"mind.client", "mind.engine.sip_dial_in"}


# The product's apps: the engine (`mind`) reaches them only through hooks (signals, settings naming a
# handler such as SIP_DIAL_IN_HANDLER or MIND_QUALITY_SAMPLE_HANDLER), never by importing them.
PRODUCT_APPS = ("meetings", "qos", "accounts", "recordings", "summaries", "notifications", "push")


def test_the_engine_imports_no_product_app():
    found = []
    for name, path in MODULES.items():
        if not name.startswith("mind"):
            continue
        for node, _ in walk_imports(ast.parse(path.read_text(), str(path))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {module}" for module in modules
                      if not getattr(node, "level", 0) and module.split(".")[0] in PRODUCT_APPS]
    assert found == []


def test_webhooks_stand_below_the_apps_that_emit_events():
    """meetings, recordings, summaries and qos call `webhooks.events.emit`; webhooks imports none of them."""
    found = []
    for name, path in MODULES.items():
        if not name.startswith("webhooks"):
            continue
        for node, _ in walk_imports(ast.parse(path.read_text(), str(path))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {module}" for module in modules
                      if module.split(".")[0] in ("meetings", "recordings", "summaries", "qos", "mind")]
    assert found == []
