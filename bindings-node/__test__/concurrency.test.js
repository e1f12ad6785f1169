// Many recommendAsync (and similarAsync) calls in flight at once: every answer equals the
// synchronous one.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Catalog, Engine } = require('@mira/core')
const { fixtures } = require('./helpers')

const catalog = Catalog.fromPath(path.join(fixtures, 'king_county', 'listings.csv'))
const engine = new Engine(catalog, { profile: 'balanced', currentYear: 2025 })
const places = ['Seattle, WA', 'Bellevue, WA', 'Kirkland, WA', 'Redmond, WA', 'Renton, WA']

const request = (i) => ({
  budget: 300000 + (i % 17) * 50000,
  location: places[i % places.length],
  minBedrooms: 1 + (i % 4),
  preferredAmenities: i % 3 === 0 ? ['view'] : [],
})

test('200 recommendAsync calls in flight all give the synchronous answer', async () => {
  const n = 200
  const expected = Array.from({ length: n }, (_, i) => engine.recommend(request(i), 5, i % 3))
  const results = await Promise.all(Array.from({ length: n }, (_, i) => engine.recommendAsync(request(i), 5, i % 3)))
  for (let i = 0; i < n; i++) assert.deepStrictEqual(results[i], expected[i], `request ${i}`)
})

test('good and bad requests mixed: each settles on its own', async () => {
  const settled = await Promise.allSettled(
    Array.from({ length: 100 }, (_, i) => engine.recommendAsync(i % 10 === 0 ? { budget: -i - 1 } : request(i), 3)),
  )
  settled.forEach((s, i) => {
    if (i % 10 === 0) {
      assert.equal(s.status, 'rejected')
      assert.equal(s.reason.code, 'MIRA_INVALID_FIELD')
      assert.equal(s.reason.message, `preferences: field \`budget\` = ${-i - 1}: expected a finite number of dollars > 0`)
    } else {
      assert.equal(s.status, 'fulfilled')
      assert.deepStrictEqual(s.value, engine.recommend(request(i), 3))
    }
  })
})

test('the batch equals one request at a time', () => {
  const list = Array.from({ length: 50 }, (_, i) => request(i))
  const batch = engine.recommendBatch(list, 4)
  list.forEach((p, i) => assert.deepStrictEqual(batch[i], engine.recommend(p, 4)))
})

test('100 similarAsync calls in flight (structured embedding, King County) give the synchronous answers; bad ids reject alone', async () => {
  const ids = engine.recommend({ location: 'Seattle, WA' }, 25).map((r) => r.id)
  const call = (i) => (i % 10 === 9 ? [1, 5] : [ids[i % ids.length], 5, i % 2 ? { maxPrice: 600000 } : undefined])
  const settled = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => engine.similarAsync(...call(i))))
  settled.forEach((s, i) => {
    if (i % 10 === 9) {
      assert.equal(s.status, 'rejected')
      assert.equal(s.reason.message, 'similar: field `id` = 1: expected the id of a listing in the catalog')
    } else {
      assert.equal(s.status, 'fulfilled')
      assert.deepStrictEqual(s.value, engine.similar(...call(i)), `call ${i}`)
    }
  })
  assert.deepStrictEqual(engine.similarBatch(ids, 5), ids.map((id) => engine.similar(id, 5)))
})
