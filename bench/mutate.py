"""A small AST mutation runner for the publishing rules and the date parsing (not part of the suite).

Each mutant changes one thing in a copy of the package (a comparison, a boolean operator, a
``not``, an integer, ``True``/``False``, ``+``/``-``, a returned value) and runs the chosen
tests against that copy (``PYTHONPATH`` puts it before the editable install). A mutant the
tests do not notice "survives": either a test is missing or the change makes no difference
(an equivalent mutant). mutmut does not fit the ``plugins/`` layout and its own trampoline,
hence this.

    .venv/bin/python -m bench.mutate                      # every mutant, the default tests
    .venv/bin/python -m bench.mutate --list               # the mutants, without running
    .venv/bin/python -m bench.mutate --tests tests/test_loader.py --only publishing
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plugins" / "campaign_portal"
# File -> the functions mutated there (None: every function in the module).
TARGETS: dict[str, frozenset[str] | None] = {
    "publishing.py": None,
    "rules/dates.py": None,
    "load/fields.py": frozenset({"date", "plausible_year", "moment", "read_moment", "deadline", "local_start"}),
}
DEFAULT_TESTS = [
    "tests/test_fail_closed.py",
    "tests/test_loader.py",
    "tests/test_hardening.py",
    "tests/test_embargo.py",
    "tests/test_due.py",
    "tests/test_schedule.py",
    "tests/test_site.py",
    "tests/test_feeds.py",
    "tests/test_messages.py",
]
SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And,
    ast.Add: ast.Sub, ast.Sub: ast.Add,
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    file: str
    index: int  # the index-th mutation point of the file
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}"


def _targets(tree: ast.Module, functions: frozenset[str] | None) -> Iterator[ast.AST]:
    """The nodes inside the mutated functions, in a fixed order (docstrings left alone)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (functions is None or node.name in functions):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            for statement in body:
                yield from ast.walk(statement)


def _points(tree: ast.Module, functions: frozenset[str] | None) -> list[tuple[ast.AST, str, object]]:
    """Each place one mutation can be made: (node, description, what to change)."""
    points: list[tuple[ast.AST, str, object]] = []
    seen: set[int] = set()
    for node in _targets(tree, functions):
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    points.append((node, f"{type(op).__name__} -> {SWAPS[type(op)].__name__}", ("op", position)))
        elif isinstance(node, ast.BoolOp):
            points.append((node, f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}", ("boolop",)))
        elif isinstance(node, ast.BinOp) and type(node.op) in SWAPS:
            points.append((node, f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}", ("binop",)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            points.append((node, "drop 'not'", ("not",)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            points.append((node, f"{node.value} -> {not node.value}", ("bool",)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, int):
            points.append((node, f"{node.value} -> {node.value + 1}", ("int",)))
        elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None
        ):
            points.append((node, "return None", ("return",)))
    return points


class _Apply(ast.NodeTransformer):
    def __init__(self, target: ast.AST, change: object) -> None:
        self.target = target
        self.change = change

    def visit(self, node: ast.AST) -> ast.AST:
        if node is not self.target:
            return super().visit(node)
        kind = self.change[0]  # type: ignore[index]
        if kind == "op":
            assert isinstance(node, ast.Compare)
            position = self.change[1]  # type: ignore[index]
            node.ops[position] = SWAPS[type(node.ops[position])]()
        elif kind in ("boolop", "binop"):
            node.op = SWAPS[type(node.op)]()  # type: ignore[attr-defined]
        elif kind == "not":
            return node.operand  # type: ignore[attr-defined,no-any-return]
        elif kind == "bool":
            node.value = not node.value  # type: ignore[attr-defined]
        elif kind == "int":
            node.value = node.value + 1  # type: ignore[attr-defined]
        elif kind == "return":
            node.value = ast.Constant(None)  # type: ignore[attr-defined]
        return node


def mutants(only: str | None = None) -> list[Mutant]:
    found: list[Mutant] = []
    for file, functions in TARGETS.items():
        if only and only not in file:
            continue
        tree = ast.parse((PACKAGE / file).read_text(encoding="utf-8"))
        for index, (node, what, _) in enumerate(_points(tree, functions)):
            found.append(Mutant(file, index, getattr(node, "lineno", 0), what))
    return found


def mutated_source(mutant: Mutant) -> str:
    source = (PACKAGE / mutant.file).read_text(encoding="utf-8")
    tree = ast.parse(source)
    node, _, change = _points(tree, TARGETS[mutant.file])[mutant.index]
    mutated = _Apply(node, change).visit(copy.copy(tree))
    return ast.unparse(ast.fix_missing_locations(mutated))


def patch_in_place(module_name: str, source: str) -> None:
    """Give every function of the imported module the code of ``source`` (same objects: every reference sees it)."""
    module = importlib.import_module(module_name)
    namespace = dict(module.__dict__)
    exec(compile(source, module.__file__ or module_name, "exec"), namespace)
    for name, old in list(module.__dict__.items()):
        new = namespace.get(name)
        pairs: list[tuple[Any, Any]] = []
        if isinstance(old, types.FunctionType) and isinstance(new, types.FunctionType):
            pairs.append((old, new))
        elif isinstance(old, type) and isinstance(new, type) and old.__module__ == module.__name__:
            for attribute, value in vars(old).items():
                replacement = vars(new).get(attribute)
                if isinstance(value, types.FunctionType) and isinstance(replacement, types.FunctionType):
                    pairs.append((value, replacement))
                elif isinstance(value, property) and isinstance(replacement, property):
                    pairs.append((value.fget, replacement.fget))
        for old_function, new_function in pairs:
            old_function.__code__ = new_function.__code__


def run_forked(mutant: Mutant | None, tests: list[str], timeout: float) -> bool:
    """Whether the tests pass, run by pytest in a forked child (imports paid once) with ``mutant`` applied."""
    pid = os.fork()
    if pid == 0:  # the child: apply, run, report through the exit status
        status = 1
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if mutant is not None:
                name = "campaign_portal." + mutant.file.removesuffix(".py").replace("/", ".")
                patch_in_place(name, mutated_source(mutant))
            import pytest

            status = int(pytest.main(["-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider", *tests]))
        finally:
            os._exit(status)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return False
        time.sleep(0.05)


def run_tests(copy_root: Path, tests: list[str], timeout: float) -> bool:
    """Whether the tests pass against the package in ``copy_root``."""
    environment = {**os.environ, "PYTHONPATH": str(copy_root), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider", *tests]
    try:
        result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False  # a mutant that hangs the tests is noticed
    return result.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs="+", default=DEFAULT_TESTS, help="the tests each mutant runs against")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression to narrow the tests")
    parser.add_argument("--only", help="only the target files whose path contains this")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--subprocess", dest="fork", action="store_false",
        help="a fresh interpreter and a copy of the package per mutant (slow) instead of a forked child",
    )
    arguments = parser.parse_args(argv)
    tests = [*arguments.tests, *(["-k", arguments.keyword] if arguments.keyword else [])]
    found = mutants(arguments.only)
    if arguments.list:
        for mutant in found:
            print(mutant)
        print(f"{len(found)} mutants")
        return 0
    if arguments.fork:
        return run_all_forked(found, tests, arguments.timeout)
    with tempfile.TemporaryDirectory(prefix="mutants-") as folder:
        copy_root = Path(folder)
        shutil.copytree(PACKAGE, copy_root / "campaign_portal", ignore=shutil.ignore_patterns("__pycache__"))
        started = time.monotonic()
        if not run_tests(copy_root, tests, arguments.timeout):
            print("the tests fail without any mutant; fix them first", file=sys.stderr)
            return 2
        survivors: list[Mutant] = []
        for number, mutant in enumerate(found, 1):
            target = copy_root / "campaign_portal" / mutant.file
            original = target.read_text(encoding="utf-8")
            target.write_text(mutated_source(mutant), encoding="utf-8")
            try:
                killed = not run_tests(copy_root, tests, arguments.timeout)
            finally:
                target.write_text(original, encoding="utf-8")
            if not killed:
                survivors.append(mutant)
            print(f"[{number}/{len(found)}] {'killed ' if killed else 'SURVIVED'} {mutant}", flush=True)
        report(found, survivors, tests, started)
    return 0


def run_all_forked(found: list[Mutant], tests: list[str], timeout: float) -> int:
    """The same run, each mutant in a forked child of one process that imported everything once."""
    sys.path.insert(0, str(ROOT / "tests"))
    os.chdir(ROOT)
    for module in ("campaign_portal.cli", "campaign_portal.plugin", "mkdocs.commands.build", "bs4", "hypothesis"):
        importlib.import_module(module)
    started = time.monotonic()
    if not run_forked(None, tests, timeout):
        print("the tests fail without any mutant; fix them first", file=sys.stderr)
        return 2
    survivors: list[Mutant] = []
    for number, mutant in enumerate(found, 1):
        killed = not run_forked(mutant, tests, timeout)
        if not killed:
            survivors.append(mutant)
        print(f"[{number}/{len(found)}] {'killed ' if killed else 'SURVIVED'} {mutant}", flush=True)
    report(found, survivors, tests, started)
    return 0


def report(found: list[Mutant], survivors: list[Mutant], tests: list[str], started: float) -> None:
    """The score of a run and every surviving mutant, the same for both ways of running."""
    print(f"\n{len(found) - len(survivors)} of {len(found)} mutants killed, {len(survivors)} survived "
          f"({time.monotonic() - started:.0f} s); tests: {' '.join(tests)}")
    for mutant in survivors:
        print(f"  survived: {mutant}")


if __name__ == "__main__":
    sys.exit(main())
