"""The snippets of the docs run as a reader would run them, in page order."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# Pages whose python blocks form one runnable script.
RUNNABLE_PAGES = ["README.md", "docs/scaling_out.md"]


def python_blocks(page):
    return re.findall(r"^```python\n(.*?)^```", page.read_text(), flags=re.S | re.M)


@pytest.mark.parametrize("name", RUNNABLE_PAGES)
def test_page_snippets_run(name):
    if "dask" in (ROOT / name).read_text():
        pytest.importorskip("dask_ml")
    code = "\n".join(python_blocks(ROOT / name))
    assert code.count("\n") > 8
    # one torch thread, as each pytest worker has (make test runs two)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    # `-c`, not a file: Dask's worker processes then do not re-run the page
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
