import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatFacts, formatPrice, formatScore } from '../lib/format.ts'

test('formatPrice: whole US dollars with thousands separators', () => {
  assert.equal(formatPrice(450000), '$450,000')
  assert.equal(formatPrice(822170.1879241404), '$822,170')
  assert.equal(formatPrice(2505977.512794076), '$2,505,978')
  assert.equal(formatPrice(999.5), '$1,000')
  assert.equal(formatPrice(0), '$0')
  assert.equal(formatPrice(-0.2), '$0', 'a tiny negative rounds to $0, not -$0')
})

test('formatPrice: no cents, ever', () => {
  for (const v of [1.01, 12345.678, 99999.99]) assert.doesNotMatch(formatPrice(v), /\./)
})

test('formatPrice: a dash for missing or non-finite values', () => {
  for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatPrice(v), '—')
})

test('formatScore: a whole number within 0–100', () => {
  assert.equal(formatScore(97.94303641284668), '98')
  assert.equal(formatScore(0), '0')
  assert.equal(formatScore(100), '100')
  assert.equal(formatScore(100.4), '100')
  assert.equal(formatScore(Number.NaN), '—')
})

test('formatFacts: leaves out what is unknown', () => {
  assert.equal(formatFacts({ bedrooms: 3, bathrooms: 2.5, sizeSqft: 2770 }), '3 bd · 2.5 ba · 2,770 sq ft')
  assert.equal(formatFacts({ bedrooms: 4, bathrooms: null, sizeSqft: null }), '4 bd')
  assert.equal(formatFacts({}), '')
})
