// @mira/core's recommend against what a Node user would write instead.
//
// Same synthetic catalog as benches/src/lib.rs (the xorshift generator, seed,
// draw order and rounding ported), same buyer (typical_buyer), top 10, in ONE
// run with the alternatives taking turns (best of N):
//   - @mira/core Engine, profile 'case-study' (and 'balanced', for reference);
//   - js-objects: the case-study formula over an array of listing objects,
//     then map + sort, as the public solutions write it;
//   - js-typed: the formula over Float64Array columns with an inline top-k;
//   - js-typed-pre: the buyer-independent part (school, commute, age,
//     amenities) precomputed once, only price and bedrooms per request.
// Missing data is left out and the weights renormalised, as agent_mira does;
// order: score desc, price asc, id asc. The top-10 ids are checked.
// Also: sync and async call overhead on 1k listings (k = 3).
//
// Run from the repository root:
//   node benches/node/recommend_compare.mjs            # 200k and 10k
//   node benches/node/recommend_compare.mjs --quick    # 200k, fewer rounds
// Env: MIRA_NODE_PKG=path/to/bindings-node (default: this checkout's, as built
// by bindings-node/ci.sh).
// The last line starts with SUMMARY.

import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { BUYER, synthetic } from './synth.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
// The built package in bindings-node (MIRA_NODE_PKG: another build of it).
const pkg = process.env.MIRA_NODE_PKG ? path.resolve(process.env.MIRA_NODE_PKG) : path.join(here, '..', '..', 'bindings-node')
const mira = require(pkg)

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const sizes = opt('--sizes', quick ? '200000' : '200000,10000').split(',').filter(Boolean).map(Number)
const ROUNDS = Number(opt('--rounds', quick ? 9 : 25))
const LOOP_RUNS = Number(opt('--loop-runs', quick ? 3 : 7))
const SECONDS = Number(opt('--seconds', quick ? 20 : 60))
const K = 10
const YEAR = 2025

// What the catalog's synonym table makes of them (the alternatives get these).
const CANONICAL = [
  ['pool', 'garage'], ['garden'], [], ['pool', 'garden', 'garage'], ['view', 'gym'], ['garage'],
]
const W = { price: 0.30, bed: 0.20, school: 0.15, commute: 0.15, age: 0.10, amen: 0.10 }

const commuteScore = (m) => m <= 15 ? 100 : m <= 30 ? 80 : m <= 45 ? 50 : 20
const ageScore = (a) => a <= 5 ? 100 : a <= 15 ? 80 : a <= 30 ? 60 : 40

// js-objects: as the public solutions write it (map, then sort).
function jsObjects (listings, prefs, k) {
  const budget = prefs.budget; const minBed = prefs.minBedrooms
  return listings.map((p) => {
    let total = W.price * (p.price <= budget ? 100 : Math.max(0, 100 - (p.price - budget) / budget * 100))
    let weight = W.price
    if (p.bedrooms != null) { total += W.bed * (p.bedrooms >= minBed ? 100 : p.bedrooms / minBed * 100); weight += W.bed }
    if (p.schoolRating != null) { total += W.school * (p.schoolRating / 10 * 100); weight += W.school }
    if (p.commuteTime != null) { total += W.commute * commuteScore(p.commuteTime); weight += W.commute }
    if (p.yearBuilt != null) { total += W.age * ageScore(YEAR - p.yearBuilt); weight += W.age }
    if (p.amenities != null) {
      const has = p.amenities.includes('pool') + p.amenities.includes('garage') + p.amenities.includes('garden')
      total += W.amen * (has / 3 * 100); weight += W.amen
    }
    if (Math.abs(weight - 1) > 1e-12) total = total / weight
    return { id: p.id, price: p.price, score: total }
  }).sort((a, b) => b.score - a.score || a.price - b.price || a.id - b.id).slice(0, k).map((r) => r.id)
}

function columns (listings, kinds) {
  const n = listings.length
  const c = {
    n, id: new Float64Array(n), price: new Float64Array(n), bedrooms: new Float64Array(n),
    school: new Float64Array(n), commute: new Float64Array(n), yearBuilt: new Float64Array(n),
    amen: new Uint8Array(n), // bit 0 pool, 1 garage, 2 garden
  }
  const bits = CANONICAL.map((a) => (a.includes('pool') ? 1 : 0) | (a.includes('garage') ? 2 : 0) | (a.includes('garden') ? 4 : 0))
  for (let i = 0; i < n; i++) {
    const p = listings[i]
    c.id[i] = p.id; c.price[i] = p.price; c.bedrooms[i] = p.bedrooms ?? NaN
    c.school[i] = p.schoolRating ?? NaN; c.commute[i] = p.commuteTime ?? NaN
    c.yearBuilt[i] = p.yearBuilt ?? NaN; c.amen[i] = bits[kinds[i]]
  }
  return c
}

// A bounded top-k: a small list kept best first; most rows are rejected by
// one comparison with the last kept.
function makeTop (k) {
  const rows = [] // {s, p, id}, best first
  const better = (a, b) => a.s > b.s || (a.s === b.s && (a.p < b.p || (a.p === b.p && a.id < b.id)))
  return {
    rows,
    push (s, p, id) {
      if (rows.length === k) {
        const last = rows[k - 1]
        if (s < last.s || (s === last.s && (p > last.p || (p === last.p && id > last.id)))) return
      }
      const r = { s, p, id }
      let j = rows.length
      while (j > 0 && better(r, rows[j - 1])) j--
      rows.splice(j, 0, r)
      if (rows.length > k) rows.pop()
    },
  }
}

function jsTyped (c, prefs, k) {
  const budget = prefs.budget; const minBed = prefs.minBedrooms
  const top = makeTop(k)
  const { price, bedrooms, school, commute, yearBuilt, amen, id } = c
  for (let i = 0; i < c.n; i++) {
    const pr = price[i]
    let total = W.price * (pr <= budget ? 100 : Math.max(0, 100 - (pr - budget) / budget * 100))
    let weight = W.price
    const b = bedrooms[i]
    if (b === b) { total += W.bed * (b >= minBed ? 100 : b / minBed * 100); weight += W.bed }
    const sr = school[i]
    if (sr === sr) { total += W.school * (sr / 10 * 100); weight += W.school }
    const cm = commute[i]
    if (cm === cm) { total += W.commute * commuteScore(cm); weight += W.commute }
    const y = yearBuilt[i]
    if (y === y) { total += W.age * ageScore(YEAR - y); weight += W.age }
    const a = amen[i]
    total += W.amen * (((a & 1) + ((a >> 1) & 1) + ((a >> 2) & 1)) / 3 * 100); weight += W.amen
    if (Math.abs(weight - 1) > 1e-12) total = total / weight
    top.push(total, pr, id[i])
  }
  return top.rows.map((r) => r.id)
}

function precompute (c) {
  const stat = new Float64Array(c.n); const inv = new Float64Array(c.n)
  for (let i = 0; i < c.n; i++) {
    let t = 0; let w = W.price + W.bed
    const sr = c.school[i]; if (sr === sr) { t += W.school * (sr / 10 * 100); w += W.school }
    const cm = c.commute[i]; if (cm === cm) { t += W.commute * commuteScore(cm); w += W.commute }
    const y = c.yearBuilt[i]; if (y === y) { t += W.age * ageScore(YEAR - y); w += W.age }
    const a = c.amen[i]; t += W.amen * (((a & 1) + ((a >> 1) & 1) + ((a >> 2) & 1)) / 3 * 100); w += W.amen
    stat[i] = t; inv[i] = Math.abs(w - 1) <= 1e-12 ? 1 : 1 / w
  }
  return { ...c, stat, inv }
}

function jsTypedPre (pc, prefs, k) {
  const budget = prefs.budget; const minBed = prefs.minBedrooms
  const top = makeTop(k)
  const { price, bedrooms, stat, inv, id } = pc
  const pf = -100 / budget; const bf = 100 / minBed
  for (let i = 0; i < pc.n; i++) {
    const pr = price[i]
    const ps = Math.min(100, Math.max(0, 100 + (pr - budget) * pf))
    const bs = Math.min(100, bedrooms[i] * bf)
    const total = (W.price * ps + W.bed * bs + stat[i]) * inv[i]
    top.push(total, pr, id[i])
  }
  return top.rows.map((r) => r.id)
}

function interleaved (funcs, rounds, budgetS, caps) {
  const times = Object.fromEntries(Object.keys(funcs).map((n) => [n, []]))
  const start = performance.now()
  for (let r = 0; r < rounds; r++) {
    for (const [name, f] of Object.entries(funcs)) {
      if (r >= (caps[name] ?? rounds)) continue
      const t0 = performance.now()
      f()
      times[name].push(performance.now() - t0)
    }
    if (r >= 1 && (performance.now() - start) / 1000 > budgetS) break
  }
  return times
}

const min = (a) => Math.min(...a)
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)] }
const eq = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])

async function main () {
  const started = performance.now()
  console.log(`recommend_compare.mjs  ${new Date().toISOString().slice(0, 10)}  node ${process.version}  package ${pkg}  ` +
    `cpus ${os.cpus().length}  load ${os.loadavg()[0].toFixed(2)}`)
  const summary = {}
  for (const n of sizes) {
    let t0 = performance.now()
    const { listings, kinds } = synthetic(n)
    const genS = (performance.now() - t0) / 1000
    t0 = performance.now()
    const catalog = mira.Catalog.fromRecords(listings, { currentYear: YEAR })
    const buildS = (performance.now() - t0) / 1000
    const cs = new mira.Engine(catalog, { profile: 'case-study', currentYear: YEAR })
    const bal = new mira.Engine(catalog, { profile: 'balanced', currentYear: YEAR })
    const alt = listings.map((p, i) => ({ ...p, amenities: CANONICAL[kinds[i]] }))
    const cols = columns(alt, kinds)
    t0 = performance.now()
    const pre = precompute(cols)
    const preS = (performance.now() - t0) / 1000

    const ids = {
      mira: cs.recommend(BUYER, K).map((r) => r.id),
      'js-objects': jsObjects(alt, BUYER, K),
      'js-typed': jsTyped(cols, BUYER, K),
      'js-typed-pre': jsTypedPre(pre, BUYER, K),
    }
    const funcs = {
      '@mira/core': () => cs.recommend(BUYER, K),
      '@mira/core balanced': () => bal.recommend(BUYER, K),
      'js-objects': () => jsObjects(alt, BUYER, K),
      'js-typed': () => jsTyped(cols, BUYER, K),
      'js-typed-pre': () => jsTypedPre(pre, BUYER, K),
    }
    for (const f of Object.values(funcs)) f() // warm-up (JIT)
    for (const f of Object.values(funcs)) f()
    const times = interleaved(funcs, ROUNDS, SECONDS, { 'js-objects': LOOP_RUNS })
    const base = min(times['@mira/core'])
    console.log(`\n== ${n.toLocaleString('en')} listings, top ${K}, buyer = typical_buyer (@mira/core: its rayon pool; JS: 1 thread)`)
    console.log(`   set-up: generate ${genS.toFixed(2)} s, Catalog.fromRecords ${buildS.toFixed(2)} s, precompute ${preS.toFixed(3)} s`)
    console.log(`   ${'method'.padEnd(24)}${'best ms'.padStart(10)}${'median ms'.padStart(11)}${'runs'.padStart(6)}  @mira/core is … faster`)
    for (const [name, t] of Object.entries(times)) {
      console.log(`   ${name.padEnd(24)}${min(t).toFixed(3).padStart(10)}${median(t).toFixed(3).padStart(11)}${String(t.length).padStart(6)}  ${(min(t) / base).toFixed(1).padStart(7)}×`)
    }
    let agree = true
    for (const [name, got] of Object.entries(ids)) {
      if (name === 'mira') continue
      const same = eq(got, ids.mira)
      agree = agree && same
      console.log(`   top-${K} ids ${name.padEnd(13)} = @mira/core: ${same ? 'yes' : `NO: ${JSON.stringify(got)}`}`)
    }
    console.log(`   @mira/core top-${K}: ${JSON.stringify(ids.mira)}`)
    summary[n] = {
      mira: base, bal: min(times['@mira/core balanced']),
      objects: min(times['js-objects']) / base, typed: min(times['js-typed']) / base,
      typedPre: min(times['js-typed-pre']) / base, agree,
    }
  }

  // Call overhead, 1k listings, k = 3.
  const { listings } = synthetic(1000)
  const cat = mira.Catalog.fromRecords(listings, { currentYear: YEAR })
  const engines = {
    'case-study': new mira.Engine(cat, { profile: 'case-study', currentYear: YEAR }),
    balanced: new mira.Engine(cat, { profile: 'balanced', currentYear: YEAR }),
  }
  const small = { budget: 650000, minBedrooms: 3 }
  const calls = 2000
  const best = {}
  const record = (name, us) => { best[name] = Math.min(best[name] ?? Infinity, us) }
  for (let r = 0; r < (quick ? 5 : 9); r++) {
    for (const [name, e] of Object.entries(engines)) {
      for (const [label, prefs] of [['k=3', BUYER], ['k=3, 2-key prefs', small]]) {
        let t0 = performance.now()
        for (let i = 0; i < calls; i++) e.recommend(prefs, 3)
        record(`${name} ${label} sync`, (performance.now() - t0) * 1000 / calls)
        t0 = performance.now()
        for (let i = 0; i < calls / 4; i++) await e.recommendAsync(prefs, 3)
        record(`${name} ${label} async (awaited one by one)`, (performance.now() - t0) * 1000 / (calls / 4))
      }
    }
    let t0 = performance.now()
    for (let i = 0; i < calls; i++) void cat.length
    record('catalog.length (a bare property)', (performance.now() - t0) * 1000 / calls)
    t0 = performance.now()
    await Promise.all(Array.from({ length: calls / 4 }, () => engines['case-study'].recommendAsync(small, 3)))
    record('case-study k=3 async, 500 in flight (per call)', (performance.now() - t0) * 1000 / (calls / 4))
  }
  console.log('\n== call overhead, 1,000 listings (µs per call, best of batches)')
  for (const [name, us] of Object.entries(best)) console.log(`   ${name.padEnd(50)}${us.toFixed(2).padStart(8)} µs`)

  const n0 = summary[200000] ? 200000 : sizes[0]
  const s = summary[n0]
  const agreeAll = Object.values(summary).every((x) => x.agree)
  console.log(`SUMMARY node-recommend n=${n0} mira_cs=${s.mira.toFixed(2)}ms mira_bal=${s.bal.toFixed(2)}ms ` +
    `vs_objects=${s.objects.toFixed(0)}x vs_typed=${s.typed.toFixed(1)}x vs_typed_pre=${s.typedPre.toFixed(1)}x ` +
    `top10_agree=${agreeAll ? 'yes' : 'NO'} call_k3_sync=${best['case-study k=3 sync'].toFixed(1)}us ` +
    `call_k3_async=${best['case-study k=3 async (awaited one by one)'].toFixed(1)}us ` +
    `(${((performance.now() - started) / 1000).toFixed(0)} s)`)
}

main().catch((e) => { console.error(e); process.exit(1) })
