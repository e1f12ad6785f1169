#!/usr/bin/env bash
# GET /api/recommendations under load, from a second process on 127.0.0.1:
# the FastAPI example (agent_mira on PostgreSQL) against the same endpoint in
# pure Python (benches/load/pure_python_app.py), in ONE run, the two apps
# taking turns (A B A B …), wrk with few connections for a bounded time.
#
# Both apps: one uvicorn process each (access log on, as the example runs),
# the King County listings (21,430), profile case-study without a price
# model (predicted = listed), current year 2025, one stored session, k = 3
# with the listing embedded. The example also reads the session from
# PostgreSQL on every request; the pure-Python app keeps sessions in a dict.
#
# Usage (from anywhere):  benches/load/fastapi_load.sh [--quick]
# Env: DURATION (s per turn, default 10; quick 5), ROUNDS (turns per app,
#      default 2; quick 1), CONNECTIONS (default 2), THREADS (wrk, default 1),
#      BENCH_VENV (default target/bench/venv: examples/fastapi/requirements.txt),
#      MIRA_WHEEL (default: target/bench/wheel/agent_mira-*.whl if present,
#      else built from this checkout).
# Prints one line starting with SUMMARY at the end (non2xx must be 0). Cleans up (servers,
# PostgreSQL cluster) on exit, Ctrl-C or SIGTERM.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
if [ "${1:-}" = "--quick" ]; then DURATION="${QUICK_DURATION:-5}"; ROUNDS=1; fi
CONNECTIONS="${CONNECTIONS:-2}"
THREADS="${THREADS:-1}"
# Hard caps: this is a bench, not a stress test.
[ "$DURATION" -le 30 ] || DURATION=30
[ "$ROUNDS" -le 5 ] || ROUNDS=5
[ "$CONNECTIONS" -le 8 ] || CONNECTIONS=8

export MIRA_FASTAPI_VENV="${BENCH_VENV:-$root/target/bench/venv}"
if [ -z "${MIRA_WHEEL:-}" ]; then
  w=$(ls "$root"/target/bench/wheel/agent_mira-*.whl 2>/dev/null | head -1 || true)
  [ -n "$w" ] && export MIRA_WHEEL="$w"
fi
# shellcheck source=../../examples/fastapi/scripts/env.sh
. "$root/examples/fastapi/scripts/env.sh"

work="$(mktemp -d)"
ex_pid=""; py_pid=""
cleanup() {
  trap - EXIT INT TERM
  for pid in $ex_pid $py_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  mira_pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1
  fi
fi

echo "fastapi_load.sh  $(date -u +%F)  cpus $(nproc)  load $(cut -d' ' -f1 /proc/loadavg)  wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s × $ROUNDS turns per app" >&2
mira_venv_setup
mira_wheel_install
py="$mira_py"
"$py" -c 'import agent_mira, fastapi, uvicorn; print("agent_mira", agent_mira.__version__, "fastapi", fastapi.__version__, "uvicorn", uvicorn.__version__)' >&2

mira_pg_start "$(mira_free_port)"
(cd "$mira_here" && "$py" -m mira_api.seed >"$work/seed.log" 2>&1)

# MIRA_RATE_LIMIT=0: the example's per-client rate limit (20/s, burst 40)
# would answer most of a load test with 429.
export MIRA_PROFILE=case-study MIRA_MODEL_PATH=none MIRA_CURRENT_YEAR=2025 HOST=127.0.0.1 MIRA_RATE_LIMIT=0
ex_port="$(mira_free_port)"
(cd "$mira_here" && PORT="$ex_port" exec "$py" -m mira_api >"$work/example.log" 2>&1) &
ex_pid=$!
py_port="$(mira_free_port)"
(cd "$here" && exec "$py" -m uvicorn --app-dir "$here" pure_python_app:app --host 127.0.0.1 \
  --port "$py_port" --log-level info >"$work/pure.log" 2>&1) &
py_pid=$!

wait_up() { # url pid name
  for _ in $(seq 1 240); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 died:" >&2; tail -20 "$work/$3.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$3 did not come up" >&2; tail -20 "$work/$3.log" >&2; exit 1
}
wait_up "http://127.0.0.1:$ex_port/api/health" "$ex_pid" example
wait_up "http://127.0.0.1:$py_port/api/health" "$py_pid" pure

prefs='{"budget": 650000, "location": "Bellevue, WA", "min_bedrooms": 3}'
session() {
  curl -fsS -X POST "http://127.0.0.1:$1/api/preferences" -H 'content-type: application/json' -d "$prefs" \
    | "$py" -c 'import json,sys; print(json.load(sys.stdin)["session_id"])'
}
ex_url="http://127.0.0.1:$ex_port/api/recommendations?session_id=$(session "$ex_port")"
py_url="http://127.0.0.1:$py_port/api/recommendations?session_id=$(session "$py_port")"

# Same answer? (top-3 ids and scores)
ids() { curl -fsS "$1" | "$py" -c 'import json,sys; print(json.dumps([[r["id"], round(r["score"], 9)] for r in json.load(sys.stdin)["results"]]))'; }
ex_ids="$(ids "$ex_url")"; py_ids="$(ids "$py_url")"
echo "top-3 example:     $ex_ids" >&2
echo "top-3 pure Python: $py_ids" >&2
agree=no; [ "$ex_ids" = "$py_ids" ] && agree=yes

# Warm up both (a few requests each).
for _ in 1 2 3 4 5; do curl -fsS "$ex_url" >/dev/null; curl -fsS "$py_url" >/dev/null; done

run_wrk() { # name url round
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency "$2" >"$work/wrk-$1-$3.txt" 2>&1
}
for r in $(seq 1 "$ROUNDS"); do
  run_wrk example "$ex_url" "$r"
  run_wrk pure "$py_url" "$r"
done

# Status codes the servers logged (uvicorn's access log), and the first error.
for name in example pure; do
  echo "status codes, $name: $(grep -oE '" [0-9]{3}' "$work/$name.log" | sort | uniq -c | tr -s ' \n' ' ')" >&2
  grep -m1 -iE 'error|exception|traceback' "$work/$name.log" >&2 || true
done
if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$work"/*.log "$work"/wrk-*.txt "$KEEP_LOGS"/; fi

"$py" - "$work" "$ROUNDS" "$agree" "$CONNECTIONS" "$DURATION" <<'EOF'
import re, sys
work, rounds, agree, conns, dur = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
unit = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}
def parse(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    lat = {}
    for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", t, re.M):
        lat[p] = float(v) * unit[u]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    sock = re.search(r"Socket errors: (.*)", t)
    reqs = int(re.search(r"(\d+) requests in", t).group(1))
    return {"rps": rps, "lat": lat, "non2xx": int(errors.group(1)) if errors else 0,
            "sock": sock.group(1) if sock else "", "reqs": reqs}
res = {name: [parse(f"{work}/wrk-{name}-{r}.txt") for r in range(1, rounds + 1)] for name in ("example", "pure")}
print(f"\n== GET /api/recommendations (k=3, listing embedded), King County 21,430 listings, wrk -c{conns} -d{dur}s, {rounds} turn(s) each, interleaved")
print(f"   {'app':<34}{'req/s (best)':>13}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'requests':>10}  errors")
best = {}
for name, label in (("example", "FastAPI example (agent_mira + PG)"), ("pure", "pure Python (loop over dicts)")):
    b = max(res[name], key=lambda x: x["rps"])
    best[name] = b
    for i, x in enumerate(res[name], 1):
        print(f"   {label + f' turn {i}':<34}{x['rps']:>13.1f}{x['lat']['50']:>9.2f}{x['lat']['90']:>9.2f}{x['lat']['99']:>9.2f}{x['reqs']:>10}  {x['non2xx']} {x['sock']}")
r = best["example"]["rps"] / best["pure"]["rps"]
p50 = best["pure"]["lat"]["50"] / best["example"]["lat"]["50"]
print(f"   throughput ratio example / pure = {r:.1f}×; p50 latency pure / example = {p50:.1f}×; top-3 agree: {agree}")
errs = sum(x["non2xx"] for v in res.values() for x in v)
if errs:
    print(f"   WARNING: {errs} non-2xx responses: these numbers are not comparable")
print(f"SUMMARY fastapi-load example_rps={best['example']['rps']:.0f} pure_rps={best['pure']['rps']:.0f} ratio={r:.1f}x "
      f"example_p50={best['example']['lat']['50']:.2f}ms example_p99={best['example']['lat']['99']:.2f}ms "
      f"pure_p50={best['pure']['lat']['50']:.1f}ms pure_p99={best['pure']['lat']['99']:.1f}ms top3_agree={agree} non2xx={errs}")
EOF
