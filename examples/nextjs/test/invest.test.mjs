import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatCashFlow, formatGrossYield, formatMonthlyCashFlow, formatPercent } from '../lib/format.ts'
import { EMPTY_FORM, MODES, fieldOfMessage, hiddenFields, parseSearchRequest, percentToFraction, requestBody } from '../lib/search.ts'

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

// An investor: up to $500,000 in Kent, at least 7.5 % gross yield, a 6.5 %
// mortgage with 25 % down over 30 years.
const INVESTOR = {
  ...EMPTY_FORM,
  mode: 'invest',
  budget: '500,000',
  location: 'Kent, WA',
  minGrossYield: '7.5',
  mortgageRate: '6.5',
  downPayment: '25',
  mortgageYears: '30',
}

test('Invest is the third mode', () => {
  assert.deepEqual(
    MODES.map((m) => [m.value, m.label]),
    [
      ['buy', 'Buy'],
      ['rent', 'Rent'],
      ['invest', 'Invest'],
    ],
  )
})

test("the investor's form becomes the core's preferences: percentages as fractions, camelCase, in dollars", () => {
  const r = parse(INVESTOR)
  assert.equal(r.mode, 'invest')
  assert.deepEqual(r.preferences, {
    budget: 500000,
    location: 'Kent, WA',
    currency: 'USD',
    minGrossYield: 0.075,
    mortgageRate: 0.065,
    downPayment: 0.25,
    mortgageYears: 30,
  })
})

test('percent → fraction gives the fraction as written', () => {
  assert.equal(percentToFraction(7.5), 0.075)
  assert.equal(percentToFraction(6.5), 0.065)
  assert.equal(percentToFraction(20), 0.2)
  assert.equal(percentToFraction(7), 0.07)
  assert.equal(percentToFraction(5.25), 0.0525)
  assert.equal(percentToFraction(0), 0)
  // A trailing % sign and spaces are fine; a number is a number.
  assert.deepEqual(parse({ mode: 'invest', minGrossYield: ' 6 % ', mortgageRate: 7 }).preferences, {
    currency: 'USD',
    minGrossYield: 0.06,
    mortgageRate: 0.07,
  })
})

test('Invest with nothing filled in asks for dollars only (no thresholds, no mortgage)', () => {
  assert.deepEqual(parse({ ...EMPTY_FORM, mode: 'invest' }).preferences, { currency: 'USD' })
})

test("the investor's shape errors name the field", () => {
  assert.deepEqual(error({ mode: 'invest', minGrossYield: 'lots' }), {
    code: 'BAD_REQUEST',
    message: 'Minimum gross yield (%) must be a number.',
    field: 'minGrossYield',
  })
  assert.deepEqual(error({ mode: 'invest', mortgageRate: '6,5%x' }), {
    code: 'BAD_REQUEST',
    message: 'Mortgage rate (%) must be a number.',
    field: 'mortgageRate',
  })
  assert.deepEqual(error({ mode: 'invest', downPayment: [20] }), {
    code: 'BAD_REQUEST',
    message: 'Down payment (%) must be a number.',
    field: 'downPayment',
  })
  assert.deepEqual(error({ mode: 'invest', mortgageYears: 'thirty' }), {
    code: 'BAD_REQUEST',
    message: 'Mortgage term (years) must be a number.',
    field: 'mortgageYears',
  })
  assert.deepEqual(error({ mode: 'hold' }), { code: 'BAD_REQUEST', message: 'Choose Buy, Rent or Invest.', field: 'mode' })
})

test("each mode refuses the other modes' fields when they ask for something", () => {
  assert.deepEqual(error({ mode: 'buy', minGrossYield: '6' }), {
    code: 'BAD_REQUEST',
    message: '“Minimum gross yield (%)” is for investing: switch to Invest to use it.',
    field: 'minGrossYield',
  })
  assert.deepEqual(error({ mode: 'rent', mortgageRate: '6.5' }), {
    code: 'BAD_REQUEST',
    message: '“Mortgage rate (%)” is for investing: switch to Invest to use it.',
    field: 'mortgageRate',
  })
  assert.deepEqual(error({ mode: 'invest', moveIn: '2022-07-01' }), {
    code: 'BAD_REQUEST',
    message: '“Move-in date” is for renting: switch to Rent to use it.',
    field: 'moveIn',
  })
  assert.deepEqual(error({ mode: 'invest', amenities: ['view'] }), {
    code: 'BAD_REQUEST',
    message: '“Amenities” is for buying: switch to Buy to use it.',
    field: 'amenities',
  })
  assert.deepEqual(error({ mode: 'invest', minBedrooms: '3' }), {
    code: 'BAD_REQUEST',
    message: '“Minimum bedrooms” is for buying or renting: switch to Buy or Rent to use it.',
    field: 'minBedrooms',
  })
  // The whole form with its blank defaults is fine in every mode.
  for (const mode of ['buy', 'rent', 'invest']) assert.equal(parseSearchRequest({ ...EMPTY_FORM, mode }).ok, true, mode)
})

test('requestBody sends the fields of the Invest form only', () => {
  assert.deepEqual(requestBody(INVESTOR), {
    mode: 'invest',
    budget: '500,000',
    location: 'Kent, WA',
    minGrossYield: '7.5',
    mortgageRate: '6.5',
    downPayment: '25',
    mortgageYears: '30',
  })
  // Buy and Rent bodies carry none of the investor's fields.
  for (const mode of ['buy', 'rent']) {
    const body = requestBody({ ...INVESTOR, mode, minGrossYield: '', mortgageRate: '', downPayment: '', mortgageYears: '' })
    for (const key of ['minGrossYield', 'mortgageRate', 'downPayment', 'mortgageYears']) assert.equal(key in body, false, `${mode}: ${key}`)
  }
  assert.deepEqual([...hiddenFields('invest')].sort(), [
    'amenities',
    'budgetPeriod',
    'currency',
    'furnishing',
    'leaseMonths',
    'maxCommuteTime',
    'minBedrooms',
    'minSchoolRating',
    'moveIn',
    'mustHave',
    'pets',
    'rentalType',
  ])
})

test("an engine message about an investor's field marks that field", () => {
  assert.equal(fieldOfMessage('preferences: field `mortgageYears` = 80: expected a whole number of years between 1 and 50'), 'mortgageYears')
  assert.equal(
    fieldOfMessage('preferences: field `downPayment` = 0.25: expected a mortgageRate beside it (the yearly rate of the mortgage, e.g. 0.065)'),
    'downPayment',
  )
  assert.equal(fieldOfMessage('preferences: field `minGrossYield` = 1.5: expected a fraction from 0 below 1 (0.06 for 6 %)'), 'minGrossYield')
})

test('formatPercent: at most one decimal, a space before the sign', () => {
  assert.equal(formatPercent(0.075), '7.5 %')
  assert.equal(formatPercent(0.07), '7 %')
  assert.equal(formatPercent(0.0463125), '4.6 %')
  assert.equal(formatPercent(0.0725), '7.3 %')
  assert.equal(formatPercent(-0.0625), '-6.3 %')
  assert.equal(formatPercent(-0.00001), '0 %')
  assert.equal(formatPercent(null), '—')
  assert.equal(formatPercent(Number.NaN), '—')
})

test('formatGrossYield: the card line', () => {
  assert.equal(formatGrossYield(0.075), 'Gross yield 7.5 %')
  assert.equal(formatGrossYield(0.096), 'Gross yield 9.6 %')
})

test('formatCashFlow: signed whole units of the currency per month', () => {
  // The worked example: $400,000, $2,500 a month, 20 % down at 6.5 % over 30 years.
  assert.equal(formatCashFlow(-478.8676751774892), 'Cash flow −$479/month')
  assert.equal(formatCashFlow(310.2, 'USD'), 'Cash flow +$310/month')
  assert.equal(formatCashFlow(1234.5), 'Cash flow +$1,235/month')
  assert.equal(formatCashFlow(-12000, 'INR'), 'Cash flow −₹12,000/month')
  assert.equal(formatMonthlyCashFlow(0.4), '$0/month')
  assert.equal(formatMonthlyCashFlow(-0.4), '$0/month')
  assert.equal(formatMonthlyCashFlow(undefined), '—')
})
