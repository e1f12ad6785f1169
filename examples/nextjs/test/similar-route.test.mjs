// Unit tests of GET /api/properties/[id]/similar (app/api/.../route.ts) and
// of lib/cards.ts's similarHomes, with the real @mira/core addon: every
// answer is checked against a direct `engine.similar` call on the app's own
// engine, the King County answer against the repository's golden file
// (fixtures/golden/expected/similar-kc-seattle.json, the answer the Rust,
// Python and Node suites check), and the errors against the engine's exact
// messages.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import assert from 'node:assert/strict'

// The golden cases count house ages from 2025; the engines read this when they load.
process.env.MIRA_CURRENT_YEAR = '2025'

const { Catalog, Engine, hashedNgrams } = await import('@mira/core')
const { GET } = await import('../app/api/properties/[id]/similar/route.ts')
const { getEngine, getInvest, getRentals } = await import('../lib/engine.ts')
const { similarHomes, toCard } = await import('../lib/cards.ts')

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const golden = (name) => JSON.parse(readFileSync(resolve(repo, 'fixtures', 'golden', 'expected', `${name}.json`), 'utf8'))

/** The route's answer to `GET path` (path starts with /api/properties/<id>/similar). */
async function get(path) {
  const url = new URL(path, 'http://localhost')
  const id = decodeURIComponent(url.pathname.split('/')[3])
  const res = await GET(new Request(url), { params: Promise.resolve({ id }) })
  assert.equal(res.headers.get('cache-control'), 'no-store')
  return { status: res.status, body: await res.json() }
}

/** What the route should answer: the engine's own `similar`, as cards (JSON round trip, as over HTTP). */
function direct(loaded, id, k, filters) {
  const recs = loaded.engine.similar(id, k, filters)
  return { recs, cards: JSON.parse(JSON.stringify(recs.map((rec) => toCard(rec, loaded.catalog.get(rec.id))))) }
}

/** The engine's error for a call, as the route should pass it on. */
function engineError(loaded, id, k, filters) {
  try {
    loaded.engine.similar(id, k, filters)
  } catch (e) {
    return { code: e.code, message: e.message }
  }
  assert.fail(`engine.similar(${id}, ${k}, ${JSON.stringify(filters)}) did not throw`)
}

test('a King County home: the golden answer, equal to engine.similar, as cards', async () => {
  const { status, body } = await get('/api/properties/7129300520/similar?k=10&maxPrice=400000')
  assert.equal(status, 200)
  assert.equal(body.id, '7129300520')
  const want = golden('similar-kc-seattle')
  assert.deepEqual(
    body.results.map((c) => [c.id, c.score, c.reasons, c.listedPrice]),
    want.map((r) => [String(r.id), r.score, r.reasons, r.listed_price]),
  )
  const { recs, cards } = direct(getEngine(), 7129300520, 10, { maxPrice: 400000 })
  assert.deepEqual(body.results, cards)
  assert.ok(recs.every((r) => Object.keys(r.components).includes('similarity')))
  assert.ok(body.results.every((c) => c.listedPrice <= 400000 && c.id !== '7129300520'))
})

test('the defaults: 3 homes, no filter; then every filter, as the engine takes them', async () => {
  const { status, body } = await get('/api/properties/7129300520/similar')
  assert.equal(status, 200)
  assert.equal(body.results.length, 3)
  assert.deepEqual(body.results, direct(getEngine(), 7129300520, 3, {}).cards)

  const filtered = await get('/api/properties/7129300520/similar?k=4&listingType=sale&propertyTypes=sfh,condo&currency=USD&maxPrice=650000')
  assert.equal(filtered.status, 200)
  const filters = { listingType: 'sale', propertyTypes: ['sfh', 'condo'], currency: 'USD', maxPrice: 650000 }
  assert.deepEqual(filtered.body.results, direct(getEngine(), 7129300520, 4, filters).cards)
  assert.equal(filtered.body.results.length, 4)
})

test('the renters’ and investors’ engines: mode (and currency) pick the catalog', async () => {
  const usd = await get('/api/properties/sea-1/similar?mode=rent&currency=USD&k=2')
  assert.equal(usd.status, 200)
  assert.deepEqual(usd.body, { id: 'sea-1', results: direct(getRentals().byCurrency.get('USD'), 'sea-1', 2, { currency: 'USD' }).cards })
  assert.deepEqual(usd.body.results.map((c) => c.id).sort(), ['sea-2', 'sea-3'])

  const inr = await get('/api/properties/mum-1/similar?mode=rent&listingType=long_term_rent&maxPrice=45000')
  assert.equal(inr.status, 200)
  const inrWant = direct(getRentals().byCurrency.get('INR'), 'mum-1', 3, { listingType: 'long_term_rent', maxPrice: 45000 }).cards
  assert.deepEqual(inr.body.results, inrWant)
  assert.ok(inr.body.results.every((c) => c.currency === 'INR' && c.listingType === 'long_term_rent'))

  const inv = await get('/api/properties/inv-01/similar?mode=invest')
  assert.equal(inv.status, 200)
  assert.deepEqual(inv.body.results, direct(getInvest(), 'inv-01', 3, {}).cards)
})

test('an unknown id is a 404 naming it; the same id in another mode’s catalog is unknown there', async () => {
  const none = { error: { code: 'NOT_FOUND', message: 'No listing with id “999” here.', field: 'id' } }
  assert.deepEqual(await get('/api/properties/999/similar'), { status: 404, body: none })
  const rent = await get('/api/properties/7129300520/similar?mode=rent&currency=USD')
  assert.deepEqual(rent, { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No listing with id “7129300520” here.', field: 'id' } } })
})

test('bad filters are 400s with the engine’s own message and the field it names', async () => {
  const kc = getEngine()
  for (const [query, id, k, filters, field] of [
    ['maxPrice=-1', 7129300520, 3, { maxPrice: -1 }, 'maxPrice'],
    ['maxPrise=1', 7129300520, 3, { maxPrise: '1' }, 'maxPrise'],
    ['listingType=castle', 7129300520, 3, { listingType: 'castle' }, 'listingType'],
    ['k=100000', 7129300520, 100000, {}, 'k'],
  ]) {
    const want = engineError(kc, id, k, filters)
    assert.match(want.code, /^MIRA_/)
    assert.ok(want.message.includes(field), `${want.message} names ${field}`)
    assert.deepEqual(await get(`/api/properties/${id}/similar?${query}`), { status: 400, body: { error: { ...want, field } } }, query)
  }
})

test('malformed parameters are refused before the engine, naming them', async () => {
  assert.deepEqual(await get('/api/properties/7129300520/similar?k=ten'), {
    status: 400,
    body: { error: { code: 'BAD_REQUEST', message: 'k (how many homes) must be a whole number.', field: 'k' } },
  })
  assert.deepEqual(await get('/api/properties/7129300520/similar?maxPrice=lots'), {
    status: 400,
    body: { error: { code: 'BAD_REQUEST', message: 'maxPrice must be a number.', field: 'maxPrice' } },
  })
  assert.deepEqual(await get('/api/properties/sea-1/similar?mode=rent&currency=EUR'), {
    status: 400,
    body: { error: { code: 'BAD_REQUEST', message: 'No rentals are priced in EUR here; choose INR, USD.', field: 'currency' } },
  })
})

/** `snake_case` → `camelCase` (the fixtures' keys → the records `Catalog.fromRecords` takes). */
const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

test('with text vectors attached (hashedNgrams + withEmbeddings), the answer is the brute-force cosine ranking', async () => {
  const rows = JSON.parse(readFileSync(resolve(repo, 'fixtures', 'listings', 'rentals.json'), 'utf8'))
  const records = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])))
  const texts = records.map((r) => `${r.title}\n${r.location ?? ''}`)
  const dim = 64
  const matrix = hashedNgrams(texts, dim)
  assert.ok(matrix instanceof Float32Array)
  assert.equal(matrix.length, records.length * dim)
  const catalog = Catalog.fromRecords(records, { currentYear: 2025 }).withEmbeddings(
    records.map((r) => r.id),
    matrix,
  )
  const stats = new Engine(catalog).stats()
  assert.equal(stats.embeddingDim, dim)
  assert.equal(stats.listingsWithEmbedding, records.length)
  assert.equal(stats.embeddingBytesPerListing, 4 * dim + 1)
  const loaded = { engine: new Engine(catalog, { currentYear: 2025 }), catalog, loadMs: 0 }

  const from = records.findIndex((r) => r.id === 'mum-2')
  const row = (i) => matrix.subarray(i * dim, (i + 1) * dim)
  const cos = (a, b) => a.reduce((s, x, j) => s + x * b[j], 0)
  const ranked = records
    .map((r, i) => ({ id: r.id, score: 100 * Math.max(0, cos(row(from), row(i))) }))
    .filter((r) => r.id !== 'mum-2')
    .sort((a, b) => b.score - a.score)

  const answer = await similarHomes(loaded, 'mum-2', 4, {})
  assert.equal(answer.status, 200)
  assert.equal(answer.body.id, 'mum-2')
  assert.deepEqual(answer.body.results, JSON.parse(JSON.stringify(direct(loaded, 'mum-2', 4, {}).cards)))
  assert.deepEqual(
    answer.body.results.map((c) => c.id),
    ranked.slice(0, 4).map((r) => r.id),
  )
  answer.body.results.forEach((c, i) => assert.ok(Math.abs(c.score - ranked[i].score) < 1e-3, `${c.id}: ${c.score} vs ${ranked[i].score}`))

  assert.deepEqual(await similarHomes(loaded, 'nope', 4, {}), {
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: 'No listing with id “nope” here.', field: 'id' } },
  })
})

test('POST /api/recommend with “More like this” ids: the catalog’s ids, the engine’s ranking with similarity', async () => {
  const { POST } = await import('../app/api/recommend/route.ts')
  const post = async (body) => {
    const res = await POST(new Request('http://localhost/api/recommend', { method: 'POST', body: JSON.stringify(body) }))
    return { status: res.status, body: await res.json() }
  }
  const { status, body } = await post({ budget: '900000', location: 'Bellevue, WA', similarTo: ['7129300520'] })
  assert.equal(status, 200)
  const kc = getEngine()
  // The card id "7129300520" is King County's integer id 7129300520.
  const recs = kc.engine.recommend({ budget: 900000, location: 'Bellevue, WA', similarTo: { ids: [7129300520] } }, 3)
  assert.deepEqual(body.results, JSON.parse(JSON.stringify(recs.map((rec) => toCard(rec, kc.catalog.get(rec.id))))))
  assert.ok(recs.every((r) => typeof r.components.similarity === 'number' && String(r.id) !== '7129300520'))
  const plain = kc.engine.recommend({ budget: 900000, location: 'Bellevue, WA' }, 3)
  assert.notDeepEqual(
    recs.map((r) => r.id),
    plain.map((r) => r.id),
    'liking a cheap Seattle home changes the Bellevue ranking',
  )

  // An id no listing has: the engine's own message, on the field.
  const unknown = await post({ similarTo: ['no-such-home'] })
  assert.equal(unknown.status, 400)
  let want
  try {
    kc.engine.recommend({ similarTo: { ids: ['no-such-home'] } }, 3)
  } catch (e) {
    want = { code: e.code, message: e.message }
  }
  assert.ok(want, 'the engine refuses an unknown liked id')
  assert.deepEqual(unknown.body.error, { ...want, field: 'similarTo' })
})
