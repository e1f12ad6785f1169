// Catalogs from JavaScript records and from files: ids as given, camelCase
// listings back, immutable versions, snapshots.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Catalog, Engine } = require('@mira/core')
const { fixtures, mira } = require('./helpers')

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-node-catalog-'))
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }))

const records = [
  {
    id: 1, title: 'Family home', price: 450000, location: 'Seattle, WA', latitude: 47.6, longitude: -122.3,
    bedrooms: 3, bathrooms: 2.5, sizeSqft: 1800, lotSqft: 5000, yearBuilt: 1995, propertyType: 'sfh',
    listingType: 'sale', amenities: ['Swimming Pool', 'Garage'], schoolRating: 8, commuteTime: 25,
    imageUrls: ['https://example.test/1.jpg'], attributes: { zip_code: '98101', hoa: { monthly: 120 } },
  },
  { id: 'kc-2', price: 380000, bedrooms: 2, imageUrl: 'https://example.test/2.jpg' },
  { id: 3, price: 520000, bedrooms: null, location: undefined },
]

test('fromRecords keeps ids as given and returns listings with camelCase keys', () => {
  const c = Catalog.fromRecords(records)
  assert.equal(c.length, 3)
  assert.equal(c.version, 1)
  const first = c.get(1)
  // Keys come back in camelCase; attributes are returned exactly as stored.
  assert.deepStrictEqual(first, { ...records[0] })
  assert.deepStrictEqual(c.get('kc-2'), { id: 'kc-2', price: 380000, bedrooms: 2, imageUrls: ['https://example.test/2.jpg'] })
  assert.deepStrictEqual(c.get(3), { id: 3, price: 520000 })
  assert.equal(c.get(2), null)
  assert.equal(c.get('1'), null, 'the string "1" is not the integer id 1')
})

test('integer ids above 2^53 - 1 travel as decimal strings, both ways', () => {
  const big = '18446744073709551615'
  const c = Catalog.fromRecords([{ id: big, price: 1 }, { id: Number.MAX_SAFE_INTEGER, price: 2 }])
  assert.equal(c.get(big).id, big)
  assert.equal(c.get(Number.MAX_SAFE_INTEGER).id, Number.MAX_SAFE_INTEGER)
  const [top] = new Engine(c, { currentYear: 2025 }).recommend({}, 1)
  assert.equal(typeof top.id, 'string')
  // The snapshot stores the integer: the same id loads back.
  const file = path.join(tmp, 'big.mirasnap')
  c.save(file)
  assert.ok(fs.readFileSync(file, 'utf8').includes(`{"id":${big},`))
  assert.equal(Catalog.load(file).get(big).price, 1)
})

test('upsert and remove return new versions and leave the old catalog alone', () => {
  const v1 = Catalog.fromRecords(records)
  const v2 = v1.upsert([{ id: 1, price: 430000 }, { id: 4, price: 610000 }])
  assert.equal(v2.version, 2)
  assert.equal(v2.length, 4)
  assert.equal(v2.get(1).price, 430000)
  assert.equal(v1.get(1).price, 450000)
  const v3 = v2.remove([1, 'kc-2'])
  assert.equal(v3.version, 3)
  assert.deepStrictEqual([v3.length, v3.get(1), v2.length], [2, null, 4])
  // One id, as in Python's `catalog.remove("kc-2")`.
  assert.deepStrictEqual(v2.remove('kc-2').get('kc-2'), null)
  assert.equal(v2.remove(4).length, 3)
  assert.throws(() => v2.remove({ id: 4 }), mira('MIRA_TYPE',
    'catalog.remove(): argument `ids` is an object: expected an id or an array of ids'))
})

test('save and load round-trip a snapshot (version included)', () => {
  const v2 = Catalog.fromRecords(records).upsert([{ id: 9, price: 1 }])
  const file = path.join(tmp, 'listings.mirasnap')
  v2.save(file)
  const back = Catalog.load(file)
  assert.equal(back.version, 2)
  assert.equal(back.length, 4)
  for (const id of [1, 'kc-2', 3, 9]) assert.deepStrictEqual(back.get(id), v2.get(id))
})

test('fromPath reads every supported kind of file', () => {
  assert.equal(Catalog.fromPath(path.join(fixtures, 'case-study')).length > 0, true)
  const json = Catalog.fromPath(path.join(fixtures, 'listings', 'sample.json'))
  const jsonl = path.join(tmp, 'sample.jsonl')
  const rows = JSON.parse(fs.readFileSync(path.join(fixtures, 'listings', 'sample.json'), 'utf8'))
  fs.writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const fromLines = Catalog.fromPath(jsonl)
  assert.equal(fromLines.length, json.length)
  assert.deepStrictEqual(fromLines.get(rows[0].id), json.get(rows[0].id))

  const kc = Catalog.fromPath(path.join(fixtures, 'king_county', 'listings.csv'), { currentYear: 2025 })
  assert.ok(kc.length > 20000)
})

test('a CSV column mapping: preset name or object in `mapping`, a file in `mappingFile`', () => {
  const csv = path.join(tmp, 'sales.csv')
  fs.writeFileSync(csv, 'id,price,sqft_living,yr_built,waterfront\n7,500000,1500,1990,1\n7,510000,1500,1990,0\n')
  const mapping = { columns: { sqft_living: 'size_sqft', yr_built: 'year_built', waterfront: 'amenity:waterfront' }, onDuplicate: 'keep_last' }
  const c = Catalog.fromPath(csv, { mapping })
  assert.deepStrictEqual(c.get(7), { id: 7, price: 510000, sizeSqft: 1500, yearBuilt: 1990, amenities: [] })
  const file = path.join(tmp, 'mapping.json')
  fs.writeFileSync(file, JSON.stringify({ columns: mapping.columns }))
  const last = Catalog.fromPath(csv, { mappingFile: file, onDuplicate: 'keep_last' })
  assert.deepStrictEqual(last.get(7), c.get(7))
  assert.throws(() => Catalog.fromPath(csv, { mappingFile: file }), (err) => err.code === 'MIRA_DUPLICATE_ID')
  assert.equal(Catalog.fromPath(csv, { mapping: 'king-county', onDuplicate: 'keep_last' }).get(7).sizeSqft, 1500)
  // `mapping` is never a path, even of a file that exists: a name that is
  // not a preset is refused, and one that looks like a file is pointed at `mappingFile`.
  assert.throws(() => Catalog.fromPath(csv, { mapping: file }), mira('MIRA_UNSUPPORTED',
    `unsupported CSV mapping preset: ${file} (known presets: king-county, india-rent; a mapping file goes in \`mappingFile\`)`))
  assert.throws(() => Catalog.fromPath(csv, { mapping: 'sales' }),
    mira('MIRA_UNSUPPORTED', 'unsupported CSV mapping preset: sales (known presets: king-county, india-rent)'))
  assert.throws(() => Catalog.fromPath(csv, { mapping: 'king-county', mappingFile: file }), mira('MIRA_INVALID_FIELD',
    `Catalog.fromPath options: field \`mappingFile\` = ${JSON.stringify(file)}: expected no \`mapping\` beside it ` +
    '(give a preset name or mapping object in `mapping`, or a file in `mappingFile`, not both)'))
  assert.throws(() => Catalog.fromPath(csv, { mapping: 3 }), mira('MIRA_TYPE',
    'Catalog.fromPath options: field `mapping` is a number (3): expected a preset name ("king-county") or a mapping object'))
  assert.throws(() => Catalog.fromPath(csv, { mappingFile: path.join(tmp, 'none.json') }), (err) => err.code === 'MIRA_IO')
  // A mapping object's keys are camelCase like every object's; targets are the core's field names.
  assert.throws(() => Catalog.fromPath(csv, { mapping: { columns: {}, on_duplicate: 'keep_last' } }), mira('MIRA_UNKNOWN_FIELD',
    'Catalog.fromPath options: unknown field `on_duplicate` (did you mean `onDuplicate`?)'))
  assert.throws(() => Catalog.fromPath(csv, { mapping: { columns: { sqft_living: 'sizeSqft' } } }), mira('MIRA_UNKNOWN_FIELD',
    'CSV mapping, column `sqft_living`: unknown field `sizeSqft` (did you mean `size_sqft`?)'))
})

test('engine: get, stats, withCatalog', () => {
  const c = Catalog.fromRecords(records)
  const engine = new Engine(c, { profile: 'case-study', currentYear: 2025 })
  assert.deepStrictEqual(engine.get(1), c.get(1))
  assert.equal(engine.catalog.version, 1)
  engine.recommend({ budget: 500000 }, 2)
  engine.recommendBatch([{}, { minBedrooms: 2 }], 1)
  assert.deepStrictEqual(engine.stats(), {
    catalogVersion: 1, listings: 3, profile: 'case-study', priceSource: 'listed', currentYear: 2025, queries: 3, batches: 1, results: 4, unknownFields: [], rentEstimates: 0, rentModelEstimates: 0,
    embeddingDim: 0, listingsWithEmbedding: 0, embeddingBytesPerListing: 0,
  })
  const next = engine.withCatalog(c.upsert([{ id: 4, price: 100000 }]))
  assert.equal(next.stats().listings, 4)
  assert.equal(engine.stats().listings, 3)
  assert.equal(engine.modelInfo(), null)
})

test('strings of every length around the short-string buffer come back whole', () => {
  // Strings are read into a 128-byte buffer first; a multi-byte character
  // that does not fit must not cut the string short.
  const made = []
  for (let n = 110; n < 140; n++) {
    for (const tail of ['', 'é', '€', '😀']) {
      made.push({ id: made.length + 1, price: 100000, title: 'x'.repeat(n) + tail, location: tail + 'y'.repeat(n) })
    }
  }
  const c = Catalog.fromRecords(made)
  for (const r of made) {
    const back = c.get(r.id)
    assert.equal(back.title, r.title)
    assert.equal(back.location, r.location)
  }
})
