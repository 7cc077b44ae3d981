"""The code of every docs page runs as a reader would run it, in page order.

Pages are found, not listed: the README and every Markdown page under docs/.
The python blocks of a page run as one script; any other block must say
what it is (``text`` for output, ``sh`` for shell commands, ``pycon`` for an
interactive session), so that no python block goes untested unnoticed.
"""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# Build outputs under docs/ (docs/_build, and the generated API and gallery
# pages), never pages of ours.
BUILT = {"generated", "auto_examples"}
PAGES = [ROOT / "README.md"] + sorted(
    page
    for page in (ROOT / "docs").rglob("*.md")
    if not any(part.startswith("_") or part in BUILT for part in page.relative_to(ROOT).parts)
)
# A fenced block: its fence, its info string (language or MyST directive), its body.
FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
# The modules a page imports (sklstm.dask, say, needs the dask extra).
IMPORTED = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_][\w.]*)", re.M)
NOT_RUN = {"text", "sh", "bash", "console", "pycon", "toml", "ini"}


def blocks(page):
    return [(m["info"].strip(), m["body"]) for m in FENCE.finditer(page.read_text())]


def page_id(page):
    return str(page.relative_to(ROOT))


def test_pages_are_found():
    names = {page_id(page) for page in PAGES}
    assert {"README.md", "docs/index.md", "docs/scaling_out.md"} <= names
    assert any(name.startswith("docs/user_guide/") for name in names)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_block_says_whether_it_runs(page):
    for info, body in blocks(page):
        words = info.split()
        language = words[0] if words else ""
        where = f"{page_id(page)}: a block starting {body[:60]!r}"
        if language.startswith("{"):  # a MyST directive: never code to run
            assert "python" not in info, f"{where} is a python directive; use ```python"
        else:
            assert language == "python" or language in NOT_RUN, (
                f"{where} is fenced as {language!r}: use ```python for code that runs, "
                f"or one of {sorted(NOT_RUN)} for what does not"
            )


RUNNABLE = [page for page in PAGES if any(info == "python" for info, _ in blocks(page))]


@pytest.mark.parametrize("page", RUNNABLE, ids=page_id)
def test_page_code_runs(page, tmp_path):
    code = "\n".join(body for info, body in blocks(page) if info == "python")
    # A page about an optional dependency (dask-ml for scaling out, say) is
    # skipped where that dependency is not installed, as a reader without it
    # would skip the page.
    for module in sorted(set(IMPORTED.findall(code))):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            missing = getattr(exc.__cause__, "name", None) or exc.name or ""
            if not missing or missing.split(".")[0] == "sklstm":
                raise  # a wrong name of sklstm's own fails the page
            pytest.skip(f"{page_id(page)} needs {missing}: {exc}")
    # one torch thread, as each pytest worker has (make test runs two)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    # `-c`, not a file: Dask's worker processes then do not re-run the page
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=600,  # a busy 2-core machine runs the Dask page in minutes
        env=env,
        cwd=tmp_path,  # any file a page writes lands there
    )
    assert result.returncode == 0, result.stderr[-3000:]


# A table whose figures come from a kept benchmark output says so on the line
# above it: <!-- source: benchmarks/results/<file> -->
SOURCE = re.compile(r"^<!-- source: (benchmarks/results/[\w./-]+) -->$", re.M)
NUMBER = re.compile(r"-?\d+\.\d+(?: ± \d+\.\d+)?")


def sourced_tables(page):
    """``(source file, [table rows as lists of cells])`` for each sourced table."""
    text = page.read_text(encoding="utf-8")
    for match in SOURCE.finditer(text):
        lines = text[match.end() :].lstrip("\n").splitlines()
        rows = []
        for line in lines:
            if not line.startswith("|"):
                break
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        yield match.group(1), rows[2:]  # past the header and delimiter rows


SOURCED = [page for page in PAGES if SOURCE.search(page.read_text(encoding="utf-8"))]


def test_a_sourced_table_is_found():
    assert SOURCED, "no page marks a table with <!-- source: benchmarks/results/... -->"


@pytest.mark.parametrize("page", SOURCED, ids=page_id)
def test_sourced_tables_match_their_benchmark_output(page):
    """Each figure of a sourced table is in its row (same first cell) of the
    benchmark output kept in the repository, so no page can drift from it."""
    for source, rows in sourced_tables(page):
        output = (ROOT / source).read_text(encoding="utf-8").splitlines()
        assert rows, f"{page_id(page)}: the table under the source line {source} is empty"
        for cells in rows:
            name = cells[0].strip("*` ")
            matching = [line for line in output if line.split() and line.split()[0] == name]
            assert matching, f"{page_id(page)}: {name!r} is not a row of {source}"
            for figure in NUMBER.findall(" ".join(cells[1:])):
                assert any(figure in line for line in matching), (
                    f"{page_id(page)}: {figure} in the row {name!r} is not in {source}"
                )
