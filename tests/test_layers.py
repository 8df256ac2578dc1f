"""The product's parts import each other downwards only, function-level imports
included: the domain (`briefs.models` and the helpers it stands on) knows
nothing of services, the API, the admin, the site or rendering, and no two
parts import each other, however indirectly."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("briefs", "newsroom")
# What the domain may stand on: plain helpers that import nothing of the product.
DOMAIN = "briefs.models"
BELOW_THE_DOMAIN = {"briefs.access", "briefs.images", "briefs.links"}
BELOW_THE_DOMAIN |= {"briefs.validators", "briefs.webhook_urls"}


def part_of(module):
    """Return the part `module` belongs to: a package's top-level module or
    subpackage (`briefs.models`, `briefs.rendering`), or None if not ours."""
    bits = module.split(".")
    if bits[0] not in PACKAGES:
        return None
    if len(bits) == 1:
        return bits[0]
    path = ROOT / bits[0] / bits[1]
    if path.is_dir() or path.with_suffix(".py").is_file():
        return f"{bits[0]}.{bits[1]}"
    return bits[0]


def imported_modules(path, module):
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*base, *([node.module] if node.module else [])])
            else:
                base = node.module
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph():
    """Return {part: parts it imports}, for the product's code."""
    graph = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            module = module.removesuffix(".__init__")
            source = part_of(module)
            for target in map(part_of, imported_modules(path, module)):
                if target and target != source and target != source.split(".")[0]:
                    graph.setdefault(source, set()).add(target)
    return graph


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_no_part_of_the_product_imports_itself_through_others():
    graph = import_graph()
    assert {part for part in graph if part in reachable(graph, part)} == set()


def test_the_domain_stands_only_on_helpers_below_it():
    graph = import_graph()
    assert reachable(graph, DOMAIN) <= BELOW_THE_DOMAIN


def test_the_helpers_below_the_domain_import_nothing_of_the_product():
    graph = import_graph()
    assert {part: graph[part] for part in BELOW_THE_DOMAIN if part in graph} == {}


def test_the_walk_sees_function_level_imports():
    # A lazy import inside a function is still a dependency.
    graph = import_graph()
    assert "briefs.models" in graph["briefs.rendering"]
    assert "briefs.api" in graph["briefs.apps"]
