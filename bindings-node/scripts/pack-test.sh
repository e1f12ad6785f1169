#!/usr/bin/env bash
# The packed tarball installs into a clean project and works there: CommonJS,
# ES modules and the TypeScript types. Needs a built package (npm run build).
# (The READMEs' Node examples run, as a user runs them, in .ci/readme-as-a-user.)
set -euo pipefail
pkg=$(cd "$(dirname "$0")/.." && pwd)
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
