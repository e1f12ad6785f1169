// Bad input: every error is an Error with a stable code and the core's exact
// message, naming fields the way the JavaScript caller typed them.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures, mira } = require('./helpers')

const catalog = Catalog.fromRecords([
  { id: 1, price: 400000, bedrooms: 3, location: 'Seattle, WA' },
  { id: 'b-2', price: 550000, bedrooms: 4, yearBuilt: 2001 },
])
const engine = new Engine(catalog, { profile: 'case-study', currentYear: 2025 })
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-node-errors-'))
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }))

test('unknown preference keys get a camelCase suggestion', () => {
  assert.throws(() => engine.recommend({ minBedroom: 3 }),
    mira('MIRA_UNKNOWN_FIELD', 'preferences: unknown field `minBedroom` (did you mean `minBedrooms`?)'))
  assert.throws(() => engine.recommend({ budjet: 1 }),
    mira('MIRA_UNKNOWN_FIELD', 'preferences: unknown field `budjet` (did you mean `budget`?)'))
  assert.throws(() => engine.recommend({ maxCommutetime: 10 }),
    mira('MIRA_UNKNOWN_FIELD', 'preferences: unknown field `maxCommutetime` (did you mean `maxCommuteTime`?)'))
  // snake_case is the files' spelling, not JavaScript's: refused, with the camelCase name.
  assert.throws(() => engine.recommend({ must_have_amenities: ['pool'] }),
    mira('MIRA_UNKNOWN_FIELD', 'preferences: unknown field `must_have_amenities` (did you mean `mustHaveAmenities`?)'))
  assert.throws(() => engine.recommend({ zzzzzzzz: 1 }), mira('MIRA_UNKNOWN_FIELD',
    'preferences: unknown field `zzzzzzzz` (expected one of: budget, location, minBedrooms, minBathrooms, minSizeSqft, ' +
    'maxCommuteTime, minSchoolRating, preferredAmenities, mustHaveAmenities, propertyTypes, listingType, budgetPeriod, ' +
    'moveIn, leaseMonths, furnishing, pets, currency, minGrossYield, minCapRate, minCashFlow, downPayment, mortgageRate, mortgageYears, expenseRatio, vacancy, closingCosts, weights, similarTo)'))
})

test('values out of range name the camelCase field, the value and what was expected', () => {
  assert.throws(() => engine.recommend({ budget: -1 }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `budget` = -1: expected a finite number of dollars > 0'))
  assert.throws(() => engine.recommend({ minSchoolRating: 12 }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `minSchoolRating` = 12: expected a number between 0 and 10'))
  assert.throws(() => engine.recommend({ maxCommuteTime: 0 }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `maxCommuteTime` = 0: expected a finite number of minutes > 0'))
  assert.throws(() => engine.recommend({ propertyTypes: ['sfh', 'igloo'] }), mira('MIRA_INVALID_FIELD',
    'preferences: field `propertyTypes[1]` = "igloo": expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)'))
  assert.throws(() => engine.recommend({ weights: { commute: -1 } }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `weights.commute` = -1: expected a finite weight ≥ 0'))
  assert.throws(() => engine.recommend({}, 5000, 5001),
    mira('MIRA_INVALID_FIELD', 'preferences: field `k + offset` = 5000 + 5001: expected at most 10000 results per request'))
})

test('NaN and infinities are refused, never read as missing', () => {
  assert.throws(() => engine.recommend({ budget: NaN }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `budget` = NaN: expected a finite number'))
  assert.throws(() => engine.recommend({ minBathrooms: Infinity }),
    mira('MIRA_INVALID_FIELD', 'preferences: field `minBathrooms` = Infinity: expected a finite number'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: NaN }]),
    mira('MIRA_INVALID_FIELD', 'record #0: field `price` = NaN: expected a finite number'))
  assert.throws(() => engine.recommend({}, NaN),
    mira('MIRA_INVALID_FIELD', 'recommend(): field `k` = NaN: expected a whole number ≥ 0'))
})

test('null and undefined mean "not asked"', () => {
  const all = engine.recommend({}, 10)
  assert.deepStrictEqual(engine.recommend({ budget: null, location: undefined }, 10), all)
  assert.deepStrictEqual(engine.recommend({}, undefined, null), engine.recommend({}, 3, 0))
})

test('wrong JavaScript types are MIRA_TYPE', () => {
  assert.throws(() => engine.recommend('cheap'),
    mira('MIRA_TYPE', 'recommend(): argument `prefs` is a string ("cheap"): expected an object of preferences'))
  assert.throws(() => engine.recommend([]),
    mira('MIRA_TYPE', 'recommend(): argument `prefs` is an array: expected an object of preferences'))
  assert.throws(() => engine.recommend({}, '3'),
    mira('MIRA_TYPE', 'recommend(): argument `k` is a string ("3"): expected a whole number ≥ 0'))
  assert.throws(() => engine.recommend({ budget: () => 1 }), mira('MIRA_TYPE',
    'preferences: field `budget` is a function: expected plain data (a string, number, boolean, array, object or null)'))
  assert.throws(() => engine.recommend({ budget: 10n }), mira('MIRA_TYPE',
    'preferences: field `budget` is a bigint: expected plain data (a string, number, boolean, array, object or null)'))
  assert.throws(() => Catalog.fromRecords({ id: 1, price: 2 }),
    mira('MIRA_TYPE', 'Catalog.fromRecords(): argument `records` is an object: expected an array of listing objects'))
  assert.throws(() => Catalog.fromRecords([1]),
    mira('MIRA_TYPE', 'Catalog.fromRecords(): `records[0]` is a number (1): expected a listing object'))
  assert.throws(() => Catalog.fromPath(42),
    mira('MIRA_TYPE', 'Catalog.fromPath(): argument `path` is a number (42): expected a string'))
  assert.throws(() => new Engine({ length: 1 }),
    mira('MIRA_TYPE', 'new Engine(): argument `catalog` is an object: expected a Catalog'))
  assert.throws(() => new Engine(catalog, { model: {} }),
    mira('MIRA_TYPE', 'engine options: field `model` is an object: expected a PriceModel'))
  assert.throws(() => new Engine(catalog, { profile: 7 }), mira('MIRA_TYPE',
    'engine options: field `profile` is a number (7): expected "balanced", "case-study", "investment" or a profile object'))
  assert.throws(() => catalog.get(true),
    mira('MIRA_TYPE', 'catalog.get(): `id` is a boolean (true): expected an id (a non-negative integer or a string)'))
  const cyclic = { budget: 1 }
  cyclic.weights = cyclic
  assert.throws(() => engine.recommend(cyclic), (err) => err.code === 'MIRA_INVALID_FIELD' && /field `weights(\.weights)+`.*at most 32 levels of nesting/.test(err.message))
})

test('engine and load options: typos, types and values', () => {
  assert.throws(() => new Engine(catalog, { currentyear: 2025 }),
    mira('MIRA_UNKNOWN_FIELD', 'engine options: unknown field `currentyear` (did you mean `currentYear`?)'))
  assert.throws(() => new Engine(catalog, { profile: 'fancy' }), mira('MIRA_INVALID_FIELD',
    'engine settings: field `profile` = "fancy": expected "balanced", "case-study", "investment" or a profile object'))
  assert.throws(() => new Engine(catalog, { currentYear: 2025.5 }),
    mira('MIRA_INVALID_FIELD', 'engine options: field `currentYear` = 2025.5: expected a whole year such as 2025'))
  assert.throws(() => Catalog.fromPath(path.join(fixtures, 'king_county', 'listings.csv'), { maping: 'king-county' }),
    mira('MIRA_UNKNOWN_FIELD', 'Catalog.fromPath options: unknown field `maping` (did you mean `mapping`?)'))
  assert.throws(() => Catalog.fromPath(path.join(fixtures, 'king_county', 'listings.csv'), { mapping: 'king-countee' }),
    mira('MIRA_UNSUPPORTED', 'unsupported CSV mapping preset: king-countee (did you mean `king-county`? known presets: king-county, india-rent)'))
})

test('listing records: missing id or price, duplicates, typos, ranges', () => {
  assert.throws(() => Catalog.fromRecords([{ id: 1 }]),
    mira('MIRA_MISSING_FIELD', 'record #0 (listing 1): missing required field `price`'))
  assert.throws(() => Catalog.fromRecords([{ price: 1 }]),
    mira('MIRA_MISSING_FIELD', 'record #0: missing required field `id`'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: 5 }, { id: 1, price: 6 }]),
    mira('MIRA_DUPLICATE_ID', 'record #1: duplicate id 1 (first seen at record #0)'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: 5, yearbuilt: 1990 }]),
    mira('MIRA_UNKNOWN_FIELD', 'record #0: unknown field `yearbuilt` (did you mean `yearBuilt`?)'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: 5, size_sqft: 900 }]),
    mira('MIRA_UNKNOWN_FIELD', 'record #0: unknown field `size_sqft` (did you mean `sizeSqft`?)'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: -5 }]),
    mira('MIRA_INVALID_FIELD', 'record #0 (listing 1): field `price` = -5: expected a finite number > 0'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: 5, yearBuilt: 2030 }], { currentYear: 2025 }), mira('MIRA_INVALID_FIELD',
    'record #0 (listing 1): field `yearBuilt` = 2030: expected a year between 1000 and 2025 (not in the future)'))
  assert.throws(() => Catalog.fromRecords([{ id: 1, price: 5, schoolRating: 11 }]),
    mira('MIRA_INVALID_FIELD', 'record #0 (listing 1): field `schoolRating` = 11: expected a number between 0 and 10'))
  assert.throws(() => Catalog.fromRecords([{ id: -1, price: 5 }]), (err) => err.code === 'MIRA_INVALID_FIELD' && err.message.startsWith('record #0: field `id` = -1'))
  assert.throws(() => catalog.upsert([{ id: 5, price: 1 }, { id: 5, price: 2 }]),
    mira('MIRA_DUPLICATE_ID', 'update #1: duplicate id 5 (first seen at update #0)'))
  assert.throws(() => catalog.upsert([{ id: 5, price: -1 }]),
    mira('MIRA_INVALID_FIELD', 'record #0 (listing 5): field `price` = -1: expected a finite number > 0'))
  assert.throws(() => catalog.remove([1, 99]), mira('MIRA_NOT_FOUND', 'no listing with id 99'))
})

test('records-built catalogs: the core names the record by position and id, fields as typed', () => {
  const records = [{ id: 1, price: 1 }, { id: 2, price: 2 }, { id: 3, price: 3 }]
  assert.throws(() => Catalog.fromRecords([...records, { id: 7, price: 5, minBedrooms: 2 }]),
    mira('MIRA_UNKNOWN_FIELD', 'record #3: unknown field `minBedrooms` (did you mean `bedrooms`?)'))
  assert.throws(() => Catalog.fromRecords([...records, { id: 7, price: 5, lotSqft: -1 }]),
    mira('MIRA_INVALID_FIELD', 'record #3 (listing 7): field `lotSqft` = -1: expected a finite number of square feet > 0'))
  assert.throws(() => Catalog.fromRecords([...records, { id: 7, price: 5, propertyType: 'igloo' }]), mira('MIRA_INVALID_FIELD',
    'record #3: field `propertyType` = "igloo": expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)'))
  assert.throws(() => Catalog.fromRecords([...records, { id: 7, price: 5, imageUrls: [1] }]),
    mira('MIRA_INVALID_FIELD', 'record #3: field `imageUrls[0]` = 1: expected a string'))
  assert.throws(() => Catalog.fromRecords([...records, { id: 2, price: 5 }]),
    mira('MIRA_DUPLICATE_ID', 'record #3: duplicate id 2 (first seen at record #1)'))
  assert.throws(() => Catalog.fromRecords([...records, { id: 7, price: 5, school_rating: 3 }]),
    mira('MIRA_UNKNOWN_FIELD', 'record #3: unknown field `school_rating` (did you mean `schoolRating`?)'))
  assert.throws(() => Catalog.fromRecords([...records, { id: 7, price: 5, commuteTime: Infinity }]),
    mira('MIRA_INVALID_FIELD', 'record #3: field `commuteTime` = Infinity: expected a finite number'))
  // upsert parses with the core too: positions in the update list.
  const c = Catalog.fromRecords(records, { currentYear: 2025 })
  assert.throws(() => c.upsert([{ id: 1, price: 9 }, { id: 8, price: 5, yearBuilt: 2026 }]), mira('MIRA_INVALID_FIELD',
    'record #1 (listing 8): field `yearBuilt` = 2026: expected a year between 1000 and 2025 (not in the future)'))
  assert.throws(() => c.upsert([{ id: 1, price: 9 }, { price: 5 }]),
    mira('MIRA_MISSING_FIELD', 'record #1: missing required field `id`'))
  assert.equal(c.upsert([{ id: 1, price: 9 }, { id: 8, price: 5 }]).length, 4)
})

test('batch errors name the request position', () => {
  assert.throws(() => engine.recommendBatch([{}, { budjet: 1 }]),
    mira('MIRA_UNKNOWN_FIELD', 'preferences #1: unknown field `budjet` (did you mean `budget`?)'))
  assert.throws(() => engine.recommendBatch([{}, {}, { minSchoolRating: 11 }]),
    mira('MIRA_INVALID_FIELD', 'preferences #2: field `minSchoolRating` = 11: expected a number between 0 and 10'))
  assert.throws(() => engine.recommendBatch([{ budget: NaN }]),
    mira('MIRA_INVALID_FIELD', 'preferences #0: field `budget` = NaN: expected a finite number'))
  assert.throws(() => engine.recommendBatch({}),
    mira('MIRA_TYPE', 'recommendBatch(): argument `prefsList` is an object: expected an array of preferences objects'))
})

test('recommendAsync rejects (never throws) with the same errors', async () => {
  await assert.rejects(engine.recommendAsync({ budjet: 1 }),
    mira('MIRA_UNKNOWN_FIELD', 'preferences: unknown field `budjet` (did you mean `budget`?)'))
  await assert.rejects(engine.recommendAsync('x'),
    mira('MIRA_TYPE', 'recommendAsync(): argument `prefs` is a string ("x"): expected an object of preferences'))
  await assert.rejects(engine.recommendAsync({}, -1),
    mira('MIRA_INVALID_FIELD', 'recommendAsync(): field `k` = -1: expected a whole number ≥ 0'))
})

test('files: missing, corrupt, malformed, unsupported', () => {
  const missing = path.join(tmp, 'nope.json')
  assert.throws(() => Catalog.fromPath(missing), (err) => err.code === 'MIRA_IO' && err.message.startsWith(missing + ': '))
  assert.throws(() => Catalog.load(missing), (err) => err.code === 'MIRA_IO' && err.message.startsWith(missing + ': '))

  const bad = path.join(tmp, 'bad.json')
  fs.writeFileSync(bad, '[{"id": 1, "price": 100},\n {"id": 2, "price": }]')
  assert.throws(() => Catalog.fromPath(bad), (err) => err.code === 'MIRA_PARSE' && err.message.startsWith(bad + ':2:'))

  const typo = path.join(tmp, 'typo.jsonl')
  fs.writeFileSync(typo, '{"id": 1, "price": 100, "bedroms": 3}\n')
  // Files keep their snake_case names in messages.
  assert.throws(() => Catalog.fromPath(typo),
    mira('MIRA_UNKNOWN_FIELD', `${typo}:1: unknown field \`bedroms\` (did you mean \`bedrooms\`?)`))

  const snap = path.join(tmp, 'c.mirasnap')
  catalog.save(snap)
  const text = fs.readFileSync(snap, 'utf8')
  fs.writeFileSync(snap, text.replace('400000', '400001'))
  assert.throws(() => Catalog.load(snap), (err) => err.code === 'MIRA_CORRUPT' && err.message.startsWith(`${snap}: corrupt catalog snapshot: `))
  fs.writeFileSync(snap, '')
  assert.throws(() => Catalog.load(snap),
    mira('MIRA_CORRUPT', `${snap}: corrupt catalog snapshot: the file is empty (expected a snapshot header line)`))

  const other = path.join(tmp, 'listings.txt')
  fs.writeFileSync(other, 'x')
  assert.throws(() => Catalog.fromPath(other), mira('MIRA_UNSUPPORTED',
    `unsupported listing file type: ${other} (use a .json, .jsonl, .ndjson or .csv file, or a case-study directory)`))

  assert.throws(() => PriceModel.fromLightgbm(path.join(fixtures, 'models', 'lgb_linear_tree.txt')),
    (err) => err.code === 'MIRA_UNSUPPORTED' && /linear/.test(err.message))
  const garbage = path.join(tmp, 'model.txt')
  fs.writeFileSync(garbage, 'not a model')
  assert.throws(() => PriceModel.fromLightgbm(garbage), (err) => err.code === 'MIRA_PARSE' || err.code === 'MIRA_CORRUPT')
  const badModel = path.join(tmp, 'model.json')
  fs.writeFileSync(badModel, '{"format": "agent-mira-model", "format_version": 99}')
  assert.throws(() => PriceModel.load(badModel), (err) => err.code === 'MIRA_UNSUPPORTED_VERSION' || err.code === 'MIRA_CORRUPT')
})

test('model features that do not fit are refused', () => {
  const model = PriceModel.fromLightgbm(path.join(fixtures, 'models', 'lgb_l2.txt'))
  assert.throws(() => model.predict([[1, 2, 3]]), (err) => err.code === 'MIRA_MODEL_MISMATCH')
  assert.throws(() => model.predict([[1, 2], [1]]),
    mira('MIRA_INVALID_FIELD', 'model.predict(): field `rows[1]` = 1 values: expected 2 values, like rows[0]'))
  assert.throws(() => model.predict(new Float64Array(10), 3), (err) => err.code === 'MIRA_INVALID_FIELD')
  assert.throws(() => model.predict([['a']]), (err) => err.code === 'MIRA_TYPE')
  // An imported model has no feature encoder: it cannot price listings in an engine.
  assert.throws(() => new Engine(catalog, { model }), (err) => err.code === 'MIRA_UNSUPPORTED' && /feature encoder/.test(err.message))
  assert.throws(() => engine.predictPrice({ id: 1, price: 2 }), (err) => err.code === 'MIRA_UNSUPPORTED' && /no price model/.test(err.message))
})

test('every error carries a code from the documented list', () => {
  const codes = new Set(['MIRA_INVALID_FIELD', 'MIRA_MISSING_FIELD', 'MIRA_UNKNOWN_FIELD', 'MIRA_DUPLICATE_ID', 'MIRA_PARSE',
    'MIRA_IO', 'MIRA_UNSUPPORTED_VERSION', 'MIRA_CORRUPT', 'MIRA_MODEL_MISMATCH', 'MIRA_UNSUPPORTED', 'MIRA_NOT_FOUND', 'MIRA_TYPE', 'MIRA_INTERNAL'])
  for (const f of [() => engine.recommend(1), () => Catalog.load('/nonexistent'), () => catalog.remove(['zz'])]) {
    assert.throws(f, (err) => codes.has(err.code))
  }
})
