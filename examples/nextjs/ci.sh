#!/usr/bin/env bash
# CI for the Next.js example: Debian's Chromium, npm ci, @mira/core from a
# packed tarball, `next build`, `tsc --noEmit`, then the node:test suites
# (unit tests of the helpers + the end-to-end test in Chromium). Fails when a
# test fails or when no test ran.
set -euo pipefail
cd "$(dirname "$0")"
export NEXT_TELEMETRY_DISABLED=1 npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
start=$(date +%s)
step() { printf '\n== %s (%s s)\n' "$*" "$(( $(date +%s) - start ))"; }

step "chromium"
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null || true

step "npm ci"
npm ci --no-audit --no-fund

step "@mira/core: build, pack, install the tarball"
bash scripts/vendor-mira.sh

step "next build"
node node_modules/next/dist/bin/next build

step "tsc --noEmit"
node node_modules/typescript/bin/tsc --noEmit -p tsconfig.json

step "node --test test/ e2e/ (unit + Chromium end-to-end)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
node --import ./test/register-ts.mjs --test --test-reporter=tap test/ e2e/ | tee "$log"
tests=$(sed -n 's/^# tests \([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
if [ -z "$tests" ] || [ "$tests" -eq 0 ]; then
  echo "node --test ran no test" >&2
  exit 1
fi

step "examples/nextjs: $tests tests passed"
