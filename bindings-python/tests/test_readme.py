"""The Python examples of the READMEs run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import REPO

BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def blocks(path: Path) -> list[str]:
    return BLOCK.findall(path.read_text())


@pytest.mark.parametrize("readme", [REPO / "README.md", REPO / "bindings-python" / "README.md"],
                         ids=["root", "bindings-python"])
def test_readme_python_examples_run(readme, capsys) -> None:  # type: ignore[no-untyped-def]
    code = blocks(readme)
    assert code, f"no python example in {readme}"
    cwd = os.getcwd()
    os.chdir(REPO)  # examples use paths relative to the repository root
    try:
        for snippet in code:
            exec(compile(snippet, str(readme), "exec"), {"__name__": "__readme__"})
    finally:
        os.chdir(cwd)
    assert capsys.readouterr().out.strip()
