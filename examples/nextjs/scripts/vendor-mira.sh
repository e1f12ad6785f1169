#!/usr/bin/env bash
# Puts @mira/core into this app as a *copy* from a packed tarball (not a file:
# symlink, which Turbopack cannot resolve outside the app):
#   1. builds the native addon in ../../bindings-node when it is missing or
#      older than the Rust sources (MIRA_REBUILD=1 forces a build,
#      MIRA_REBUILD=0 uses an existing addon as it is);
#   2. `npm pack`s it into vendor/ when the tarball is missing or older than
#      the addon;
#   3. `npm install --no-save ./vendor/mira-core-*.tgz` (run it after `npm ci`,
#      which removes it again).
# The tarball is not listed in package.json: its integrity hash changes with
# every change to the Rust core or the binding (and native builds are not
# promised byte-identical across machines), so a lockfile entry for it would
# make `npm ci` fail with EINTEGRITY until the lock was updated again.
set -euo pipefail
app=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$app/../.." && pwd)
pkg="$repo/bindings-node"
addon="$pkg/mira.linux-x64-gnu.node"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

stale=""
if [ ! -f "$addon" ] || [ ! -f "$pkg/index.js" ] || [ "${MIRA_REBUILD:-0}" = 1 ]; then
  stale="missing"
elif [ "${MIRA_REBUILD:-}" != 0 ]; then
  newer=$(find "$repo/core" "$pkg/src" "$pkg/Cargo.toml" "$pkg/dts-header.d.ts" "$repo/Cargo.lock" \
    -type f \( -name '*.rs' -o -name '*.toml' -o -name '*.lock' -o -name '*.d.ts' -o -name '*.json' \) \
    -newer "$addon" -print -quit 2>/dev/null || true)
  [ -n "$newer" ] && stale="older than $newer"
fi
if [ -n "$stale" ]; then
  echo "== @mira/core: building the addon ($stale)"
  (cd "$pkg" && npm ci --no-audit --no-fund && npx napi build --platform --release --dts index.d.ts -- --locked)
fi

mkdir -p "$app/vendor"
tarball=$(ls -t "$app"/vendor/mira-core-*.tgz 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ] || [ "$addon" -nt "$tarball" ] || [ "$pkg/package.json" -nt "$tarball" ]; then
  rm -f "$app"/vendor/mira-core-*.tgz
  name=$(cd "$pkg" && npm pack --silent --pack-destination "$app/vendor" | tail -n 1)
  tarball="$app/vendor/$name"
  echo "== @mira/core: packed vendor/$name ($(du -h "$tarball" | cut -f1))"
fi

cd "$app"
npm install --no-save --no-audit --no-fund --silent "./vendor/$(basename "$tarball")"
test -f node_modules/@mira/core/package.json && test ! -L node_modules/@mira/core
echo "== @mira/core: installed $(node -p "require('@mira/core/package.json').version") from vendor/$(basename "$tarball")"
