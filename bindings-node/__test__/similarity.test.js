// Vector similarity (issue 18): hashedNgrams, catalog.withEmbeddings,
// engine.similar / similarAsync, preferences' similarTo, the embedding
// figures of stats, and listings exported with their vectors.
//
// Scores are checked exactly against a brute-force cosine written here in
// JavaScript with the core's documented arithmetic (agent_mira::embedding:
// vectors normalised in f64 and stored as f32; the dot product of two f32
// vectors summed in f64 over 8 lanes, lane i % 8, then
// ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)); score =
// 100 × max(0, cos) through the linear curve). Every step is exact IEEE
// arithmetic that JavaScript's numbers and Math.fround reproduce, so the
// comparison is equality, not a tolerance.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Catalog, Engine, hashedNgrams } = require('@mira/core')
const { fixtures, mira } = require('./helpers')

// ---- the reference arithmetic ------------------------------------------

/** The core's `normalize`: unit length in f64, stored as f32; kept as given within 2^-23 of 1. */
function normalize(v) {
  const f = Array.from(v, Math.fround)
  let sq = 0
  for (const x of f) sq += x * x
  const n = Math.sqrt(sq)
  if (n === 0 || Math.abs(n - 1) <= 2 ** -23) return f
  return f.map((x) => Math.fround(x / n))
}

/** The core's `unit` (for a mean of vectors): no tolerance. */
function unit(v) {
  let sq = 0
  for (const x of v) sq += x * x
  const n = Math.sqrt(sq)
  return v.map((x) => Math.fround(x / n))
}

/** The core's `dot`: f64 products into lane i % 8, lanes summed in a fixed tree. */
function dot(a, b) {
  assert.equal(a.length, b.length)
  const s = new Array(8).fill(0)
  for (let i = 0; i < a.length; i++) s[i % 8] += a[i] * b[i]
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

/** The similarity score of a cosine: the balanced profile's linear curve (offset 0, scale 1). */
function score(cos) {
  const d = Math.max(0, 1 - cos)
  return 100 * (d === 0 ? 1 : Math.max(0, (1 - d) / 1))
}

/** Brute force: every other listing with a vector, by score (best first), ties by id. */
function bruteForce(vectors, id, k) {
  const q = vectors.get(id)
  return [...vectors]
    .filter(([other]) => other !== id)
    .map(([other, v]) => ({ id: other, score: score(dot(v, q)) }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k)
}

// ---- a small catalog with awkward vectors ------------------------------

/** A deterministic pseudo-random stream (an LCG), numbers in [-1, 1). */
function stream(seed) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}

// 11 numbers: one full lane block and a tail of 3. Listing 9 has no vector;
// listings 4 and 7 have the same direction at different lengths (7 is 4
// doubled, exact in f32: the same stored vector, a tie of scores, broken by id).
const DIM = 11
const next = stream(18)
const RAW = new Map()
for (let id = 1; id <= 8; id++) RAW.set(id, Array.from({ length: DIM }, () => next() * (id === 3 ? 1e4 : 1)))
RAW.set(7, RAW.get(4).map((x) => 2 * x))

function records() {
  const out = []
  for (let id = 1; id <= 9; id++) {
    out.push({
      id,
      price: 100000 + 10000 * id,
      bedrooms: 1 + (id % 4),
      location: id % 2 ? 'Seattle, WA' : 'Kent, WA',
      propertyType: id % 3 ? 'sfh' : 'condo',
      listingType: 'sale',
    })
  }
  return out
}

const plain = Catalog.fromRecords(records(), { currentYear: 2025 })
const given = Catalog.fromRecords(
  records().map((r) => (RAW.has(r.id) ? { ...r, embedding: RAW.get(r.id) } : r)),
  { currentYear: 2025 },
)
const ids = [...RAW.keys()]
const flat = new Float32Array(ids.flatMap((id) => RAW.get(id)))
const attached = plain.withEmbeddings(ids, flat)
const STORED = new Map(ids.map((id) => [id, normalize(RAW.get(id))]))

// ---- hashedNgrams --------------------------------------------------------

test('hashedNgrams follows the documented recipe (the core test\'s values)', () => {
  const bungalow = new Float32Array([
    0.0, 0.5144957304000854, -0.17149858176708221, -0.17149858176708221,
    -0.34299716353416443, -0.17149858176708221, -0.5144957304000854, 0.5144957304000854,
  ])
  assert.deepStrictEqual(hashedNgrams('Craftsman bungalow', 8), bungalow)
  assert.deepStrictEqual(hashedNgrams('  craftsman\tBUNGALOW\n', 8), bungalow)
  const strasse = new Float32Array([0.8164966106414795, -0.40824830532073975, -0.40824830532073975, 0, 0, 0])
  assert.deepStrictEqual(hashedNgrams('Ünïcode Straße', 6), strasse)
  assert.deepStrictEqual(hashedNgrams('', 4), new Float32Array(4))
})

test('hashedNgrams of many texts is one flat Float32Array, row i for text i', () => {
  const many = hashedNgrams(['Craftsman bungalow', 'Ünïcode Straße', ''], 6)
  assert.ok(many instanceof Float32Array)
  assert.equal(many.length, 18)
  assert.deepStrictEqual(many.subarray(0, 6), hashedNgrams('Craftsman bungalow', 6))
  assert.deepStrictEqual(many.subarray(6, 12), hashedNgrams('Ünïcode Straße', 6))
  assert.deepStrictEqual(many.subarray(12), new Float32Array(6))
  assert.deepStrictEqual(hashedNgrams([], 6), new Float32Array(0))
})

const embeddedJson = JSON.parse(fs.readFileSync(path.join(fixtures, 'listings', 'embedded.json'), 'utf8'))

test('hashedNgrams gives the vectors of fixtures/listings/embedded.json (title + " " + description, 32)', () => {
  for (const l of embeddedJson) {
    const v = hashedNgrams(`${l.title} ${l.attributes.description}`, 32)
    assert.deepStrictEqual(v, new Float32Array(l.embedding), `listing ${l.id}`)
  }
})

test('hashedNgrams refuses what it cannot embed, naming the argument', () => {
  assert.throws(() => hashedNgrams('a house', 0), mira('MIRA_INVALID_FIELD', 'hashedNgrams(): field `dim` = 0: expected a whole number from 1 to 4096'))
  assert.throws(() => hashedNgrams('a house', 4097), mira('MIRA_INVALID_FIELD', 'hashedNgrams(): field `dim` = 4097: expected a whole number from 1 to 4096'))
  assert.throws(() => hashedNgrams('a house', 2.5), mira('MIRA_INVALID_FIELD', 'hashedNgrams(): field `dim` = 2.5: expected a whole number from 1 to 4096'))
  assert.throws(() => hashedNgrams('a house'), mira('MIRA_TYPE', 'hashedNgrams(): argument `dim` is undefined: expected a whole number from 1 to 4096'))
  assert.throws(() => hashedNgrams('a house', '8'), mira('MIRA_TYPE', 'hashedNgrams(): argument `dim` is a string ("8"): expected a whole number from 1 to 4096'))
  assert.throws(() => hashedNgrams(['a', 7], 8), mira('MIRA_TYPE', 'hashedNgrams(): `texts[1]` is a number (7): expected a string'))
  assert.throws(() => hashedNgrams({ text: 'a' }, 8), mira('MIRA_TYPE', 'hashedNgrams(): argument `textOrTexts` is an object: expected a string or an array of strings'))
})

// ---- withEmbeddings ------------------------------------------------------

test('withEmbeddings builds the catalog listings carrying `embedding` build, as a new version', () => {
  assert.equal(attached.version, plain.version + 1)
  assert.equal(plain.get(1).embedding, undefined, 'the old catalog is unchanged')
  for (const id of ids) {
    assert.deepStrictEqual(attached.get(id), given.get(id), `listing ${id}`)
    assert.deepStrictEqual(attached.get(id).embedding, STORED.get(id), `listing ${id}: the stored unit vector`)
  }
  assert.equal(attached.get(9).embedding, undefined)
  const served = new Engine(attached)
  for (const id of ids) assert.deepStrictEqual(served.get(id).embedding, STORED.get(id), `engine.get(${id})`)
  for (const id of ids) {
    const e = new Engine(attached, { currentYear: 2025 })
    assert.deepStrictEqual(e.similar(id, 20), new Engine(given, { currentYear: 2025 }).similar(id, 20), `similar to ${id}`)
  }
})

test('a listing\'s embedding may be a Float32Array', () => {
  const typed = Catalog.fromRecords(
    records().map((r) => (RAW.has(r.id) ? { ...r, embedding: new Float32Array(RAW.get(r.id)) } : r)),
    { currentYear: 2025 },
  )
  for (const id of ids) assert.deepStrictEqual(typed.get(id), given.get(id), `listing ${id}`)
  assert.deepStrictEqual(plain.upsert([{ id: 1, price: 1, embedding: new Float32Array([3, 4, ...new Array(DIM - 2).fill(0)]) }]).get(1).embedding.slice(0, 3), [Math.fround(0.6), Math.fround(0.8), 0])
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: 1, embedding: new Float32Array([1, Infinity]) }]),
    mira('MIRA_INVALID_FIELD', 'record #0: field `embedding[1]` = Infinity: expected a finite number'))
})

test('a snapshot keeps the vectors: save, load, the same answers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-vectors-'))
  try {
    const file = path.join(dir, 'catalog.mira')
    attached.save(file)
    const loaded = Catalog.load(file)
    for (const id of ids) assert.deepStrictEqual(loaded.get(id), attached.get(id), `listing ${id}`)
    assert.deepStrictEqual(new Engine(loaded, { currentYear: 2025 }).similar(1, 20), new Engine(attached, { currentYear: 2025 }).similar(1, 20))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('withEmbeddings takes rows too: Float32Arrays or arrays of numbers, mixed', () => {
  const rows = ids.map((id, i) => (i % 2 ? new Float32Array(RAW.get(id)) : RAW.get(id)))
  const byRows = plain.withEmbeddings(ids, rows)
  for (const id of ids) assert.deepStrictEqual(byRows.get(id), attached.get(id), `listing ${id}`)
})

test('withEmbeddings reads string ids and replaces only the vectors it names', () => {
  const c = Catalog.fromRecords([{ id: 'a', price: 1 }, { id: 'b', price: 2, embedding: [0, 2] }])
  const next = c.withEmbeddings(['a'], new Float32Array([3, 4]))
  assert.deepStrictEqual(next.get('a').embedding, [Math.fround(0.6), Math.fround(0.8)])
  assert.deepStrictEqual(next.get('b').embedding, [0, 1])
  const none = next.withEmbeddings([], new Float32Array(0))
  assert.equal(none.version, next.version + 1)
  assert.deepStrictEqual(none.get('a'), next.get('a'))
  const empty = Catalog.fromRecords([{ id: 1, price: 1 }]).withEmbeddings([], [])
  assert.equal(new Engine(empty).stats().embeddingDim, 0)
})

test('withEmbeddings refuses bad input with exact messages', () => {
  const c = Catalog.fromRecords([{ id: 1, price: 1 }, { id: 2, price: 2 }])
  const call = 'catalog.withEmbeddings()'
  assert.throws(() => c.withEmbeddings([1, 2], new Float32Array(5)), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors\` = a Float32Array of 5 numbers: expected ids.length × dim numbers, one row of dim numbers per id, dim from 1 to 4096 (2 ids: a multiple of 2 up to 8192)`))
  assert.throws(() => c.withEmbeddings([1, 2], new Float32Array(0)), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors\` = a Float32Array of 0 numbers: expected ids.length × dim numbers, one row of dim numbers per id, dim from 1 to 4096 (2 ids: a multiple of 2 up to 8192)`))
  assert.throws(() => c.withEmbeddings([1, 2], new Float32Array(8194)), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors\` = a Float32Array of 8194 numbers: expected ids.length × dim numbers, one row of dim numbers per id, dim from 1 to 4096 (2 ids: a multiple of 2 up to 8192)`))
  assert.throws(() => c.withEmbeddings([1, 2], [[], []]), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors[0]\` = 0 numbers: expected from 1 to 4096 numbers`))
  assert.throws(() => c.withEmbeddings([1], [new Float32Array(4097)]), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors[0]\` = 4097 numbers: expected from 1 to 4096 numbers`))
  assert.throws(() => c.withEmbeddings([], new Float32Array(2)), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors\` = a Float32Array of 2 numbers: expected no numbers: \`ids\` is empty`))
  assert.throws(() => c.withEmbeddings([1, 2], [[1, 2]]), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors\` = 1 rows: expected one row per id (2 ids)`))
  assert.throws(() => c.withEmbeddings([1, 2], [[1, 2], [1, 2, 3]]), mira('MIRA_INVALID_FIELD', `${call}: field \`vectors[1]\` = 3 numbers: expected 2 numbers, like vectors[0]`))
  assert.throws(() => c.withEmbeddings([1, 2], [[1, 2], [1, '2']]), mira('MIRA_TYPE', `${call}: \`vectors[1][1]\` is a string ("2"): expected a number`))
  assert.throws(() => c.withEmbeddings([1, 2], [[1, 2], 'x']), mira('MIRA_TYPE', `${call}: \`vectors[1]\` is a string ("x"): expected a row of numbers (a Float32Array or an array of numbers)`))
  assert.throws(() => c.withEmbeddings([1, 2], new Float64Array(4)), mira('MIRA_TYPE', `${call}: argument \`vectors\` is an object: expected a Float32Array of ids.length × dim numbers (row-major), or an array of rows`))
  assert.throws(() => c.withEmbeddings(1, new Float32Array(2)), mira('MIRA_TYPE', `${call}: argument \`ids\` is a number (1): expected an array of ids (numbers or strings)`))
  assert.throws(() => c.withEmbeddings([1, true], new Float32Array(2)), mira('MIRA_TYPE', `${call}: \`ids[1]\`: \`id\` is a boolean (true): expected an id (a non-negative integer or a string)`))
  // The core's own checks: row, listing and index named.
  assert.throws(() => c.withEmbeddings([1, 2], new Float32Array([1, 0, 1, NaN])), mira('MIRA_INVALID_FIELD', 'embeddings row 1 (listing 2): field `embedding[1]` = NaN: expected a finite number'))
  assert.throws(() => c.withEmbeddings([1, 2], [[1, 0], [0, 1e300]]), mira('MIRA_INVALID_FIELD', 'embeddings row 1 (listing 2): field `embedding[1]` = inf: expected a finite number'))
  assert.throws(() => c.withEmbeddings([2], [[0, 0]]), mira('MIRA_INVALID_FIELD', 'embeddings row 0 (listing 2): field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)'))
  assert.throws(() => c.withEmbeddings([3], [[1, 0]]), mira('MIRA_NOT_FOUND', 'no listing with id 3'))
  assert.throws(() => c.withEmbeddings([1, 1], [[1, 0], [0, 1]]), mira('MIRA_DUPLICATE_ID', 'embeddings row 1: duplicate id 1 (first seen at embeddings row 0)'))
  const two = c.withEmbeddings([1, 2], [[1, 0], [0, 1]])
  assert.throws(() => two.withEmbeddings([1], [[1, 0, 0]]), mira('MIRA_INVALID_FIELD', 'embeddings row 0 (listing 1): field `embedding` = 3 numbers: expected 2 numbers, the catalog\'s dimension (set by listing 1)'))
  assert.equal(two.withEmbeddings([1, 2], [[1, 0, 0], [0, 1, 0]]).get(2).embedding.length, 3, 'a new dimension when every vector is replaced')
})

// ---- similar -------------------------------------------------------------

const engine = new Engine(attached, { currentYear: 2025 })

test('similar scores exactly as a brute-force cosine over the catalog, ties by id', () => {
  for (const id of ids) {
    const got = engine.similar(id, 20)
    const want = bruteForce(STORED, id, 20)
    assert.deepStrictEqual(got.map((r) => ({ id: r.id, score: r.score })), want, `similar to ${id}`)
    for (const r of got) assert.deepStrictEqual(r.components, { similarity: r.score })
  }
  // 4 and 7 point the same way: each is the other's best match, at 100.
  assert.deepStrictEqual(engine.similar(4, 1).map((r) => [r.id, r.score]), [[7, 100]])
  const to1 = engine.similar(1, 20).map((r) => r.id)
  assert.ok(to1.indexOf(4) < to1.indexOf(7), 'the tie between 4 and 7 goes by id')
})

test('similar: k defaults to 10, filters narrow, and the async call answers the same', async () => {
  assert.equal(engine.similar(1).length, 7, 'every other listing with a vector (8 − 1)')
  const condos = engine.similar(1, 10, { propertyTypes: ['condo'] })
  assert.deepStrictEqual(condos.map((r) => r.id), bruteForce(STORED, 1, 20).map((r) => r.id).filter((id) => id % 3 === 0))
  const cheap = engine.similar(1, 10, { maxPrice: 150000, listingType: 'sale', currency: 'USD' })
  assert.deepStrictEqual(cheap.map((r) => r.id).sort(), [2, 3, 4, 5])
  assert.deepStrictEqual(engine.similar(1, 0), [])
  assert.deepStrictEqual(await engine.similarAsync(2, 4, { propertyTypes: ['sfh'] }), engine.similar(2, 4, { propertyTypes: ['sfh'] }))
  assert.deepStrictEqual(await engine.similarAsync(2), engine.similar(2))
})

test('similarBatch: one answer per id, in order, each what similar gives', () => {
  const filters = { propertyTypes: ['sfh'] }
  assert.deepStrictEqual(engine.similarBatch([3, 1, 3], 4, filters), [3, 1, 3].map((id) => engine.similar(id, 4, filters)))
  assert.deepStrictEqual(engine.similarBatch(ids), ids.map((id) => engine.similar(id)))
  assert.deepStrictEqual(engine.similarBatch([]), [])
  assert.throws(() => engine.similarBatch([1, 99, 9]), mira('MIRA_INVALID_FIELD', 'similar: field `id` = 99: expected the id of a listing in the catalog'))
  assert.throws(() => engine.similarBatch([1, 9, 99]), mira('MIRA_INVALID_FIELD', 'similar: field `id` = 9: expected a listing with an embedding (this catalog\'s listings have them; this one has none)'))
  assert.throws(() => engine.similarBatch(1), mira('MIRA_TYPE', 'similarBatch(): argument `ids` is a number (1): expected an array of ids (numbers or strings)'))
  assert.throws(() => engine.similarBatch(new Array(10001).fill(1)), mira('MIRA_INVALID_FIELD', 'similarBatch(): field `ids` = 10001 ids: expected at most 10000 ids per batch (split it into several calls)'))
  assert.throws(() => engine.similarBatch([1], 3, { maxPrise: 1 }), mira('MIRA_UNKNOWN_FIELD', 'similar filters: unknown field `maxPrise` (did you mean `maxPrice`?)'))
})

test('similar refuses bad requests with exact messages, in JavaScript names', async () => {
  assert.throws(() => engine.similar(1, 5, { maxPrise: 1 }), mira('MIRA_UNKNOWN_FIELD', 'similar filters: unknown field `maxPrise` (did you mean `maxPrice`?)'))
  assert.throws(() => engine.similar(1, 5, { max_price: 1 }), mira('MIRA_UNKNOWN_FIELD', 'similar filters: unknown field `max_price` (did you mean `maxPrice`?)'))
  assert.throws(() => engine.similar(1, 5, { maxPrice: -1 }), mira('MIRA_INVALID_FIELD', 'similar filters: field `maxPrice` = -1: expected a finite price > 0'))
  assert.throws(() => engine.similar(1, 5, { propertyTypes: ['igloo'] }), mira('MIRA_INVALID_FIELD', 'similar filters: field `propertyTypes[0]` = "igloo": expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)'))
  assert.throws(() => engine.similar(1, 5, { currency: 'XXX' }), mira('MIRA_INVALID_FIELD', 'similar filters: field `currency` = "XXX": expected an ISO 4217 currency code in use (XXX is not one), such as USD, EUR or INR'))
  assert.throws(() => engine.similar(1, 5, 'condo'), mira('MIRA_TYPE', 'similar(): argument `filters` is a string ("condo"): expected an object of filters'))
  assert.throws(() => engine.similar(99), mira('MIRA_INVALID_FIELD', 'similar: field `id` = 99: expected the id of a listing in the catalog'))
  assert.throws(() => engine.similar(9), mira('MIRA_INVALID_FIELD', 'similar: field `id` = 9: expected a listing with an embedding (this catalog\'s listings have them; this one has none)'))
  assert.throws(() => engine.similar(1, -1), mira('MIRA_INVALID_FIELD', 'similar(): field `k` = -1: expected a whole number ≥ 0'))
  assert.throws(() => engine.similar(1, 10001), mira('MIRA_INVALID_FIELD', 'similar: field `k` = 10001: expected at most 10000 results per request'))
  assert.throws(() => engine.similar(null), mira('MIRA_TYPE', 'similar(): `id` is null: expected an id (a non-negative integer or a string)'))
  await assert.rejects(engine.similarAsync(1, 5, { maxPrise: 1 }), mira('MIRA_UNKNOWN_FIELD', 'similar filters: unknown field `maxPrise` (did you mean `maxPrice`?)'))
  await assert.rejects(engine.similarAsync(99), mira('MIRA_INVALID_FIELD', 'similar: field `id` = 99: expected the id of a listing in the catalog'))
})

test('an error about a filter names it in JavaScript, in the expectation too', () => {
  const mixed = new Engine(Catalog.fromRecords([
    { id: 1, price: 100, bedrooms: 2, currency: 'USD' },
    { id: 2, price: 200, bedrooms: 3, currency: 'EUR' },
  ]))
  assert.throws(() => mixed.similar(1, 5, { maxPrice: 300 }), mira('MIRA_INVALID_FIELD', 'similar filters: field `currency` = (absent): expected the currency of maxPrice: this catalog mixes EUR, USD'))
})

test('similar without vectors uses the structured embedding', () => {
  const e = new Engine(plain, { currentYear: 2025 })
  const got = e.similar(1, 3)
  assert.equal(got.length, 3)
  assert.ok(got.every((r) => r.id !== 1 && r.components.similarity === r.score))
  assert.equal(e.stats().embeddingDim, 0)
})

// ---- similarTo in a request ---------------------------------------------

/** The query of `similarTo`, as the core builds it (rows in catalog order, which is id order here). */
function queryOf(likedIds, vector) {
  const liked = [...new Set(likedIds)].sort((a, b) => a - b)
  if (liked.length === 1 && !vector) return STORED.get(liked[0])
  if (liked.length === 0) return normalize(vector)
  const sum = new Array(DIM).fill(0)
  for (const v of [...liked.map((id) => STORED.get(id)), ...(vector ? [normalize(vector)] : [])]) {
    v.forEach((x, i) => { sum[i] += x })
  }
  return unit(sum)
}

/** Every result's similarity component against the reference; liked listings left out. */
function checkSimilarity(similarTo, likedIds, vector) {
  const recs = engine.recommend({ similarTo }, 20)
  const q = queryOf(likedIds, vector)
  const expected = [...STORED.keys()].filter((id) => !likedIds.includes(id))
  assert.deepStrictEqual(recs.map((r) => r.id).filter((id) => id !== 9).sort((a, b) => a - b), expected)
  for (const r of recs) {
    if (r.id === 9) {
      assert.equal('similarity' in r.components, false, 'no vector: not scored')
      continue
    }
    assert.equal(r.components.similarity, score(dot(STORED.get(r.id), q)), `listing ${r.id}`)
  }
  return recs
}

test('similarTo scores every listing exactly as the brute-force cosine with the query', () => {
  checkSimilarity({ ids: [2] }, [2])
  checkSimilarity({ vector: RAW.get(5).map((x) => -x) }, [], RAW.get(5).map((x) => -x))
  checkSimilarity({ ids: [6, 1, 6] }, [6, 1])
  const v = Array.from({ length: DIM }, (_, i) => (i % 3) - 1 + 0.125)
  checkSimilarity({ ids: [3, 8], vector: v }, [3, 8], v)
  // A Float32Array vector is the same request.
  const f = new Float32Array(v)
  assert.deepStrictEqual(engine.recommend({ similarTo: { ids: [3, 8], vector: f } }, 20), engine.recommend({ similarTo: { ids: [3, 8], vector: v } }, 20))
})

// A call made from inside a getter of an outer call's preferences reads its
// own preferences the general way (the fast path's numbers are busy).
function generalWay(e, prefs, k) {
  let answer
  e.recommend({ get budget () { answer = e.recommend(prefs, k); return 1 } })
  return answer
}

test('similarTo in a batch and off the JavaScript thread answers as recommend does', async () => {
  const buyers = [{ similarTo: { ids: [1] } }, { budget: 150000, similarTo: { vector: new Float32Array(RAW.get(2)) } }]
  assert.deepStrictEqual(engine.recommendBatch(buyers, 5), buyers.map((b) => engine.recommend(b, 5)))
  assert.deepStrictEqual(await engine.recommendAsync(buyers[1], 5), engine.recommend(buyers[1], 5))
})

test('similarTo is read by the fast path, and the general path gives the same answer', () => {
  let reads = 0
  const prefs = { budget: 200000, get similarTo () { reads++; return { ids: [2, 'x'].slice(0, 1), vector: new Float32Array(RAW.get(4)) } } }
  const fast = engine.recommend(prefs, 20)
  assert.equal(reads, 1, 'read once: the fast path took it')
  assert.deepStrictEqual(generalWay(engine, prefs, 20), fast)
  for (const similarTo of [{ ids: [1] }, { vector: RAW.get(7) }, { ids: [4, 5], vector: RAW.get(1) }, { ids: [2], vector: undefined }]) {
    assert.deepStrictEqual(generalWay(engine, { similarTo }, 20), engine.recommend({ similarTo }, 20), JSON.stringify(similarTo))
  }
})

test('a long similarTo.vector grows the fast path\'s numbers once, then reads in one go', () => {
  const dim = 3000
  const big = Catalog.fromRecords([1, 2, 3].map((id) => ({ id, price: 1000 * id }))).withEmbeddings(
    [1, 2, 3], hashedNgrams(['a lake house', 'a house by the lake', 'a city flat'], dim))
  const e = new Engine(big, { currentYear: 2025 })
  const vector = hashedNgrams('lake house', dim)
  let reads = 0
  const prefs = { get similarTo () { reads++; return { vector } } }
  const first = e.recommend(prefs, 3)
  assert.ok(reads >= 1 && reads <= 3, `${reads} reads`)
  reads = 0
  assert.deepStrictEqual(e.recommend(prefs, 3), first)
  assert.equal(reads, 1)
  assert.deepStrictEqual(generalWay(e, { similarTo: { vector: Array.from(vector) } }, 3), first)
  assert.deepStrictEqual(first.map((r) => r.id), [1, 2, 3])
})

test('similarTo refuses bad requests with exact messages, the same on both paths', () => {
  const cases = [
    [{ similarTo: { vector: [1, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.vector[1]` = NaN: expected a finite number'],
    [{ similarTo: { vector: new Float32Array([1, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0]) } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.vector[1]` = NaN: expected a finite number'],
    [{ similarTo: { vector: new Float32Array(DIM) } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.vector` = all zeros: expected a vector with a length > 0 (cosine needs a direction)'],
    [{ similarTo: { vector: [1, 2, 3] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.vector` = 3 numbers: expected 11 numbers, the catalog\'s dimension'],
    [{ similarTo: {} }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo` = {}: expected listing ids (`ids`) or a vector (`vector`), or both'],
    [{ similarTo: { idz: [1] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.idz` = [1]: expected `ids` or `vector`'],
    [{ similarTo: { ids: [1.5] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.ids[0]` = 1.5: expected a non-empty string or a non-negative integer'],
    [{ similarTo: { ids: [' '] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.ids[0]` = " ": expected a non-empty string or a non-negative integer'],
    [{ similarTo: { ids: [99] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.ids[0]` = 99: expected the id of a listing in the catalog'],
    [{ similarTo: { ids: [1, 9] } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.ids[1]` = 9: expected a listing with an embedding (this one has none)'],
    [{ similarTo: { ids: null } }, 'MIRA_INVALID_FIELD', 'preferences: field `similarTo.ids` = null: expected a list'],
  ]
  for (const [prefs, code, message] of cases) {
    let fast
    try { engine.recommend(prefs) } catch (err) { fast = err }
    assert.ok(fast, JSON.stringify(prefs))
    assert.equal(fast.code, code, `${JSON.stringify(prefs)}: ${fast.message}`)
    assert.equal(fast.message, message)
    let general
    engine.recommend({ get budget () { try { engine.recommend(prefs) } catch (err) { general = err } return 1 } })
    assert.equal(general.message, fast.message, 'the general path words it the same')
  }
})

// ---- stats ---------------------------------------------------------------

test('stats carry the embedding figures', () => {
  const s = engine.stats()
  assert.deepStrictEqual(
    [s.embeddingDim, s.listingsWithEmbedding, s.embeddingBytesPerListing],
    [DIM, 8, 4 * DIM + 1],
  )
  const none = new Engine(plain).stats()
  assert.deepStrictEqual([none.embeddingDim, none.listingsWithEmbedding, none.embeddingBytesPerListing], [0, 0, 0])
})

test('catalog.stats(): the summary, with the vectors\' dimension, count and bytes per listing', () => {
  assert.deepStrictEqual(attached.stats(), {
    listings: 9,
    version: 2,
    priceMin: 110000,
    priceMedian: 150000,
    priceMax: 190000,
    known: {
      amenities: 0, bathrooms: 0, bedrooms: 9, commuteTime: 0, latitude: 0, location: 9,
      longitude: 0, lotSqft: 0, schoolRating: 0, sizeSqft: 0, yearBuilt: 0,
    },
    locations: [{ location: 'Seattle, WA', listings: 5 }, { location: 'Kent, WA', listings: 4 }],
    amenities: [],
    embeddingDim: DIM,
    listingsWithEmbedding: 8,
    embeddingBytesPerListing: 4 * DIM + 1,
  })
  const p = plain.stats()
  assert.deepStrictEqual([p.version, p.embeddingDim, p.listingsWithEmbedding, p.embeddingBytesPerListing], [1, 0, 0, 0])
  const empty = Catalog.fromRecords([]).stats()
  assert.deepStrictEqual(empty, {
    listings: 0, version: 1, known: { ...Object.fromEntries(Object.keys(p.known).map((k) => [k, 0])) },
    locations: [], amenities: [], embeddingDim: 0, listingsWithEmbedding: 0, embeddingBytesPerListing: 0,
  }, 'no price range for an empty catalog')
})
