// Unit tests of lib/similar.ts: the "Homes like this" query → mode, k and the
// engine's filters (shapes only), the URL the browser fetches, the field an
// engine message names, and the forms of a listing id in a URL.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  SIMILAR_DEFAULT_K,
  fieldOfEngineMessage,
  idCandidates,
  parseSimilarQuery,
  similarUrl,
} from '../lib/similar.ts'

function query(text) {
  const r = parseSimilarQuery(new URLSearchParams(text))
  assert.equal(r.ok, true, JSON.stringify(r))
  return { mode: r.mode, k: r.k, filters: r.filters }
}

function error(text) {
  const r = parseSimilarQuery(new URLSearchParams(text))
  assert.equal(r.ok, false, `expected an error for ?${text}`)
  return r.error
}

test('no query: the buyers, the default k, no filter', () => {
  assert.equal(SIMILAR_DEFAULT_K, 3)
  assert.deepEqual(query(''), { mode: 'buy', k: 3, filters: {} })
  assert.deepEqual(query('k=&maxPrice=&listingType=&mode='), { mode: 'buy', k: 3, filters: {} })
})

test('the filters become the engine’s camelCase filters, typed', () => {
  assert.deepEqual(query('mode=rent&k=5&listingType=long_term_rent&maxPrice=40000&currency=inr&propertyTypes=apartment,+condo'), {
    mode: 'rent',
    k: 5,
    filters: { listingType: 'long_term_rent', maxPrice: 40000, currency: 'INR', propertyTypes: ['apartment', 'condo'] },
  })
  assert.deepEqual(query('propertyTypes=sfh&propertyTypes=condo,townhouse&mode=invest&k=0'), {
    mode: 'invest',
    k: 0,
    filters: { propertyTypes: ['sfh', 'condo', 'townhouse'] },
  })
})

test('values are the engine’s to judge: an unknown filter or listing type is passed on as given', () => {
  assert.deepEqual(query('maxPrise=1&listingType=castle'), { mode: 'buy', k: 3, filters: { maxPrise: '1', listingType: 'castle' } })
  assert.deepEqual(query('maxPrice=-5'), { mode: 'buy', k: 3, filters: { maxPrice: -5 } })
})

test('shapes are refused naming the parameter', () => {
  assert.deepEqual(error('k=three'), { code: 'BAD_REQUEST', message: 'k (how many homes) must be a whole number.', field: 'k' })
  assert.deepEqual(error('k=-1'), { code: 'BAD_REQUEST', message: 'k (how many homes) must be a whole number.', field: 'k' })
  assert.deepEqual(error('k=2.5'), { code: 'BAD_REQUEST', message: 'k (how many homes) must be a whole number.', field: 'k' })
  assert.deepEqual(error('maxPrice=cheap'), { code: 'BAD_REQUEST', message: 'maxPrice must be a number.', field: 'maxPrice' })
  assert.deepEqual(error('mode=lease'), { code: 'BAD_REQUEST', message: 'mode must be one of: buy, rent, invest.', field: 'mode' })
  assert.deepEqual(error('k=1&k=2'), { code: 'BAD_REQUEST', message: '“k” is given twice.', field: 'k' })
})

test('similarUrl: the mode and the filters given, the id escaped', () => {
  assert.equal(similarUrl('7129300520', 'buy'), '/api/properties/7129300520/similar')
  assert.equal(similarUrl('7129300520', 'buy', { k: 3 }), '/api/properties/7129300520/similar?k=3')
  assert.equal(
    similarUrl('r 1/2', 'rent', { k: 3, currency: 'INR', listingType: 'long_term_rent', maxPrice: 40000 }),
    '/api/properties/r%201%2F2/similar?mode=rent&k=3&listingType=long_term_rent&currency=INR&maxPrice=40000',
  )
  assert.equal(similarUrl('inv-12', 'invest', { currency: '', listingType: undefined }), '/api/properties/inv-12/similar?mode=invest')
  // What the route reads back from it.
  const url = new URL(similarUrl('x', 'rent', { k: 4, currency: 'USD', listingType: 'short_term_rent' }), 'http://h')
  assert.deepEqual(query(url.searchParams.toString()), {
    mode: 'rent',
    k: 4,
    filters: { listingType: 'short_term_rent', currency: 'USD' },
  })
})

test('fieldOfEngineMessage: the field the core names', () => {
  assert.equal(fieldOfEngineMessage('similar filters: field `maxPrice` = -1: expected a finite price > 0'), 'maxPrice')
  assert.equal(fieldOfEngineMessage('similar filters: unknown field `maxPrise` (did you mean `maxPrice`?)'), 'maxPrise')
  assert.equal(fieldOfEngineMessage('similar: field `k` = 5000: expected at most 1000 results per request'), 'k')
  assert.equal(fieldOfEngineMessage('embeddings row 0 (listing 1): field `embedding[1]` = NaN: expected a finite number'), 'embedding')
  assert.equal(fieldOfEngineMessage('preferences: field `similarTo.ids[0]` = "x": expected the id of a listing in the catalog'), 'similarTo')
  assert.equal(fieldOfEngineMessage('something else went wrong'), undefined)
})

test('idCandidates: a whole number is the integer id first, then the string', () => {
  assert.deepEqual(idCandidates('7129300520'), [7129300520, '7129300520'])
  assert.deepEqual(idCandidates('0'), [0, '0'])
  assert.deepEqual(idCandidates('007'), ['007'])
  assert.deepEqual(idCandidates('inv-12'), ['inv-12'])
  assert.deepEqual(idCandidates('-3'), ['-3'])
  assert.deepEqual(idCandidates('18446744073709551615'), ['18446744073709551615'])
})

test('“More like this”: card ids become similarTo.ids in every mode, sent only when marked', async () => {
  const { EMPTY_FORM, MAX_SIMILAR_TO, fieldOfMessage, parseSearchRequest, requestBody } = await import('../lib/search.ts')
  // The engine's message about a liked id marks the field.
  assert.equal(fieldOfMessage('preferences: field `similarTo.ids[0]` = "x": expected the id of a listing in the catalog'), 'similarTo')
  const prefs = (body) => {
    const r = parseSearchRequest(body)
    assert.equal(r.ok, true, JSON.stringify(r))
    return r.preferences
  }
  assert.deepEqual(prefs({ ...EMPTY_FORM, location: 'Bellevue, WA', similarTo: ['7129300520', '6414100192', '7129300520'] }), {
    location: 'Bellevue, WA',
    similarTo: { ids: ['7129300520', '6414100192'] },
  })
  assert.deepEqual(prefs({ mode: 'rent', similarTo: ['mum-1'] }), { listingType: 'long_term_rent', currency: 'INR', similarTo: { ids: ['mum-1'] } })
  assert.deepEqual(prefs({ mode: 'invest', similarTo: ['inv-01'] }), { currency: 'USD', similarTo: { ids: ['inv-01'] } })
  assert.deepEqual(prefs({ similarTo: [] }), {})

  const refused = { code: 'BAD_REQUEST', message: '“More like this” must be a list of listing ids.', field: 'similarTo' }
  for (const similarTo of ['7129300520', [7129300520], [''], ['  '], [null], ['x'.repeat(201)]]) {
    assert.deepEqual(parseSearchRequest({ similarTo }), { ok: false, error: refused }, JSON.stringify(similarTo))
  }
  assert.equal(MAX_SIMILAR_TO, 10)
  const many = Array.from({ length: 11 }, (_, i) => `h${i}`)
  assert.deepEqual(parseSearchRequest({ similarTo: many }), {
    ok: false,
    error: { code: 'BAD_REQUEST', message: 'At most 10 homes can be marked “More like this”.', field: 'similarTo' },
  })

  assert.equal('similarTo' in requestBody(EMPTY_FORM), false)
  assert.deepEqual(requestBody({ ...EMPTY_FORM, similarTo: ['7129300520'] }).similarTo, ['7129300520'])
  assert.deepEqual(requestBody({ ...EMPTY_FORM, mode: 'rent', similarTo: ['mum-1'] }).similarTo, ['mum-1'])
})
