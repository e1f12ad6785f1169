// What a buyer reads, with the bundled King County catalog and model under
// `balanced`: budget fit against the listed price, a misspelt place refused
// with the closest known one, and fields no listing has said once.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures, mira } = require('./helpers')

const engine = new Engine(Catalog.fromPath(path.join(fixtures, 'king_county', 'listings.csv')), {
  model: PriceModel.load(path.join(fixtures, 'models', 'king-county', 'model.json')),
  profile: 'balanced',
  currentYear: 2025,
})
const dollars = (x) => '$' + Math.round(x).toLocaleString('en-US')

test('a home listed above the budget never matches it fully, and its reasons name the listed price', () => {
  const budget = 700000
  const recs = engine.recommend({ budget, location: 'Bellevue, WA', minBedrooms: 3 }, 400)
  const over = recs.filter((r) => r.listedPrice > budget)
  const under = recs.filter((r) => r.listedPrice <= budget)
  assert.ok(over.length > 10 && under.length > 10, `${over.length} over, ${under.length} under`)
  for (const r of over) {
    assert.ok(r.components.price_match < 100, JSON.stringify(r))
    assert.ok(r.reasons[0].startsWith(`Listed ${dollars(r.listedPrice)}, `), r.reasons[0])
  }
  for (const r of under) {
    assert.equal(r.components.price_match, 100)
    assert.equal(r.reasons[0], `Listed ${dollars(r.listedPrice)}, within your $700,000 budget`)
  }
  // Listed within the budget but predicted above it: affordable all the same.
  assert.ok(under.some((r) => r.predictedPrice > budget))
})

test('a misspelt place is refused with the closest known one', () => {
  assert.throws(
    () => engine.recommend({ budget: 900000, location: 'Belleveu, WA' }, 3),
    mira('MIRA_INVALID_FIELD', 'preferences: field `location` = "Belleveu, WA": expected a place in the catalog (did you mean Bellevue, WA?)'),
  )
})

test('fields no listing has are said once, in stats, not on every result', () => {
  assert.deepEqual(engine.stats().unknownFields, ['school_rating', 'commute_time'])
  for (const r of engine.recommend({ budget: 900000, location: 'Bellevue, WA' }, 5)) {
    assert.deepEqual(r.reasons.filter((s) => s.includes('unknown')), [])
  }
})
