// Investment metrics: one listing's (analyzeInvestment), and the ones every
// recommendation carries (rec.metrics) on the request's terms; thresholds,
// the investment profile, a rent model, and errors named in camelCase.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures, mira } = require('./helpers')

const home = { id: 9, price: 400000, estimatedRent: 2500, listingType: 'sale' }
const engine = new Engine(Catalog.fromRecords([home]))

const round = (x, places) => Math.round(x * 10 ** places) / 10 ** places

test('the worked example', () => {
  const m = engine.analyzeInvestment(home, { mortgageRate: 0.065 })
  assert.equal(m.grossYield, 0.075)
  assert.equal(m.netOperatingIncome, 18525)
  assert.equal(m.capRate, 0.0463125)
  assert.equal(round(m.mortgagePayment, 2), 2022.62)
  assert.equal(round(m.monthlyCashFlow, 2), -478.87)
  assert.equal(round(m.cashOnCash, 4), -0.0625)
  assert.equal(m.rentSource, 'given')
  assert.equal(m.valueGap, undefined, 'absent without a price model')
})

test('by id, without a mortgage, equals the same call in full', () => {
  const m = engine.analyzeInvestment(9, { vacancy: 0.1 })
  assert.equal(m.monthlyCashFlow, undefined, 'absent without a mortgage')
  assert.equal(m.mortgagePayment, undefined, 'absent without a mortgage')
  assert.deepEqual(m, engine.analyzeInvestment(home, { vacancy: 0.1, mortgageRate: undefined }))
})

test('terms and listings are checked and named', () => {
  assert.throws(() => engine.analyzeInvestment(home, { mortgageRate: 6.5 }), mira('MIRA_INVALID_FIELD',
    'investment terms: field `mortgageRate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)'))
  assert.throws(() => engine.analyzeInvestment(home, { mortgage_rate: 0.05 }), mira('MIRA_UNKNOWN_FIELD',
    'investment terms: unknown field `mortgage_rate` (did you mean `mortgageRate`?)'))
  assert.throws(() => engine.analyzeInvestment({ id: 1, price: 300000 }), mira('MIRA_INVALID_FIELD',
    'listing 1: field `estimatedRent` = (absent): expected the rent this home would fetch per month, as `estimatedRent` on the listing or from a rent model the engine is built with'))
  assert.throws(() => engine.analyzeInvestment(12345), (err) => err.code === 'MIRA_INVALID_FIELD' && /field `listing` = 12345/.test(err.message))
})

test('a recommendation carries the worked example\'s metrics, as analyzeInvestment gives them', () => {
  const [rec] = engine.recommend({ mortgageRate: 0.065 })
  assert.equal(rec.id, 9)
  assert.deepEqual(rec.metrics, engine.analyzeInvestment(home, { mortgageRate: 0.065 }))
  const m = rec.metrics
  assert.deepEqual(Object.keys(m), ['estimatedRent', 'rentSource', 'grossYield', 'priceToRent',
    'netOperatingIncome', 'capRate', 'mortgagePayment', 'monthlyCashFlow', 'cashOnCash'])
  assert.equal(m.estimatedRent, 2500)
  assert.equal(m.rentSource, 'given')
  assert.equal(m.grossYield, 0.075)
  assert.equal(m.priceToRent, 400000 / 30000)
  assert.equal(m.capRate, 0.0463125)
  assert.equal(round(m.mortgagePayment, 2), 2022.62)
  assert.equal(round(m.monthlyCashFlow, 2), -478.87)
  assert.equal(round(m.cashOnCash, 4), -0.0625)
  assert.equal('valueGap' in m, false, 'absent without a price model')
  assert.deepEqual(Object.keys(rec).slice(-2), ['rentPerMonth', 'metrics'])
  // On the request's terms: no mortgage, no payment, cash flow or cash-on-cash.
  const [plain] = engine.recommend({ vacancy: 0.1, expenseRatio: 0.4 })
  assert.deepEqual(plain.metrics, engine.analyzeInvestment(home, { vacancy: 0.1, expenseRatio: 0.4 }))
  assert.equal(plain.metrics.netOperatingIncome, 12 * 2500 * 0.9 * 0.6)
  assert.equal('mortgagePayment' in plain.metrics, false)
  assert.equal('monthlyCashFlow' in plain.metrics, false)
  assert.equal('cashOnCash' in plain.metrics, false)
  // JSON keeps the shape (absent stays absent).
  assert.deepEqual(JSON.parse(JSON.stringify(plain.metrics)), plain.metrics)
})

// Over the hand-written investor fixture (fixtures/listings/README.md: the
// hand-computed table the expected ids and figures come from).
const investors = Catalog.fromPath(path.join(fixtures, 'listings', 'investment.json'), { currentYear: 2025 })
const invest = new Engine(investors, { profile: 'investment', currentYear: 2025 })
const ids = (recs) => recs.map((r) => r.id).sort()
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => `inv-${String(from + i).padStart(2, '0')}`)

test('thresholds keep exactly the listings that meet them; unknown rents never pass', () => {
  assert.deepEqual(ids(invest.recommend({ minGrossYield: 0.08 }, 20)), range(9, 14))
  assert.deepEqual(ids(invest.recommend({ minCapRate: 0.05 }, 20)), range(10, 14))
  const flow = invest.recommend({ minCashFlow: 0, mortgageRate: 0.065 }, 20)
  assert.deepEqual(ids(flow), range(12, 14))
  for (const r of flow) assert.ok(r.metrics.monthlyCashFlow >= 0, `${r.id}: ${r.metrics.monthlyCashFlow}`)
  // Without a threshold the investment profile still ranks only the sales
  // with a rent (its Investable filter), each with metrics.
  const all = invest.recommend({}, 20)
  assert.deepEqual(ids(all), range(1, 14))
  for (const r of all) assert.equal(typeof r.metrics, 'object', r.id)
  for (const id of ['inv-15', 'inv-16', 'inv-rent-1']) assert.equal(all.find((x) => x.id === id), undefined, id)
  // Even a threshold every known rent meets leaves them out.
  assert.deepEqual(ids(invest.recommend({ minGrossYield: 0 }, 20)), range(1, 14))
})

test('metrics on the fixture equal the hand-computed table', () => {
  const [top] = invest.recommend({ minCashFlow: 0, mortgageRate: 0.065 }, 1)
  assert.equal(top.id, 'inv-14')
  const m = top.metrics
  assert.equal(m.estimatedRent, 2280)
  assert.equal(m.grossYield, 0.12)
  assert.equal(round(m.priceToRent, 2), 8.33)
  assert.equal(round(m.netOperatingIncome, 2), 16894.8)
  assert.equal(round(m.capRate, 6), 0.0741)
  assert.equal(round(m.mortgagePayment, 2), 1152.89)
  assert.equal(round(m.monthlyCashFlow, 2), 255.01)
  assert.equal(round(m.cashOnCash, 4), 0.0584)
  assert.deepEqual(top.reasons.slice(0, 2), [
    "Gross yield 12 % (rent ≈ $2,280/month, the listing's estimate; 100/100)",
    'Cash flow +$255/month at 20 % down, 6.5 % over 30 years',
  ])
  assert.deepEqual(top.components, { cash_flow: 100, gross_yield: 100 })
})

test('every result path carries the same metrics', async () => {
  const prefs = { minGrossYield: 0.07, mortgageRate: 0.065, downPayment: 0.25 }
  const recs = invest.recommend(prefs, 5)
  assert.equal(recs.length, 5)
  for (const r of recs) {
    assert.deepEqual(r.metrics, invest.analyzeInvestment(r.id, { mortgageRate: 0.065, downPayment: 0.25 }), r.id)
  }
  assert.deepEqual(invest.recommendWithStats(prefs, 5).results, recs)
  assert.deepEqual(await invest.recommendAsync(prefs, 5), recs)
  const [batch, none] = invest.recommendBatch([prefs, { minGrossYield: 0.5 }], 5)
  assert.deepEqual(batch, recs)
  assert.deepEqual(none, [])
})

test('a price model adds the value gap', () => {
  const model = PriceModel.load(path.join(fixtures, 'models', 'king-county', 'model.json'))
  const valued = new Engine(investors, { profile: 'investment', currentYear: 2025, model })
  const [r] = valued.recommend({ minGrossYield: 0.12 }, 1)
  assert.equal(r.id, 'inv-14')
  assert.equal(r.metrics.valueGap, r.predictedPrice / r.listedPrice - 1)
  assert.deepEqual(r.metrics, valued.analyzeInvestment('inv-14'))
})

test('stats count the rent estimates', () => {
  const s = invest.stats()
  assert.equal(s.profile, 'investment')
  assert.equal(s.rentEstimates, 14)
  assert.equal(s.rentModelEstimates, 0)
})

// A rent model (trained on Indian rentals) estimates the rents of Indian
// flats for sale that carry none.
const flats = Catalog.fromPath(path.join(fixtures, 'listings', 'investment_inr.json'), { currentYear: 2025 })
const rentModel = PriceModel.load(path.join(fixtures, 'models', 'india-rent', 'model.json'))
const withRents = new Engine(flats, { rentModel, profile: 'investment', currentYear: 2025 })

test('a rent model gives the rent of listings without one', () => {
  const recs = withRents.recommend({}, 20)
  assert.equal(recs.length, 9)
  for (const r of recs) {
    assert.equal(r.metrics.rentSource, 'model', r.id)
    const listing = withRents.get(r.id)
    assert.equal(r.metrics.estimatedRent, withRents.estimateRent(listing).price, r.id)
    assert.equal(r.metrics.grossYield, 12 * r.metrics.estimatedRent / r.listedPrice, r.id)
    assert.deepEqual(r.metrics, withRents.analyzeInvestment(r.id), r.id)
  }
  const s = withRents.stats()
  assert.equal(s.rentEstimates, 9)
  assert.equal(s.rentModelEstimates, 9)
  // The next catalog version keeps the rent model; a listing's own rent counts as given.
  const next = withRents.withCatalog(flats.upsert([{ ...withRents.get('in-1'), id: 'in-10', estimatedRent: 90000 }]))
  assert.deepEqual([next.stats().rentEstimates, next.stats().rentModelEstimates], [10, 9])
  assert.equal(next.analyzeInvestment('in-10').rentSource, 'given')
})

test('a rent estimate outside the rent model\'s domain is flagged', () => {
  const v = withRents.estimateRent(withRents.get('in-9'))
  assert.equal(v.inDomain, false)
  assert.deepEqual(v.warnings, ['location Bellandur, Bangalore not seen in training'])
  const recs = withRents.recommend({}, 20)
  const flagged = recs.filter((r) => r.reasons.some((x) => x.startsWith('Estimated rent less certain: ')))
  assert.deepEqual(ids(flagged), ['in-5', 'in-9'])
  assert.ok(recs.find((r) => r.id === 'in-9').reasons.includes(
    'Estimated rent less certain: location Bellandur, Bangalore not seen in training'))
  // The listing's own estimate wins over the model's.
  const own = withRents.analyzeInvestment({ ...withRents.get('in-9'), estimatedRent: 40000 })
  assert.equal(own.rentSource, 'given')
  assert.equal(own.estimatedRent, 40000)
})

test('rent models, profiles and investor preferences are checked and named', () => {
  assert.throws(() => engine.estimateRent(home), mira('MIRA_UNSUPPORTED',
    'unsupported rent estimation: this engine has no rent model (build the engine with one: new Engine(catalog, { rentModel }))'))
  assert.throws(() => new Engine(flats, { rentModel: 'india-rent' }), mira('MIRA_TYPE',
    'engine options: field `rentModel` is a string ("india-rent"): expected a PriceModel'))
  assert.throws(() => new Engine(flats, { rent_model: rentModel }), (err) => err.code === 'MIRA_UNKNOWN_FIELD' && /`rent_model`/.test(err.message))
  const cases = [
    [{ minGrossYield: 7 }, 'field `minGrossYield` = 7: expected a fraction from 0 below 1 (0.06 for 6 %)'],
    [{ minCapRate: '0.05' }, 'field `minCapRate` = "0.05": expected a number'],
    [{ minCashFlow: 100 }, 'field `minCashFlow` = 100: expected a mortgageRate beside it (cash flow is the rent left after the mortgage payment; 0 with downPayment 1 for a cash purchase)'],
    [{ mortgageYears: 30 }, 'field `mortgageYears` = 30: expected a mortgageRate beside it (the yearly rate of the mortgage, e.g. 0.065)'],
    [{ mortgageRate: 6.5 }, 'field `mortgageRate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)'],
    [{ downPayment: 1.5, mortgageRate: 0.05 }, 'field `downPayment` = 1.5: expected a share from 0 up to 1 (0.05 for 5 %)'],
    [{ vacancy: -0.1 }, 'field `vacancy` = -0.1: expected a share from 0 below 1 (0.05 for 5 %)'],
  ]
  for (const [prefs, message] of cases) {
    assert.throws(() => invest.recommend(prefs), mira('MIRA_INVALID_FIELD', `preferences: ${message}`), JSON.stringify(prefs))
  }
  assert.throws(() => invest.recommend({ min_cap_rate: 0.05 }), mira('MIRA_UNKNOWN_FIELD',
    'preferences: unknown field `min_cap_rate` (did you mean `minCapRate`?)'))
})
