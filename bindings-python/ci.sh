#!/usr/bin/env bash
# CI for the Python package: a fresh venv, the pinned test tools, the wheel
# built with `maturin build --release` and pip-installed (as a user would),
# then ruff, mypy stubtest (the .pyi against the compiled module), mypy on a
# typed usage file, and pytest. Called from .ci/test.
#
# Env: MIRA_PY_VENV (default bindings-python/.venv) to reuse a venv;
#      PYTHON (default python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="${MIRA_PY_VENV:-$here/.venv}"
start=$(date +%s)
step() { echo; echo "== python: $* ($(( $(date +%s) - start )) s)"; }

step "venv $venv"
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-test.txt"

step "maturin build --release"
# The wheel stays in target/wheels-ci so that later suites (the FastAPI
# example) can install the very same build: MIRA_WHEEL=target/wheels-ci/agent_mira-*.whl
wheels="$root/target/wheels-ci"
rm -rf "$wheels"
mkdir -p "$wheels"
(cd "$here" && "$venv/bin/maturin" build --release --locked --out "$wheels")
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/agent_mira-*.whl

step "ruff"
(cd "$here" && "$venv/bin/ruff" check python tests)

step "mypy stubtest (stubs against the compiled module)"
# Run outside the source tree so that the installed wheel is what is checked.
(cd "$wheels" && "$py" -m mypy.stubtest agent_mira --mypy-config-file "$here/pyproject.toml" \
  --allowlist "$here/stubtest-allowlist.txt")

step "mypy --strict on a typed usage file"
(cd "$wheels" && "$py" -m mypy --strict --config-file "$here/pyproject.toml" "$here/tests/typing/usage.py")

step "pytest"
# From a directory outside the source tree: the tests import the installed wheel.
set +e
(cd "$wheels" && "$py" -m pytest -c "$here/pyproject.toml" --rootdir "$here" "$here/tests" -p no:cacheprovider)
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
step "done (pytest exit $status)"
exit "$status"
