import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatAvailability, formatDay, formatFurnishing, formatPrice, formatRent } from '../lib/format.ts'
import { EMPTY_FORM, fieldOfMessage, parseSearchRequest, requestBody } from '../lib/search.ts'

function parse(body) {
  const r = parseSearchRequest(body)
  assert.equal(r.ok, true, JSON.stringify(r))
  return r
}

function error(body) {
  const r = parseSearchRequest(body)
  assert.equal(r.ok, false, `expected an error for ${JSON.stringify(body)}`)
  return r.error
}

// The renter of the issue: a 2-bedroom under ₹40,000 a month, moving in on 1 July for 11 months.
const RENTER = {
  ...EMPTY_FORM,
  mode: 'rent',
  budget: '40,000',
  minBedrooms: '2',
  moveIn: '2022-07-01',
  leaseMonths: '11',
  furnishing: 'semi_furnished',
  pets: true,
}

test("the renter's form becomes the core's renting preferences (camelCase)", () => {
  const r = parse(RENTER)
  assert.equal(r.mode, 'rent')
  assert.deepEqual(r.preferences, {
    listingType: 'long_term_rent',
    budget: 40000,
    budgetPeriod: 'month',
    currency: 'INR',
    minBedrooms: 2,
    moveIn: '2022-07-01',
    leaseMonths: 11,
    furnishing: 'semi_furnished',
    pets: true,
  })
})

test('a weekly budget in dollars for a short stay', () => {
  const r = parse({ mode: 'rent', budget: '800', budgetPeriod: 'week', currency: 'USD', rentalType: 'short_term_rent', location: ' Seattle, WA ' })
  assert.deepEqual(r.preferences, {
    listingType: 'short_term_rent',
    budget: 800,
    budgetPeriod: 'week',
    currency: 'USD',
    location: 'Seattle, WA',
  })
})

test('Rent with nothing filled in asks for a long-term rental in rupees; no pets means no requirement', () => {
  assert.deepEqual(parse({ ...EMPTY_FORM, mode: 'rent' }).preferences, { listingType: 'long_term_rent', currency: 'INR' })
  assert.deepEqual(parse({ mode: 'rent', pets: false, furnishing: '' }).preferences, { listingType: 'long_term_rent', currency: 'INR' })
})

test('Buy is the default and sends no renting fields', () => {
  const r = parse({ ...EMPTY_FORM, budget: '900000' })
  assert.equal(r.mode, 'buy')
  assert.deepEqual(r.preferences, { budget: 900000 })
  assert.equal(parse({ mode: 'buy' }).mode, 'buy')
})

test("a mode's hidden fields are refused when they ask for something", () => {
  assert.deepEqual(error({ mode: 'buy', moveIn: '2022-07-01' }), {
    code: 'BAD_REQUEST',
    message: '“Move-in date” is for renting: switch to Rent to use it.',
    field: 'moveIn',
  })
  assert.deepEqual(error({ mode: 'rent', amenities: ['view'] }), {
    code: 'BAD_REQUEST',
    message: '“Amenities” is for buying: switch to Buy to use it.',
    field: 'amenities',
  })
  assert.deepEqual(error({ mode: 'rent', minSchoolRating: '7' }).field, 'minSchoolRating')
})

test('renting shape errors name the field', () => {
  assert.deepEqual(error({ mode: 'lease' }), { code: 'BAD_REQUEST', message: 'Choose Buy, Rent or Invest.', field: 'mode' })
  assert.deepEqual(error({ mode: 'rent', budgetPeriod: 'year' }), {
    code: 'BAD_REQUEST',
    message: 'Budget period must be one of: per month, per week, per night.',
    field: 'budgetPeriod',
  })
  assert.deepEqual(error({ mode: 'rent', currency: 'EUR' }), {
    code: 'BAD_REQUEST',
    message: 'Currency must be one of: INR, USD.',
    field: 'currency',
  })
  assert.deepEqual(error({ mode: 'rent', furnishing: 'half' }), {
    code: 'BAD_REQUEST',
    message: 'Furnishing must be one of: Furnished, Semi-furnished, Unfurnished.',
    field: 'furnishing',
  })
  assert.deepEqual(error({ mode: 'rent', moveIn: '1 July' }), {
    code: 'BAD_REQUEST',
    message: 'Move-in date must be a date written YYYY-MM-DD.',
    field: 'moveIn',
  })
  assert.equal(error({ mode: 'rent', leaseMonths: 'a year' }).message, 'Lease (months) must be a number.')
  assert.equal(error({ mode: 'rent', pets: 'yes' }).field, 'pets')
  assert.equal(error({ mode: 'rent', rentalType: 'sale' }).field, 'rentalType')
})

test('calendar sense is left to the engine (its message reaches the form)', () => {
  assert.equal(parse({ mode: 'rent', moveIn: '2022-13-01' }).preferences.moveIn, '2022-13-01')
  assert.equal(
    fieldOfMessage('preferences: field `moveIn` = "2022-13-01": expected a real calendar date written YYYY-MM-DD'),
    'moveIn',
  )
  assert.equal(fieldOfMessage('preferences: field `leaseMonths` = 0: expected ...'), 'leaseMonths')
  assert.equal(fieldOfMessage('preferences: field `listingType` = "x": ...'), 'rentalType')
})

test("requestBody sends the fields of the form's mode only", () => {
  assert.deepEqual(Object.keys(requestBody(RENTER)).sort(), [
    'budget', 'budgetPeriod', 'currency', 'furnishing', 'leaseMonths', 'location', 'minBedrooms', 'mode', 'moveIn', 'pets', 'rentalType',
  ])
  assert.deepEqual(Object.keys(requestBody({ ...RENTER, mode: 'buy' })).sort(), [
    'amenities', 'budget', 'location', 'maxCommuteTime', 'minBedrooms', 'minSchoolRating', 'mode', 'mustHave',
  ])
  // What the browser sends parses to the same preferences.
  assert.deepEqual(parse(requestBody(RENTER)).preferences, parse(RENTER).preferences)
})

test('formatPrice: the listing currency’s symbol', () => {
  assert.equal(formatPrice(38000, 'INR'), '₹38,000')
  assert.equal(formatPrice(150000, 'INR'), '₹150,000')
  assert.equal(formatPrice(2300, 'USD'), '$2,300')
  assert.equal(formatPrice(2300, 'usd'), '$2,300')
  assert.equal(formatPrice(1200, 'EUR'), '€1,200')
  assert.equal(formatPrice(450000), '$450,000')
})

test('formatRent: per month from the engine, else the listed price with its period', () => {
  assert.equal(formatRent({ listedPrice: 38000, currency: 'INR', rentPeriod: 'month', rentPerMonth: 38000 }), '₹38,000/month')
  assert.equal(formatRent({ listedPrice: 9000, currency: 'INR', rentPeriod: 'week', rentPerMonth: 39000 }), '₹39,000/month')
  assert.equal(formatRent({ listedPrice: 9000, currency: 'INR', rentPeriod: 'week', rentPerMonth: null }), '₹9,000/week')
  assert.equal(formatRent({ listedPrice: 210, currency: 'USD', rentPeriod: 'night' }), '$210/night')
  assert.equal(formatRent({ listedPrice: 30000, currency: 'INR', rentPeriod: null, rentPerMonth: null }), '₹30,000/month')
  assert.equal(formatRent({ listedPrice: 1500, currency: 'INR', rentPeriod: 'night', rentPerMonth: 45625.4 }), '₹45,625/month')
})

test('formatAvailability and formatDay: days as the engine writes them', () => {
  assert.equal(formatAvailability('2022-06-28', null), 'Available from 28 Jun')
  assert.equal(formatAvailability('2022-07-01', '2022-10-31'), 'Available 1 Jul – 31 Oct')
  assert.equal(formatAvailability(null, '2022-08-31'), 'Available until 31 Aug')
  assert.equal(formatAvailability(null, undefined), 'Availability unknown')
  assert.equal(formatAvailability('28/06/2022', null), 'Availability unknown')
  assert.equal(formatDay('2022-01-05'), '5 Jan')
  assert.equal(formatDay('2022-12-31'), '31 Dec')
  assert.equal(formatDay('2022-13-01'), null)
})

test('formatFurnishing', () => {
  assert.equal(formatFurnishing('semi_furnished'), 'Semi-furnished')
  assert.equal(formatFurnishing('furnished'), 'Furnished')
  assert.equal(formatFurnishing('unfurnished'), 'Unfurnished')
  assert.equal(formatFurnishing(null), null)
})
