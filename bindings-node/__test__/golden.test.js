// The cross-language golden cases (fixtures/golden): every case, compared
// exactly (floats to the last digit) with the core's stored answer; a case
// may name a price `model` and a `rent_model`.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures, camelKeys, snakeKeys } = require('./helpers')

const golden = path.join(fixtures, 'golden')
const cases = JSON.parse(fs.readFileSync(path.join(golden, 'cases.json'), 'utf8'))
const similarCases = JSON.parse(fs.readFileSync(path.join(golden, 'similar.json'), 'utf8'))

function model(file) {
  const p = path.join(fixtures, file)
  if (p.endsWith('.txt')) return PriceModel.fromLightgbm(p)
  if (path.basename(p).startsWith('xgb_')) return PriceModel.fromXgboost(p)
  return PriceModel.load(p)
}

function engineFor(c) {
  const catalog = Catalog.fromPath(path.join(fixtures, c.catalog), c.mapping ? { mapping: c.mapping } : undefined)
  const options = { profile: c.profile, currentYear: c.current_year }
  if (c.model) options.model = model(c.model)
  if (c.rent_model) options.rentModel = model(c.rent_model)
  return new Engine(catalog, options)
}

// The metrics' figures that only some results have: Node leaves an absent
// one out of `rec.metrics`, the core's JSON writes it as null.
const OPTIONAL_METRICS = ['mortgage_payment', 'monthly_cash_flow', 'cash_on_cash', 'value_gap']

/**
 * A Node result as the core writes it: snake_case keys, and inside
 * `metrics` (absent in both when a result has none) snake_case keys with
 * each absent optional figure as null.
 */
function asCore(rec) {
  const out = snakeKeys(rec)
  if ('metrics' in out) {
    const nulls = Object.fromEntries(OPTIONAL_METRICS.map((k) => [k, null]))
    out.metrics = { ...nulls, ...snakeKeys(out.metrics) }
  }
  return out
}

test('there are golden cases', () => {
  assert.ok(cases.length >= 10, `${cases.length} cases`)
})

for (const c of cases) {
  test(`golden case ${c.name}: sync, async and batch equal the stored answer exactly`, async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(golden, 'expected', `${c.name}.json`), 'utf8'))
    const engine = engineFor(c)
    const prefs = camelKeys(c.preferences)

    const sync = engine.recommend(prefs, c.k, c.offset)
    assert.deepStrictEqual(sync.map(asCore), expected)

    const asyncResult = await engine.recommendAsync(prefs, c.k, c.offset)
    assert.deepStrictEqual(asyncResult, sync)

    if (c.offset === 0) {
      const [batch] = engine.recommendBatch([prefs], c.k)
      assert.deepStrictEqual(batch, sync)
    }
    // Results are plain data: a JSON round trip changes nothing.
    assert.deepStrictEqual(JSON.parse(JSON.stringify(sync)), sync)
  })
}

test('the investor cases carry metrics where the core has them, and only there', () => {
  // Guards asCore: the investment profile ranks only sales with a rent
  // (every result has metrics), and one with a mortgage has every figure
  // but the value gap.
  const c = cases.find((x) => x.name === 'invest-all-terms')
  const recs = engineFor(c).recommend(camelKeys(c.preferences), c.k, c.offset)
  const byId = Object.fromEntries(recs.map((r) => [r.id, r]))
  for (const id of ['inv-rent-1', 'inv-15', 'inv-16']) assert.equal(byId[id], undefined, id)
  for (const r of recs) assert.equal(typeof r.metrics, 'object', r.id)
  const m = byId['inv-14'].metrics
  assert.equal(m.grossYield, 0.12)
  assert.equal(m.rentSource, 'given')
  assert.equal(m.netOperatingIncome, 12 * 2280 * 0.92 * 0.6)
  assert.equal(typeof m.mortgagePayment, 'number')
  assert.equal('valueGap' in m, false)
})

// "Homes like this one" (similar.json): the catalog as a file, the current
// year, the listing's id (a number or a string), k and the filters in the
// core's names, answered by engine.similar.
test('there are golden similar cases', () => {
  assert.ok(similarCases.length >= 5, `${similarCases.length} cases`)
})

for (const c of similarCases) {
  test(`golden similar case ${c.name}: sync and async equal the stored answer exactly`, async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(golden, 'expected', `${c.name}.json`), 'utf8'))
    assert.ok(expected.length > 0)
    const engine = new Engine(Catalog.fromPath(path.join(fixtures, c.catalog)), { currentYear: c.current_year })
    const filters = camelKeys(c.filters)
    const sync = engine.similar(c.id, c.k, filters)
    assert.deepStrictEqual(sync.map(asCore), expected)
    assert.deepStrictEqual(await engine.similarAsync(c.id, c.k, filters), sync)
    assert.deepStrictEqual(JSON.parse(JSON.stringify(sync)), sync)
  })
}
