// Call overhead of two builds of @mira/core, side by side in one process:
// the same 1 000-listing synthetic catalog (synth.mjs), the builds taking
// turns round after round (the order flips every round), best batch of
// 2 000 calls per build. The way to compare a change to the binding with
// its base on a noisy machine: separate processes differ by more than
// the change.
//
//   node benches/node/ab_call_overhead.mjs <packageDirA> <packageDirB> [rounds=15]
//
// A package directory is a built bindings-node (its index.js and .node);
// build the base in a git worktree of the base commit.
import { createRequire } from 'node:module'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import { BUYER, synthetic } from './synth.mjs'

const require = createRequire(import.meta.url)
const [dirA, dirB, roundsArg] = process.argv.slice(2)
if (!dirA || !dirB) {
  console.error('usage: node benches/node/ab_call_overhead.mjs <packageDirA> <packageDirB> [rounds]')
  process.exit(2)
}
const rounds = Number(roundsArg ?? 15)
const YEAR = 2025
const CALLS = 2000
const SMALL = { budget: 650000, minBedrooms: 3 }
const CASES = [
  ['k=3 sync, 7-key buyer', BUYER, 3],
  ['k=3 sync, 2-key buyer', SMALL, 3],
  ['k=10 sync, 7-key buyer', BUYER, 10],
]
const ASYNC = 'k=3 awaited, 7-key buyer'

const { listings } = synthetic(1000)
const engines = { A: dirA, B: dirB }
for (const [name, dir] of Object.entries(engines)) {
  const mira = require(path.resolve(dir))
  const catalog = mira.Catalog.fromRecords(listings, { currentYear: YEAR })
  engines[name] = new mira.Engine(catalog, { profile: 'case-study', currentYear: YEAR })
}
const answer = (e) => JSON.stringify(e.recommend(BUYER, 3))
if (answer(engines.A) !== answer(engines.B)) throw new Error('the two builds answer differently')

const best = {}
const keep = (key, us) => { best[key] = Math.min(best[key] ?? Infinity, us) }
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? ['B', 'A'] : ['A', 'B']
  for (const name of order) {
    const engine = engines[name]
    for (const [label, prefs, k] of CASES) {
      const t0 = performance.now()
      for (let i = 0; i < CALLS; i++) engine.recommend(prefs, k)
      keep(`${label} ${name}`, (performance.now() - t0) * 1000 / CALLS)
    }
    const t0 = performance.now()
    for (let i = 0; i < CALLS / 4; i++) await engine.recommendAsync(BUYER, 3)
    keep(`${ASYNC} ${name}`, (performance.now() - t0) * 1000 / (CALLS / 4))
  }
}

console.log(`A = ${dirA}\nB = ${dirB}\n${rounds} rounds, ${CALLS} calls a batch, best batch, µs per call`)
const ratios = []
for (const label of [...CASES.map(([l]) => l), ASYNC]) {
  const a = best[`${label} A`]
  const b = best[`${label} B`]
  ratios.push(b / a)
  console.log(`${label.padEnd(26)} A ${a.toFixed(2).padStart(7)}  B ${b.toFixed(2).padStart(7)}  B/A ${(b / a).toFixed(3)}`)
}
console.log(`SUMMARY node-ab-call-overhead k3_sync_A=${best[`${CASES[0][0]} A`].toFixed(2)}us k3_sync_B=${best[`${CASES[0][0]} B`].toFixed(2)}us max_ratio=${Math.max(...ratios).toFixed(3)}`)
