"""Runs the JS client's unit tests (tests/js/*.test.mjs) with node's built-in test runner."""

import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_node_unit_tests_pass():
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "node is not installed (bin/dev installs Debian's nodejs)"
    files = sorted(str(path) for path in HERE.glob("*.test.mjs"))
    assert files, "no JS unit tests found"
    result = subprocess.run([node, "--test", *files], cwd=HERE, capture_output=True, text=True, timeout=240)
    summary = [line for line in result.stdout.splitlines() if line.startswith(("# pass", "# fail", "not ok"))]
    assert result.returncode == 0, "node --test failed:\n" + result.stdout[-20000:] + result.stderr[-5000:]
    assert "# fail 0" in summary, summary
