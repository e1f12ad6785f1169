#!/usr/bin/env bash
# CI for the FastAPI example: a venv with requirements.txt, the agent-mira
# wheel (built from this checkout with maturin, or $MIRA_WHEEL), Debian's
# postgresql (installed when missing), then pytest against real throwaway
# PostgreSQL clusters. Called from .ci/test. pytest's "no tests" (exit 5)
# fails the run.
#
# Env: MIRA_WHEEL (reuse a built wheel), MIRA_FASTAPI_VENV (default
#      examples/fastapi/.venv), PYTHON (default python3).
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/scripts/env.sh"
start=$(date +%s)
step() { echo; echo "== fastapi: $* ($(( $(date +%s) - start )) s)"; }

step "venv $mira_venv + requirements.txt"
mira_venv_setup

if [ -n "${MIRA_WHEEL:-}" ]; then
  step "agent-mira wheel: $MIRA_WHEEL"
else
  step "agent-mira wheel: maturin build --release"
fi
mira_wheel_install always

step "postgresql"
echo "using $(mira_pg_bin)"

step "pytest"
set +e
(cd "$mira_here" && "$mira_py" -m pytest -c "$mira_here/pytest.ini" --rootdir "$mira_here" "$mira_here/tests")
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
step "done (pytest exit $status)"
exit "$status"
