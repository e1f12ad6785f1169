#!/usr/bin/env bash
# The packed tarball installs into a clean project and works there: CommonJS,
# ES modules, the TypeScript types, and the repository README's Node example
# run unmodified. Needs a built package (npm run build).
set -euo pipefail
pkg=$(cd "$(dirname "$0")/.." && pwd)
repo=$(dirname "$pkg")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(cd "$pkg" && npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$work/$tarball"
test ! -L node_modules/@mira/core   # a copy, not a link

node -e "
const { Catalog, Engine, PriceModel } = require('@mira/core')
const engine = new Engine(Catalog.fromRecords([{ id: 1, price: 100 }, { id: 'b', price: 90 }]), { currentYear: 2025 })
const top = engine.recommend({ budget: 95 }, 2)
if (top.length !== 2 || typeof PriceModel.fromLightgbm !== 'function') throw new Error('bad CommonJS result')
console.log('CommonJS ok:', JSON.stringify(top.map((r) => r.id)))
"
node --input-type=module -e "
import { Catalog, Engine } from '@mira/core'
const engine = new Engine(Catalog.fromRecords([{ id: 1, price: 100 }]), { currentYear: 2025 })
const [r] = await engine.recommendAsync({ budget: 200 })
if (r.id !== 1) throw new Error('bad ESM result')
console.log('ES module ok')
"

# The types resolve from the installed package (tsc from this package's devDependencies).
cat > usage.ts <<'TS'
import { Catalog, Engine, type Recommendation, type MiraErrorCode } from '@mira/core'
const recs: Recommendation[] = new Engine(Catalog.fromRecords([{ id: 1, price: 1 }])).recommend({ minBedrooms: 2 })
const code: MiraErrorCode = 'MIRA_TYPE'
void [recs, code]
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "module": "node16", "moduleResolution": "node16", "types": [] }, "files": ["usage.ts"] }
JSON
"$pkg/node_modules/.bin/tsc" -p tsconfig.json
echo "TypeScript ok"

# The repository README's Node example, as written, beside the fixture it reads.
mkdir -p fixtures/king_county
cp "$repo/fixtures/king_county/listings.csv" fixtures/king_county/
# The README's Node example values listings with the bundled model (a symlink
# in the repository: copy the file it points to).
mkdir -p fixtures/models/king-county
cp -L "$repo/fixtures/models/king-county/model.json" fixtures/models/king-county/
sed -n '/^## Node/,/^## /p' "$repo/README.md" | sed -n '/^```js$/,/^```$/p' | sed '1d;$d' > readme-example.js
test -s readme-example.js
node readme-example.js > readme-example.out
results=$(grep -cE '^[^ ]+ [0-9]+\.[0-9] \[' readme-example.out || true)
if [ "$results" != 3 ]; then
  cat readme-example.out
  echo "README example: expected 3 results, got $results" >&2
  exit 1
fi
echo "README example ok (3 results)"
