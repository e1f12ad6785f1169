#!/usr/bin/env bash
# The quick versions of every side-by-side comparison, one after the other
# (never in parallel: each compares alternatives within its own run), then
# all their one-line summaries together, so that a later change can be
# compared with the numbers in benches/README.md.
#
#   benches/run_all.sh            # about 5 minutes on 2 shared cores
#   benches/run_all.sh --full     # the full versions (the README's numbers)
#
# Env: BENCH_PY (default target/bench/venv/bin/python: numpy, pandas and the
#      FastAPI example's requirements, with the agent_mira wheel from
#      target/bench/wheel; made on first use), PREDICT_PY (python with
#      agent_mira, lightgbm, xgboost, scikit-learn for predict_compare.py),
#      SIM_PY (python with numpy and faiss-cpu for compare_similarity.py;
#      default target/bench/simvenv/bin/python, made on first use),
#      SKIP="node load predict" (any of rust similarity python node load predict).
# Logs: target/bench/logs/<name>.log. Exit status: 1 if any script failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
full=0; [ "${1:-}" = "--full" ] && full=1
q() { [ "$full" -eq 1 ] || echo "$@"; }
logs="$root/target/bench/logs"
mkdir -p "$logs"
skip=" ${SKIP:-} "
status=0
summaries=()

bench_py="${BENCH_PY:-$root/target/bench/venv/bin/python}"
ensure_bench_env() {
  [ -x "$bench_py" ] && (cd / && "$bench_py" -c 'import agent_mira, numpy' 2>/dev/null) && return 0
  echo "== making $root/target/bench/venv (numpy, FastAPI requirements, agent_mira wheel)" >&2
  python3 -m venv "$root/target/bench/venv"
  bench_py="$root/target/bench/venv/bin/python"
  "$bench_py" -m pip install --quiet --disable-pip-version-check -r examples/fastapi/requirements.txt || return 1
  local whl
  whl=$(ls target/bench/wheel/agent_mira-*.whl 2>/dev/null | head -1)
  if [ -z "$whl" ]; then
    (cd bindings-python && "$root/target/bench/venv/bin/maturin" build --release --locked --out "$root/target/bench/wheel") || return 1
    whl=$(ls target/bench/wheel/agent_mira-*.whl | head -1)
  fi
  "$bench_py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$whl"
}

run() { # name, command...
  local name="$1"; shift
  echo "== $name: $*" >&2
  local start=$SECONDS
  "$@" >"$logs/$name.log" 2>&1
  local rc=$?
  local line
  line=$(grep -E '^(SUMMARY|predict:)' "$logs/$name.log" | tr '\n' ' ' | sed 's/ *$//')
  if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
    status=1
    line="$name FAILED (exit $rc, see $logs/$name.log)"
    tail -5 "$logs/$name.log" >&2
  fi
  summaries+=("$line")
  echo "   $((SECONDS - start)) s: $line" >&2
}

if [[ "$skip" != *" rust "* ]]; then
  # Recommend at 1 M listings (200 k quick) against a copy of the bytes it
  # reads, measured in the same run.
  cargo build --release --locked -p agent-mira-benches --example bandwidth_bound >&2 &&
    run rust-bandwidth target/release/examples/bandwidth_bound $(q 200000 10)
  # Exact top-10 over 1 M × 384 vectors (200 k quick) against a read of
  # the same bytes, and the 8-bit store's recall.
  cargo build --release --locked -p agent-mira-benches --example similarity_bound >&2 &&
    run rust-similarity target/release/examples/similarity_bound $(q 200000 384 10)
fi
if [[ "$skip" != *" similarity "* ]]; then
  # NumPy and faiss-cpu against our kernel, in a venv of their own.
  sim_py="${SIM_PY:-$root/target/bench/simvenv/bin/python}"
  if ! [ -x "$sim_py" ] || ! (cd / && "$sim_py" -c 'import numpy, faiss' 2>/dev/null); then
    echo "== making $root/target/bench/simvenv (numpy, faiss-cpu)" >&2
    python3 -m venv "$root/target/bench/simvenv" &&
      "$root/target/bench/simvenv/bin/pip" install --quiet --disable-pip-version-check numpy faiss-cpu >&2
    sim_py="$root/target/bench/simvenv/bin/python"
  fi
  cargo build --release --locked -p agent-mira-benches --example similarity_files >&2 &&
    run python-similarity "$sim_py" benches/python/compare_similarity.py $(q --quick)
fi
if [[ "$skip" != *" python "* || "$skip" != *" load "* ]]; then
  ensure_bench_env || { echo "cannot make the bench venv" >&2; exit 1; }
fi
if [[ "$skip" != *" python "* ]]; then
  run python-recommend "$bench_py" benches/python/recommend_compare.py $(q --quick)
fi
if [[ "$skip" != *" node "* ]]; then
  run node-recommend node benches/node/recommend_compare.mjs $(q --quick)
fi
if [[ "$skip" != *" load "* ]]; then
  run fastapi-load env BENCH_VENV="$(dirname "$(dirname "$bench_py")")" benches/load/fastapi_load.sh $(q --quick)
fi
if [[ "$skip" != *" predict "* ]] && [ -f benches/predict_compare.py ]; then
  predict_py="${PREDICT_PY:-}"
  if [ -z "$predict_py" ]; then
    for c in "$root/.venv/bin/python" "$root/bindings-python/.venv/bin/python"; do
      if [ -x "$c" ] && (cd / && "$c" -c 'import agent_mira, lightgbm' 2>/dev/null); then predict_py="$c"; break; fi
    done
  fi
  if [ -n "$predict_py" ]; then
    run predict "$predict_py" benches/predict_compare.py $(q --repeat 3 --rows 21613 --threads 1,2 --models lgbm)
  else
    summaries+=("predict SKIPPED (no python with agent_mira and lightgbm; set PREDICT_PY)")
  fi
fi

echo
echo "== summaries ($(date -u +%FT%TZ), $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
for s in "${summaries[@]}"; do echo "$s"; done
exit "$status"
