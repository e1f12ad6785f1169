// A renter's fields cross the JavaScript boundary in camelCase: dates as
// 'YYYY-MM-DD' strings (a Date is refused: it is an instant, not a day),
// and every bad value named the way the caller typed it.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Catalog, Engine } = require('@mira/core')
const { mira } = require('./helpers')

const rental = {
  id: 'flat-1',
  price: 38000,
  location: 'Bandra West, Mumbai',
  listingType: 'long_term_rent',
  rentPeriod: 'month',
  availableFrom: '2022-06-28',
  availableUntil: '2023-12-31',
  minLeaseMonths: 11,
  maxLeaseMonths: 36,
  deposit: 150000,
  furnishing: 'Semi-Furnished',
  petsAllowed: true,
  floor: 4,
  totalFloors: 12,
  currency: 'inr',
}

test('a listing keeps every renting field, in camelCase', () => {
  const engine = new Engine(Catalog.fromRecords([rental]))
  const got = engine.get('flat-1')
  assert.deepEqual(
    Object.fromEntries(Object.keys(rental).map((k) => [k, got[k]])),
    { ...rental, furnishing: 'semi_furnished', currency: 'INR' },
  )
})

test('preferences take the renter fields by both readers', () => {
  const engine = new Engine(Catalog.fromRecords([rental]))
  const prefs = { listingType: 'long_term_rent', moveIn: '2022-07-01', leaseMonths: 11, currency: 'INR', pets: true }
  assert.deepEqual(engine.recommend(prefs).map((r) => r.id), ['flat-1'])
  // An extra key the fast reader leaves to the general one: same answer.
  assert.deepEqual(engine.recommend({ ...prefs, weights: undefined, furnishing: 'furnished' }).map((r) => r.id), ['flat-1'])
})

test('a Date is refused: a day is written YYYY-MM-DD', () => {
  const engine = new Engine(Catalog.fromRecords([rental]))
  assert.throws(() => engine.recommend({ listingType: 'long_term_rent', moveIn: new Date('2022-07-01') }),
    mira('MIRA_TYPE', "preferences: field `moveIn` is a Date: expected a calendar day written 'YYYY-MM-DD' " +
      '(a Date is an instant, not a day: write the day you mean, e.g. date.toISOString().slice(0, 10) for its UTC day)'))
  assert.throws(() => Catalog.fromRecords([{ ...rental, availableFrom: new Date() }]),
    (err) => err.code === 'MIRA_TYPE' && /field `availableFrom` is a Date/.test(err.message))
})

test('bad renting values are named in camelCase', () => {
  assert.throws(() => Catalog.fromRecords([{ ...rental, availableUntil: '2022-06-01' }]),
    mira('MIRA_INVALID_FIELD', 'record #0 (listing \"flat-1\"): field `availableUntil` = "2022-06-01": expected a date on or after availableFrom (2022-06-28)'))
  assert.throws(() => Catalog.fromRecords([{ ...rental, listingType: 'sale' }]),
    mira('MIRA_INVALID_FIELD', 'record #0 (listing \"flat-1\"): field `rentPeriod` = "month": expected no rent period on a `sale` listing (only long_term_rent and short_term_rent are rented)'))
  const engine = new Engine(Catalog.fromRecords([rental]))
  assert.throws(() => engine.recommend({ budget: 9000, budgetPeriod: 'week' }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `budgetPeriod` = "week": expected listingType long_term_rent or short_term_rent beside it (a rent period is for renters)'))
  assert.throws(() => engine.recommend({ listingType: 'rent', moveIn: '2022-02-30' }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `moveIn` = "2022-02-30": expected a real calendar date written YYYY-MM-DD (2022-02 has 28 days)'))
  assert.throws(() => engine.recommend({ listingType: 'rent', pets: 'yes' }),
    (err) => err.code === 'MIRA_INVALID_FIELD' && err.message.startsWith('preferences: field `pets` = "yes"'))
})
