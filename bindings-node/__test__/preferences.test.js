// Preferences objects: well-formed ones are read straight into the core's
// Preferences (src/convert/prefs.rs), anything else by the general reader and
// the core's parser. These tests pin that both accept the same things, build
// the same request, and word errors the same way.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Catalog, Engine } = require('@mira/core')
const { mira } = require('./helpers')

const catalog = Catalog.fromRecords([
  { id: 1, price: 400000, bedrooms: 3, bathrooms: 2, sizeSqft: 1500, location: 'Seattle, WA', propertyType: 'condo', listingType: 'sale', amenities: ['Pool'], schoolRating: 8, commuteTime: 20, yearBuilt: 2001 },
  { id: 2, price: 520000, bedrooms: 4, bathrooms: 3, sizeSqft: 2400, location: 'Bellevue, WA', propertyType: 'sfh', listingType: 'sale', amenities: ['Garden', 'Garage'], schoolRating: 9, commuteTime: 35, yearBuilt: 1985 },
  { id: 3, price: 2500, bedrooms: 2, location: 'Seattle, WA', propertyType: 'apartment', listingType: 'long_term_rent', amenities: ['Gym'] },
  { id: 'kc-4', price: 610000, bedrooms: 5, bathrooms: 2.5, propertyType: 'townhouse', listingType: 'sale', schoolRating: 6 },
])
const engine = new Engine(catalog, { currentYear: 2025 })
const ids = (prefs) => engine.recommend(prefs, 10).map((r) => r.id)

test('every field is read: each one changes the answer the way the core says', () => {
  const full = {
    budget: 500000, location: 'Seattle, WA', minBedrooms: 3, minBathrooms: 2, minSizeSqft: 1400,
    maxCommuteTime: 30, minSchoolRating: 7, preferredAmenities: ['pool'], mustHaveAmenities: [],
    propertyTypes: ['condo', 'sfh'], listingType: 'sale', weights: { price_match: 2 },
  }
  const top = engine.recommend(full, 10)
  assert.deepEqual(top.map((r) => r.id), [1, 2])
  assert.deepEqual(Object.keys(top[0].components),
    ['amenities', 'bathrooms', 'bedrooms', 'commute', 'location', 'price_match', 'property_age', 'school_rating', 'size'])
  assert.deepEqual(ids({ mustHaveAmenities: ['garage'] }), [2])
  assert.deepEqual(ids({ propertyTypes: ['apartment'] }), [3])
  assert.deepEqual(ids({ listingType: 'long_term_rent' }), [3])
})

test('aliases, whole numbers, null and undefined read as the core reads them', () => {
  const same = (a, b) => assert.deepEqual(engine.recommend(a, 10), engine.recommend(b, 10))
  same({ propertyTypes: ['House', 'Condominium'] }, { propertyTypes: ['sfh', 'condo'] })
  same({ listingType: 'For Sale' }, { listingType: 'sale' })
  same({ listingType: 'rental' }, { listingType: 'long_term_rent' })
  same({ budget: 500000, minBedrooms: 3.0 }, { budget: 5e5, minBedrooms: 3 })
  same({ budget: null, location: undefined, weights: null, preferredAmenities: null }, {})
  same({ weights: { commute: 1, location: undefined } }, { weights: { commute: 1 } })
  // Synonyms score alike; the reasons quote the buyer's own words.
  const scores = (prefs) => engine.recommend(prefs, 10).map((r) => [r.id, r.score, r.components])
  assert.deepEqual(scores({ preferredAmenities: ['Swimming Pool'] }), scores({ preferredAmenities: ['pool'] }))
  // Inherited enumerable keys count, as they do for every object read.
  same(Object.create({ budget: 450000 }), { budget: 450000 })
})

test('values of the wrong shape get the core\'s message, whichever reader saw them first', () => {
  const refused = (prefs, message) =>
    assert.throws(() => engine.recommend(prefs), mira('MIRA_INVALID_FIELD', `preferences: field ${message}`))
  refused({ minBedrooms: 2.5 }, '`minBedrooms` = 2.5: expected a whole number ≥ 0')
  refused({ minBedrooms: -0 }, '`minBedrooms` = -0.0: expected a whole number ≥ 0')
  refused({ minBedrooms: 2 ** 33 }, '`minBedrooms` = 8589934592: expected a whole number ≥ 0')
  refused({ budget: 450000, preferredAmenities: ['pool', undefined] }, '`preferredAmenities[1]` = null: expected a string')
  refused({ mustHaveAmenities: [, 'pool'] }, '`mustHaveAmenities[0]` = null: expected a string') // eslint-disable-line no-sparse-arrays
  refused({ mustHaveAmenities: [3] }, '`mustHaveAmenities[0]` = 3: expected a string')
  refused({ weights: { commute: null } }, '`weights.commute` = null: expected a number')
  refused({ weights: { commute: '1' } }, '`weights.commute` = "1": expected a number')
  refused({ weights: [] }, '`weights` = []: expected an object')
  refused({ propertyTypes: 'sfh' }, '`propertyTypes` = "sfh": expected a list')
  refused({ listingType: 7 }, '`listingType` = 7: expected a string')
  refused({ location: ['Seattle'] }, '`location` = ["Seattle"]: expected a string')
  // Well-formed but out of range: the core's range check, after the direct read.
  refused({ minBedrooms: 2, minBathrooms: -1 }, '`minBathrooms` = -1: expected a number between 0 and 1000')
  refused({ location: '   ' }, '`location` = "   ": expected a place such as "Seattle, WA" (or leave it out)')
})

test('unknown weight names keep the core\'s snake_case names in the suggestion', () => {
  assert.throws(() => engine.recommend({ weights: { prise_match: 1 } }), mira('MIRA_UNKNOWN_FIELD',
    'preferences: unknown field `weights.prise_match` (did you mean `weights.price_match`?)'))
})

test('recommendBatch reads every request the same way and names the bad one', () => {
  const list = [{ budget: 500000 }, { propertyTypes: ['House'] }, { minBedrooms: 4 }]
  assert.deepEqual(engine.recommendBatch(list, 10), list.map((p) => engine.recommend(p, 10)))
  assert.throws(() => engine.recommendBatch([{}, { minBedrooms: 1.5 }]), mira('MIRA_INVALID_FIELD',
    'preferences #1: field `minBedrooms` = 1.5: expected a whole number ≥ 0'))
})

test('getters: read once, may call back into the engine, and their errors reach the caller', () => {
  let inner
  let reads = 0
  // The getter runs after minBedrooms was read: the nested call must not
  // disturb what the outer one has read so far (nor make it start over).
  const prefs = {
    minBedrooms: 3,
    get budget () {
      reads++
      inner = engine.recommend({ minBedrooms: 4, preferredAmenities: ['gym'] }, 10)
      return 500000
    },
  }
  assert.deepEqual(engine.recommend(prefs, 10), engine.recommend({ budget: 500000, minBedrooms: 3 }, 10))
  assert.equal(reads, 1, 'a well-formed object is read once')
  assert.deepEqual(inner, engine.recommend({ minBedrooms: 4, preferredAmenities: ['gym'] }, 10))
  assert.throws(() => engine.recommend({ get budget () { throw new RangeError('no budget today') } }),
    (err) => err instanceof RangeError && err.message === 'no budget today')
  assert.deepEqual(ids({ mustHaveAmenities: ['gym'] }), [3], 'the engine still answers after a throwing getter')
})

test('every field of the core\'s list reads the same by the fast path and the general one', () => {
  // The core's own field list, as its error for an unknown key spells it (camelCase).
  let fields
  try {
    engine.recommend({ zzzzzzzz: 1 })
  } catch (err) {
    fields = /expected one of: (.*)\)$/.exec(err.message)[1].split(', ')
  }
  const full = {
    budget: 650000.5, location: 'Seattle, WA', minBedrooms: 2, minBathrooms: 1.5, minSizeSqft: 1000,
    maxCommuteTime: 40, minSchoolRating: 5.5, preferredAmenities: ['Swimming Pool', 'garden'],
    mustHaveAmenities: [], propertyTypes: ['House', 'condo'], listingType: 'Long term rent', budgetPeriod: 'Weekly',
    moveIn: '2022-07-01', leaseMonths: 11, furnishing: 'Semi-Furnished', pets: true, currency: 'usd',
    minGrossYield: 0.05, minCapRate: 0.03, minCashFlow: -500, downPayment: 0.25, mortgageRate: 0.065,
    mortgageYears: 15, expenseRatio: 0.3, vacancy: 0.08, closingCosts: 0.02,
    weights: { price_match: 2, commute: 0.5 }, similarTo: { ids: [2] },
  }
  assert.deepEqual(Object.keys(full).sort(), [...fields].sort(), 'the sample covers every field of the core')
  // A call made from inside a getter of an outer call's preferences reads
  // its own preferences the general way (the fast path's buffer is busy).
  const generalWay = (prefs) => {
    let answer
    engine.recommend({ get budget () { answer = engine.recommend(prefs, 10); return 1 } })
    return answer
  }
  for (const key of fields) {
    const one = { [key]: full[key] }
    // A renter's period and lease need a rental listing type beside them.
    if (key === 'budgetPeriod' || key === 'leaseMonths') one.listingType = full.listingType
    // A cash flow and a mortgage's down payment and term need its rate beside them.
    if (key === 'minCashFlow' || key === 'downPayment' || key === 'mortgageYears') one.mortgageRate = full.mortgageRate
    assert.deepEqual(generalWay(one), engine.recommend(one, 10), key)
  }
  assert.deepEqual(generalWay(full), engine.recommend(full, 10))
  assert.deepEqual(generalWay({ ...full, budget: 1e300 }), engine.recommend({ ...full, budget: 1e300 }, 10))
})
