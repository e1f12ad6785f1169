#!/usr/bin/env bash
# CI for the Node package @mira/core: install the pinned tools, build the
# native addon (release, Cargo.lock as committed), check that it left the
# committed index.d.ts / index.js unchanged, type-check the generated
# index.d.ts with a typed usage file, run the node:test suite (a run with no
# test fails), and check that the packed tarball installs and works in a
# clean project.
set -euo pipefail
cd "$(dirname "$0")"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

step() { printf '\n== %s\n' "$*"; }

step "npm ci (no EBADENGINE: the lock file honours package.json's engines)"
cilog=$(mktemp)
npm ci --no-audit --no-fund 2>&1 | tee "$cilog"
if grep -q EBADENGINE "$cilog"; then
  rm -f "$cilog"
  echo "npm ci: a locked dependency does not support this Node ($(node --version)); see the engines in package.json" >&2
  exit 1
fi
rm -f "$cilog"

step "napi build --release"
npx napi build --platform --release --dts index.d.ts -- --locked

step "index.d.ts and index.js as committed"
# napi writes both from src/ and dts-header.d.ts: a change there must come
# with the regenerated files in the same commit.
if ! git diff --exit-code -- index.d.ts index.js; then
  echo "napi build changed the committed index.d.ts / index.js (diff above):" >&2
  echo "run \`cd bindings-node && npx napi build --platform --dts index.d.ts\` and commit them" >&2
  exit 1
fi

step "tsc --noEmit (index.d.ts + __test__/types.ts)"
npx tsc --noEmit -p tsconfig.json

step "node --test __test__/"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
node --test --test-reporter=tap __test__/ | tee "$log"
tests=$(sed -n 's/^# tests \([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
if [ -z "$tests" ] || [ "$tests" -eq 0 ]; then
  echo "node --test ran no test" >&2
  exit 1
fi

step "npm pack: install the tarball into a clean project"
bash scripts/pack-test.sh

step "bindings-node: $tests tests passed, tarball ok"
