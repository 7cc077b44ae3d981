"""The snippets of the docs run as a reader would run them, in page order."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# Pages whose python blocks form one runnable script.
RUNNABLE_PAGES = ["README.md", "docs/scaling_out.md", "docs/onnx.md"]


def python_blocks(page):
    return re.findall(r"^```python\n(.*?)^```", page.read_text(), flags=re.S | re.M)


@pytest.mark.parametrize("name", RUNNABLE_PAGES)
def test_page_snippets_run(name):
    if "dask" in (ROOT / name).read_text():
        pytest.importorskip("dask_ml")
    if "onnxruntime" in (ROOT / name).read_text():
        pytest.importorskip("onnxruntime")
    code = "\n".join(python_blocks(ROOT / name))
    assert code.count("\n") > 8
    # one torch thread, as each pytest worker has (make test runs two)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    # `-c`, not a file: Dask's worker processes then do not re-run the page
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]


# Sections of the user guide whose python blocks run as one script each (the
# rest of the page holds fragments that are not meant to run alone).
USER_GUIDE_SECTIONS = [
    "## Forecasting",
    "## Multilabel classification",
    "### Pretrain without labels, then fine-tune",
    "### Regression losses and quantiles",
    "## Saving and loading",
]


def section(text, heading):
    """The text under ``heading`` up to the next heading of level 2 or 3."""
    start = text.index(f"\n{heading}\n") + 1
    following = re.search(r"^#{2,3} ", text[start + len(heading) :], flags=re.M)
    end = len(text) if following is None else start + len(heading) + following.start()
    return text[start:end]


@pytest.mark.parametrize("heading", USER_GUIDE_SECTIONS)
def test_user_guide_section_snippets_run(heading):
    text = section((ROOT / "docs/user_guide.md").read_text(), heading)
    code = "\n".join(re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M))
    assert code.strip(), heading
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
