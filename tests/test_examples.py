"""The gallery scripts run as a user would run them, and draw their figure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_and_saves_its_figure(script, tmp_path):
    pytest.importorskip("matplotlib")
    figure = tmp_path / "figure.png"
    # fewer epochs (each example reads SKLSTM_EXAMPLE_QUICK): this checks that
    # they run and draw; `make docs` runs them in full
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "SKLSTM_EXAMPLE_OUTPUT": str(figure),
        "SKLSTM_EXAMPLE_QUICK": "1",
        "OMP_NUM_THREADS": "1",
    }
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "RMSE" in result.stdout or "accuracy" in result.stdout.lower()
    assert figure.stat().st_size > 10_000
