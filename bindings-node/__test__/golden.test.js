// The cross-language golden cases (fixtures/golden): every case, compared
// exactly (floats to the last digit) with the core's stored answer.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures, camelKeys, snakeKeys } = require('./helpers')

const golden = path.join(fixtures, 'golden')
const cases = JSON.parse(fs.readFileSync(path.join(golden, 'cases.json'), 'utf8'))

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
  return new Engine(catalog, options)
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
    assert.deepStrictEqual(sync.map(snakeKeys), expected)

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
