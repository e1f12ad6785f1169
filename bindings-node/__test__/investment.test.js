// Investment metrics of one listing: the documented formulas, the worked
// example's numbers, and the terms' errors named in camelCase.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Catalog, Engine } = require('@mira/core')
const { mira } = require('./helpers')

const home = { id: 9, price: 400000, estimatedRent: 2500, listingType: 'sale' }
const engine = new Engine(Catalog.fromRecords([home]))

test('the worked example', () => {
  const m = engine.analyzeInvestment(home, { mortgageRate: 0.065 })
  assert.equal(m.grossYield, 0.075)
  assert.equal(m.netOperatingIncome, 18525)
  assert.equal(m.capRate, 0.0463125)
  assert.equal(Math.round(m.monthlyCashFlow * 100) / 100, -478.87)
  assert.equal(Math.round(m.cashOnCash * 10000) / 10000, -0.0625)
  assert.equal(m.rentSource, 'given')
  assert.equal(m.valueGap, undefined, 'absent without a price model')
})

test('by id, without a mortgage, equals the same call in full', () => {
  const m = engine.analyzeInvestment(9, { vacancy: 0.1 })
  assert.equal(m.monthlyCashFlow, undefined, 'absent without a mortgage')
  assert.deepEqual(m, engine.analyzeInvestment(home, { vacancy: 0.1, mortgageRate: undefined }))
})

test('terms and listings are checked and named', () => {
  assert.throws(() => engine.analyzeInvestment(home, { mortgageRate: 6.5 }), mira('MIRA_INVALID_FIELD',
    'investment terms: field `mortgageRate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)'))
  assert.throws(() => engine.analyzeInvestment(home, { mortgage_rate: 0.05 }), mira('MIRA_UNKNOWN_FIELD',
    'investment terms: unknown field `mortgage_rate` (did you mean `mortgageRate`?)'))
  assert.throws(() => engine.analyzeInvestment({ id: 1, price: 300000 }), mira('MIRA_INVALID_FIELD',
    'listing 1: field `estimatedRent` = (absent): expected the rent this home would fetch per month, as `estimatedRent` on the listing'))
  assert.throws(() => engine.analyzeInvestment(12345), (err) => err.code === 'MIRA_INVALID_FIELD' && /field `listing` = 12345/.test(err.message))
})
