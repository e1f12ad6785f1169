// Grounded explanations (engine.explain): the golden explanations shared
// with the Rust and Python suites, exactly (every key camelCased);
// contributions that add up to the total; recommend's numbers; errors.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures, camel, camelKeys, mira } = require('./helpers')

const golden = path.join(fixtures, 'golden')
const cases = JSON.parse(fs.readFileSync(path.join(golden, 'explain.json'), 'utf8'))

function engineFor(c) {
  const catalog = Catalog.fromPath(path.join(fixtures, c.catalog), c.mapping ? { mapping: c.mapping } : undefined)
  const options = { profile: c.profile, currentYear: c.current_year }
  if (c.model) options.model = PriceModel.load(path.join(fixtures, c.model))
  if (c.rent_model) options.rentModel = PriceModel.load(path.join(fixtures, c.rent_model))
  return new Engine(catalog, options)
}

/** Every key camelCased, recursively (what engine.explain documents). */
const deepCamel = (v) =>
  Array.isArray(v)
    ? v.map(deepCamel)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), deepCamel(x)]))
      : v

const sum = (xs) => xs.reduce((a, x) => a + x, 0)

test('there are golden explanations', () => {
  assert.ok(cases.length >= 5)
})

for (const c of cases) {
  test(`golden explanation ${c.name} equals the stored one exactly`, () => {
    const expected = JSON.parse(fs.readFileSync(path.join(golden, 'expected', `${c.name}.json`), 'utf8'))
    const e = engineFor(c).explain(camelKeys(c.preferences), c.id)
    assert.deepStrictEqual(e, deepCamel(expected))
    assert.equal(sum(e.components.map((x) => x.contribution)), e.total)
  })
}

test('the explanations of the top results are recommend in numbers', () => {
  const catalog = Catalog.fromPath(path.join(fixtures, 'king_county', 'listings.csv'))
  const model = PriceModel.load(path.join(fixtures, 'models', 'king-county', 'model.json'))
  const engine = new Engine(catalog, { model, currentYear: 2025 })
  const buyer = { budget: 650000, location: 'Bellevue, WA', minBedrooms: 3, propertyTypes: ['sfh'] }
  const recs = engine.recommend(buyer, 10)
  assert.equal(recs.length, 10)
  for (const rec of recs) {
    const e = engine.explain(buyer, rec.id)
    assert.equal(e.passed, true)
    assert.equal(e.total, rec.score)
    assert.deepStrictEqual(e.reasons, rec.reasons)
    assert.equal(sum(e.components.map((x) => x.contribution)), e.total)
    assert.equal(sum([...e.components].reverse().map((x) => x.contribution)), e.total)
    const known = Object.fromEntries(e.components.filter((x) => x.known).map((x) => [x.name, x.score]))
    assert.deepStrictEqual(known, rec.components)
    const price = e.components.find((x) => x.name === 'price_match')
    assert.deepStrictEqual(price.inputs.ask, { budget: 650000, currency: 'USD' })
    assert.deepStrictEqual(Object.keys(price.inputs.listing), ['listedPrice'])
  }
})

test('explain refuses an unknown id and bad preferences by name', () => {
  const catalog = Catalog.fromPath(path.join(fixtures, 'listings', 'sample.json'))
  const engine = new Engine(catalog, { currentYear: 2025 })
  assert.throws(() => engine.explain({ budget: 1 }, 9), mira('MIRA_NOT_FOUND', 'no listing with id 9'))
  let recommendError
  try {
    engine.recommend({ minBedroom: 3 })
  } catch (err) {
    recommendError = err
  }
  assert.throws(() => engine.explain({ minBedroom: 3 }, 101), (err) => err.message === recommendError.message)
})
