import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AMENITIES, EMPTY_FORM, fieldOfMessage, parseNumber, parseSearchRequest } from '../lib/search.ts'

function prefs(body) {
  const r = parseSearchRequest(body)
  assert.equal(r.ok, true, JSON.stringify(r))
  return r.preferences
}

function error(body) {
  const r = parseSearchRequest(body)
  assert.equal(r.ok, false, `expected an error for ${JSON.stringify(body)}`)
  assert.equal(r.error.code, 'BAD_REQUEST')
  return r.error
}

test('the filled-in form becomes camelCase engine preferences', () => {
  assert.deepEqual(
    prefs({ ...EMPTY_FORM, budget: '900000', location: ' Bellevue, WA ', minBedrooms: '3', amenities: ['view'] }),
    { budget: 900000, location: 'Bellevue, WA', minBedrooms: 3, preferredAmenities: ['view'] },
  )
  assert.deepEqual(prefs({ maxCommuteTime: 30, minSchoolRating: '7.5' }), { maxCommuteTime: 30, minSchoolRating: 7.5 })
})

test('an empty form asks for nothing in particular', () => {
  assert.deepEqual(prefs(EMPTY_FORM), {})
  assert.deepEqual(prefs({}), {})
  assert.deepEqual(prefs({ budget: null, location: null, amenities: [] }), {})
})

test('must-have turns the checked amenities into a hard filter as well', () => {
  assert.deepEqual(prefs({ amenities: ['pool', 'view', 'pool'], mustHave: true }), {
    preferredAmenities: ['pool', 'view'],
    mustHaveAmenities: ['pool', 'view'],
  })
  assert.deepEqual(prefs({ amenities: [], mustHave: true }), {})
})

test('budgets may be typed with a dollar sign and commas', () => {
  assert.deepEqual(prefs({ budget: '$650,000' }), { budget: 650000 })
})

test('ranges are left to the engine (its message reaches the form)', () => {
  assert.deepEqual(prefs({ minSchoolRating: '11', budget: '-5', minBedrooms: '2.5' }), {
    minSchoolRating: 11,
    budget: -5,
    minBedrooms: 2.5,
  })
})

test('shape errors name the field by its label', () => {
  assert.deepEqual(error({ budget: 'lots' }), { code: 'BAD_REQUEST', message: 'Budget must be a number.', field: 'budget' })
  assert.equal(error({ minBedrooms: true }).field, 'minBedrooms')
  assert.equal(error({ maxCommuteTime: '1e999' }).message, 'Maximum commute (minutes) must be a number.')
  assert.equal(error({ location: 42 }).field, 'location')
  assert.equal(error({ location: 'x'.repeat(201) }).field, 'location')
  assert.equal(error({ amenities: ['jacuzzi'] }).field, 'amenities')
  assert.equal(error({ amenities: 'view' }).field, 'amenities')
  assert.equal(error({ mustHave: 'yes' }).field, 'mustHave')
})

test('a body that is not an object of known fields is refused', () => {
  for (const body of [null, 'budget=1', [1, 2], 7]) error(body)
  assert.match(error({ min_bedrooms: '3' }).message, /Unknown search field "min_bedrooms"/)
})

test('parseNumber', () => {
  assert.deepEqual(parseNumber(''), { ok: true, value: undefined })
  assert.deepEqual(parseNumber('  '), { ok: true, value: undefined })
  assert.deepEqual(parseNumber(undefined), { ok: true, value: undefined })
  assert.deepEqual(parseNumber('0'), { ok: true, value: 0 })
  assert.deepEqual(parseNumber('.5'), { ok: true, value: 0.5 })
  assert.deepEqual(parseNumber('1e3'), { ok: true, value: 1000 })
  for (const bad of ['abc', '1 2', '0x10', 'Infinity', Number.NaN, Number.POSITIVE_INFINITY, {}, [3]]) {
    assert.equal(parseNumber(bad).ok, false, String(bad))
  }
})

test('the checkboxes offer the amenities the brief names', () => {
  assert.deepEqual(AMENITIES.map((a) => a.label), ['View', 'Waterfront', 'Pool', 'Garage', 'Garden'])
})

test('fieldOfMessage finds the form field in an engine message', () => {
  assert.equal(fieldOfMessage('preferences: field `minSchoolRating` = 11: expected a number between 0 and 10'), 'minSchoolRating')
  assert.equal(fieldOfMessage('preferences: field `budget` = -1: expected a finite number of dollars > 0'), 'budget')
  assert.equal(fieldOfMessage('preferences: field `mustHaveAmenities`: ...'), 'amenities')
  assert.equal(fieldOfMessage('preferences: field `weights`: ...'), undefined)
  assert.equal(fieldOfMessage('something else'), undefined)
})
