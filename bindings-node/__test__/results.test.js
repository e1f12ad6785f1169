// Results reach JavaScript as numbers plus one text, rebuilt into objects by
// a function compiled once per environment (src/convert/results.rs). These
// tests pin that what comes out is plain data of the documented shape, the
// same at every size, in every thread, whatever callers do to built-ins.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Worker } = require('node:worker_threads')
const path = require('node:path')
const { Catalog, Engine } = require('@mira/core')
const { fixtures } = require('./helpers')

const AMENITIES = [['Pool'], ['Garden', 'Garage'], [], ['Gym', 'Pool', 'Fireplace']]
const records = Array.from({ length: 1200 }, (_, i) => ({
  id: i % 3 === 0 ? `café-${i}` : i % 3 === 1 ? i : String(2n ** 60n + BigInt(i)),
  price: 250000 + ((i * 7919) % 900) * 1000,
  bedrooms: 1 + (i % 5),
  location: i % 2 ? 'Seattle, WA' : 'Bellevue, WA',
  yearBuilt: 1950 + (i % 70),
  schoolRating: i % 4 ? (i % 11) : null,
  commuteTime: 5 + (i % 60),
  amenities: AMENITIES[i % 4],
}))
const catalog = Catalog.fromRecords(records)
const engine = new Engine(catalog, { profile: 'balanced', currentYear: 2025 })
const buyer = { budget: 600000, location: 'Seattle', minBedrooms: 3, preferredAmenities: ['pool', 'garden'] }

test('a result is plain data: keys in order, plain objects and arrays, exact ids', () => {
  const [r] = engine.recommend(buyer, 1)
  assert.deepEqual(Object.keys(r),
    ['id', 'score', 'components', 'predictedPrice', 'listedPrice', 'priceSource', 'unknown', 'reasons',
      'currency', 'rentPerMonth'])
  // No currency named by these listings: dollars; a sale has no rent.
  assert.equal(r.currency, 'USD')
  assert.equal(r.rentPerMonth, null)
  assert.equal(Object.getPrototypeOf(r), Object.prototype)
  assert.equal(Object.getPrototypeOf(r.components), Object.prototype)
  assert.ok(Array.isArray(r.reasons) && Array.isArray(r.unknown))
  assert.equal(r.priceSource, 'listed')
  assert.ok(r.reasons.every((s) => typeof s === 'string' && s.length > 0))
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r)
  const all = engine.recommend({}, 1200)
  const kinds = new Set(all.map((x) => typeof x.id))
  assert.deepEqual([...kinds].sort(), ['number', 'string'])
  // String ids (non-ASCII included) and integer ids above 2^53 - 1 come back as given.
  const given = new Set(records.map((x) => x.id))
  assert.ok(all.every((x) => given.has(x.id)))
  assert.ok(all.some((x) => x.id === 'café-3'))
  assert.ok(all.some((x) => x.id === String(2n ** 60n + 2n)))
})

test('answers of every size are the same pages, before and after a large one', () => {
  const small = engine.recommend(buyer, 3)
  const big = engine.recommend(buyer, 1000) // more numbers than the reused array holds at first
  assert.equal(big.length, 1000)
  assert.deepEqual(big.slice(0, 3), small)
  assert.deepEqual(engine.recommend(buyer, 400, 600), big.slice(600))
  assert.deepEqual(engine.recommend(buyer, 3), small)
  const batch = engine.recommendBatch([buyer, {}, { minBedrooms: 5 }], 500)
  assert.deepEqual(batch, [engine.recommend(buyer, 500), engine.recommend({}, 500), engine.recommend({ minBedrooms: 5 }, 500)])
  assert.deepEqual(engine.recommendBatch([], 3), [])
  assert.deepEqual(engine.recommend(buyer, 0), [])
})

test('replaced built-ins do not reach the results', () => {
  const expected = engine.recommend(buyer, 5)
  const { slice } = String.prototype
  const { push } = Array.prototype
  String.prototype.slice = () => 'patched' // eslint-disable-line no-extend-native
  Array.prototype.push = () => { throw new Error('patched push') } // eslint-disable-line no-extend-native
  try {
    assert.deepEqual(engine.recommend(buyer, 5), expected)
  } finally {
    String.prototype.slice = slice // eslint-disable-line no-extend-native
    Array.prototype.push = push // eslint-disable-line no-extend-native
  }
})

test('a worker thread gets the same answers (each environment has its own unpacker)', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Catalog, Engine } = require(workerData.pkg)
    const engine = new Engine(Catalog.fromRecords(workerData.records), { profile: 'balanced', currentYear: 2025 })
    parentPort.postMessage([engine.recommend(workerData.buyer, 5), engine.recommend(workerData.buyer, 900)])
  `
  const worker = new Worker(code, { eval: true, workerData: { pkg: require.resolve('@mira/core'), records, buyer } })
  const [five, many] = await new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  await worker.terminate()
  assert.deepEqual(five, engine.recommend(buyer, 5))
  assert.deepEqual(many, engine.recommend(buyer, 900))
})

test('recommendAsync resolves to the same objects', async () => {
  assert.deepEqual(await engine.recommendAsync(buyer, 7), engine.recommend(buyer, 7))
  const many = await Promise.all([1, 2, 3].map((k) => engine.recommendAsync(buyer, k * 300)))
  many.forEach((answer, i) => assert.deepEqual(answer, engine.recommend(buyer, (i + 1) * 300)))
})

test('a rental carries its currency and its rent per month', () => {
  const rentals = Catalog.fromPath(path.join(fixtures, 'listings', 'rentals.json'))
  const e = new Engine(rentals, { profile: 'balanced', currentYear: 2025 })
  const [r] = e.recommend({ listingType: 'long_term_rent', budget: 40000, currency: 'INR', location: 'Andheri East, Mumbai' }, 1)
  assert.equal(r.id, 'mum-3')
  assert.equal(r.currency, 'INR')
  assert.equal(r.rentPerMonth, 9000 * 52 / 12)
  assert.equal(r.reasons[0], 'Rent ₹39,000/month (₹9,000/week) is within your ₹40,000 budget')
})
