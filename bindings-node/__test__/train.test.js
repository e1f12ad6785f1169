// Training from Node: PriceModel.train on a feature matrix, trainOnCatalog
// through the core's pipeline, progress through onProgress, and models that
// save, load and price listings in an Engine exactly as trained.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { camel, camelKeys, fixtures, mira } = require('./helpers')

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-node-train-'))
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }))

const kcPath = path.join(fixtures, 'king_county', 'listings.csv')

/** The King County CSV's rows as objects of strings (quoted fields may hold commas). */
function kcRows(limit) {
  const lines = fs.readFileSync(kcPath, 'utf8').split('\n').filter(Boolean)
  const split = (line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, ''))
  const header = split(lines[0])
  return lines.slice(1, limit + 1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i], v])))
}

const num = (s) => (s === '' ? null : Number(s))
const rmse = (a, b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length)

test('linear on y = 2x + 1: exact coefficients, Float64Array input alike', async () => {
  const x = [[1], [2], [3], [4], [5], [6]]
  const y = x.map(([v]) => 2 * v + 1)
  const model = await PriceModel.train(x, y, { kind: 'linear', params: { logTarget: false }, columns: ['sqft'] })
  assert.ok(model instanceof PriceModel)
  assert.deepStrictEqual(model.featureNames, ['sqft'])
  assert.equal(model.card.name, 'price-model')
  assert.equal(model.card.origin, 'agent-mira linfa ols')
  const got = model.predict([[0], [10], [-3]])
  for (const [i, want] of [1, 21, -5].entries()) assert.ok(Math.abs(got[i] - want) < 1e-9, `${got[i]} != ${want}`)

  const flat = await PriceModel.train(Float64Array.from([1, 2, 3, 4, 5, 6]), Float64Array.from(y),
    { kind: 'linear', params: { logTarget: false }, columns: 1, name: 'flat' })
  assert.deepStrictEqual(flat.predict([[0], [10], [-3]]), got)
  assert.equal(flat.card.name, 'flat')
  assert.deepStrictEqual(flat.featureNames, ['f0'])

  const ridge = await PriceModel.train(x, y, { kind: 'elastic_net', params: { alpha: 0.001, l1Ratio: 0.5, logTarget: false } })
  assert.ok(Math.abs(ridge.predict([[10]])[0] - 21) < 0.1)
})

test('gbdt on a King County slice beats a constant predictor', async () => {
  const rows = kcRows(4000)
  const features = ['size_sqft', 'bedrooms', 'bathrooms', 'lot_sqft', 'year_built', 'latitude', 'longitude', 'attributes.grade']
  const x = rows.map((r) => features.map((f) => num(r[f])))
  const y = rows.map((r) => Number(r.price))
  const [xTrain, yTrain, xTest, yTest] = [x.slice(0, 3000), y.slice(0, 3000), x.slice(3000), y.slice(3000)]
  const model = await PriceModel.train(xTrain, yTrain, { columns: features, params: { numRounds: 60, seed: 7 } })
  assert.deepStrictEqual(model.featureNames, features)
  assert.equal(model.card.origin, 'agent-mira gbdt')
  const predicted = Array.from(model.predict(xTest))
  const mean = yTrain.reduce((a, b) => a + b, 0) / yTrain.length
  const constant = rmse(yTest, yTest.map(() => mean))
  const trained = rmse(yTest, predicted)
  assert.ok(trained < 0.7 * constant, `gbdt rmse ${trained} vs constant ${constant}`)

  // Deterministic: same data, same seed, same model.
  const again = await PriceModel.train(xTrain, yTrain, { columns: features, params: { numRounds: 60, seed: 7 } })
  assert.deepStrictEqual(again.predict(xTest), model.predict(xTest))
})

test('onProgress: once per round, in order, with counts and losses, all before the promise settles', async () => {
  const rows = kcRows(1500)
  const x = rows.map((r) => [num(r.size_sqft), num(r.bedrooms), num(r.year_built)])
  const y = rows.map((r) => Number(r.price))
  const seen = []
  const model = await PriceModel.train(x, y, {
    params: { numRounds: 25, validationFraction: 0.2 },
    onProgress: (p) => seen.push(p),
  })
  assert.ok(model instanceof PriceModel)
  assert.equal(seen.length, 25)
  seen.forEach((p, i) => {
    assert.deepStrictEqual(Object.keys(p).sort(), ['round', 'totalRounds', 'trainLoss', 'validLoss'])
    assert.equal(p.round, i + 1)
    assert.equal(p.totalRounds, 25)
    assert.ok(Number.isFinite(p.trainLoss) && p.trainLoss > 0)
    assert.ok(Number.isFinite(p.validLoss) && p.validLoss > 0)
  })
  assert.ok(seen[24].trainLoss < seen[0].trainLoss)

  // Without a validation set validLoss is null; linear models have no rounds.
  const plain = []
  await PriceModel.train(x, y, { params: { numRounds: 3 }, onProgress: (p) => plain.push(p) })
  assert.deepStrictEqual(plain.map((p) => [p.round, p.totalRounds, p.validLoss]), [[1, 3, null], [2, 3, null], [3, 3, null]])
  const none = []
  await PriceModel.train(x, y, { kind: 'linear', onProgress: (p) => none.push(p) })
  assert.equal(none.length, 0)

  // The event loop stays free while training: a timer fires in between.
  let ticks = 0
  const timer = setInterval(() => ticks++, 0)
  const rounds = []
  await PriceModel.train(x, y, { params: { numRounds: 200, maxLeaves: 63, minSamplesLeaf: 1 }, onProgress: (p) => rounds.push(p.round) })
  clearInterval(timer)
  assert.deepStrictEqual(rounds, Array.from({ length: 200 }, (_, i) => i + 1))
  assert.ok(ticks > 0)
})

test('a throwing onProgress is not called again and rejects the promise with what it threw', async () => {
  const x = Array.from({ length: 40 }, (_, i) => [i])
  const y = x.map(([v]) => 1000 + v)
  const boom = new Error('boom')
  let calls = 0
  await assert.rejects(PriceModel.train(x, y, { params: { numRounds: 10 }, onProgress: () => { calls++; throw boom } }),
    (err) => err === boom)
  assert.equal(calls, 1)
})

test('trainOnCatalog: a model an Engine prices listings with, identical after save and load', async () => {
  const catalog = Catalog.fromPath(kcPath, { currentYear: 2025 })
  const rounds = []
  const model = await PriceModel.trainOnCatalog(catalog, {
    kind: 'gbdt',
    holdout: { kind: 'random', fraction: 0.2, seed: 42 },
    params: { numRounds: 30, learningRate: 0.2 },
    name: 'kc-node',
    currentYear: 2025,
    onProgress: (p) => rounds.push([p.round, p.totalRounds]),
  })
  assert.deepStrictEqual(rounds, Array.from({ length: 30 }, (_, i) => [i + 1, 30]))
  const card = model.card
  assert.equal(card.name, 'kc-node')
  assert.equal(card.origin, 'agent-mira gbdt')
  assert.ok(card.metrics.r2 > 0.6, JSON.stringify(card.metrics))
  assert.ok(model.featureNames.length > 5)

  const engine = new Engine(catalog, { model, currentYear: 2025 })
  const prefs = { budget: 800000, location: 'Seattle, WA', minBedrooms: 3 }
  const recs = engine.recommend(prefs, 5)
  assert.equal(recs.length, 5)
  for (const r of recs) {
    assert.equal(r.priceSource, 'model')
    assert.ok(r.predictedPrice > 0)
  }
  assert.equal(engine.stats().priceSource, 'model')
  assert.equal(engine.modelInfo().name, 'kc-node')

  const file = path.join(tmp, 'kc-node.json')
  model.save(file)
  const loaded = PriceModel.load(file)
  const reloaded = new Engine(catalog, { model: loaded, currentYear: 2025 })
  assert.deepStrictEqual(reloaded.recommend(prefs, 5), recs)
  const listing = { id: 'new', price: 700000, location: 'Seattle, WA', bedrooms: 3, bathrooms: 2, sizeSqft: 1800, yearBuilt: 1990 }
  assert.deepStrictEqual(reloaded.predictPrice(listing), engine.predictPrice(listing))
  const rows = [Array.from(model.featureNames, () => null)]
  assert.deepStrictEqual(loaded.predict(rows), model.predict(rows))
})

test('trainOnCatalog: linear on the sample listings, holdout none', async () => {
  const catalog = Catalog.fromPath(path.join(fixtures, 'listings', 'sample.json'), { currentYear: 2025 })
  const model = await PriceModel.trainOnCatalog(catalog, { kind: 'linear', params: { alpha: 1 }, holdout: { kind: 'none' }, currentYear: 2025 })
  assert.equal(model.card.origin, 'agent-mira linfa ridge')
  assert.equal(model.card.metrics, null)
  const recs = new Engine(catalog, { model, currentYear: 2025 }).recommend({ budget: 700000 }, 3)
  assert.ok(recs.every((r) => r.priceSource === 'model'))
})

test('training errors reject the promise (never throw) with camelCase names', async () => {
  const x = [[1], [2], [3]]
  const y = [3, 5, 7]
  const rejects = (promise, code, message) => assert.rejects(promise, mira(code, message))
  await rejects(PriceModel.train(x, y, { params: { numRound: 3 } }),
    'MIRA_UNKNOWN_FIELD', 'training parameters: unknown field `numRound` (did you mean `numRounds`?)')
  await rejects(PriceModel.train(x, y, { params: { num_rounds: 3 } }),
    'MIRA_UNKNOWN_FIELD', 'training parameters: unknown field `num_rounds` (did you mean `numRounds`?)')
  await rejects(PriceModel.train(x, y, { kind: 'linear', params: { l1Ratio: 0.5 } }),
    'MIRA_UNKNOWN_FIELD', 'training parameters: unknown field `l1Ratio` (expected one of: alpha, logTarget, maxIterations, tolerance)')
  await rejects(PriceModel.train(x, y, { params: { learningRate: 0 } }),
    'MIRA_INVALID_FIELD', 'training parameters: field `learningRate` = 0: expected a number in (0, 1]')
  await rejects(PriceModel.train(x, y, { params: { numRounds: 'x' } }), 'MIRA_INVALID_FIELD',
    'training parameters: field `numRounds` = "x": expected a whole number ≥ 0')
  await rejects(PriceModel.train(x, y, { kind: 'elastic_net', params: { l1Ratio: 2 } }),
    'MIRA_INVALID_FIELD', 'training parameters: field `l1Ratio` = 2: expected a number between 0 and 1')
  await rejects(PriceModel.train(x, y, { params: { learningRate: NaN } }),
    'MIRA_INVALID_FIELD', 'training parameters: field `learningRate` = NaN: expected a finite number')
  await rejects(PriceModel.train(x, y, { params: { seed: () => 1 } }),
    'MIRA_TYPE', 'training parameters: field `seed` is a function: expected plain data (a string, number, boolean, array, object or null)')
  await rejects(PriceModel.trainOnCatalog({}, { holdout: { kind: 'random', fraction: -Infinity, seed: 1 } }),
    'MIRA_TYPE', 'PriceModel.trainOnCatalog(): argument `catalog` is an object: expected a Catalog')
  await rejects(PriceModel.train(x, y, { params: 3 }),
    'MIRA_INVALID_FIELD', 'training parameters: field `params` = 3: expected an object of training parameters')
  await rejects(PriceModel.train(x, y, { kind: 3 }),
    'MIRA_INVALID_FIELD', 'training parameters: field `kind` = 3: expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)')
  await rejects(PriceModel.train(x, y, { kind: 'forest', params: { max_leaves: 3 } }),
    'MIRA_INVALID_FIELD', 'training parameters: field `kind` = "forest": expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)')
  await rejects(PriceModel.train(x, y, { kind: 'forest' }),
    'MIRA_INVALID_FIELD', 'training parameters: field `kind` = "forest": expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)')
  await rejects(PriceModel.train(x, y, { onProgres: () => {} }),
    'MIRA_UNKNOWN_FIELD', 'PriceModel.train options: unknown field `onProgres` (did you mean `onProgress`?)')
  await rejects(PriceModel.train(x, y, { onProgress: 1 }),
    'MIRA_TYPE', 'PriceModel.train options: field `onProgress` is a number (1): expected a function')
  await rejects(PriceModel.train('x', y),
    'MIRA_TYPE', 'PriceModel.train(): argument `x` is a string ("x"): expected an array of arrays of numbers, or a Float64Array')
  await rejects(PriceModel.train([[1], [2, 3]], y),
    'MIRA_INVALID_FIELD', 'PriceModel.train(): field `x[1]` = 2 values: expected 1 values, like x[0]')
  await rejects(PriceModel.train(new Float64Array(3), y),
    'MIRA_INVALID_FIELD', 'PriceModel.train(): field `columns` = 0: expected a column count > 0 that divides the Float64Array\'s length (3)')
  await rejects(PriceModel.train(x, y, { columns: ['a', 1] }),
    'MIRA_TYPE', 'PriceModel.train(): `columns[1]` is a number (1): expected a feature name (a string)')
  await rejects(PriceModel.train(x, y, { columns: 'a' }),
    'MIRA_TYPE', 'PriceModel.train(): field `columns` is a string ("a"): expected an array of feature names, or a column count')
  await rejects(PriceModel.train(Float64Array.from([1, 2, 3]), y, { columns: 1.5 }),
    'MIRA_INVALID_FIELD', 'PriceModel.train(): field `columns` = 1.5: expected a whole number ≥ 0')
  await rejects(PriceModel.train(x, new Int32Array(3)),
    'MIRA_TYPE', 'PriceModel.train(): argument `y` is an object: expected an array of numbers, or a Float64Array')
  await rejects(PriceModel.train(x, [1, 'a', 3]),
    'MIRA_TYPE', 'PriceModel.train(): `y[1]` is a string ("a"): expected a number')
  await rejects(PriceModel.train(x, [1, 2], { kind: 'linear' }),
    'MIRA_INVALID_FIELD', 'training parameters: field `y` = 2 labels: expected one per row of x (3)')
  await rejects(PriceModel.trainOnCatalog({}),
    'MIRA_TYPE', 'PriceModel.trainOnCatalog(): argument `catalog` is an object: expected a Catalog')
  const catalog = Catalog.fromPath(path.join(fixtures, 'listings', 'sample.json'), { currentYear: 2025 })
  await assert.rejects(PriceModel.trainOnCatalog(catalog, { holdout: { kind: 'random', seed: 1 } }),
    (err) => err.code === 'MIRA_INVALID_FIELD' && err.message.startsWith('training: field `holdout` = ') && err.message.endsWith('(missing field `fraction`)'))
  await rejects(PriceModel.trainOnCatalog(catalog, { holdout: { kind: 'random', fraction: -Infinity, seed: 1 } }),
    'MIRA_INVALID_FIELD', 'training: field `holdout.fraction` = -Infinity: expected a finite number')
  await rejects(PriceModel.trainOnCatalog(catalog, { holdout: { kind: 'random', fraction: 0.2, seed: 'x' } }),
    'MIRA_INVALID_FIELD', 'training: field `holdout` = {"fraction":0.2,"kind":"random","seed":"x"}: expected {"kind": "random", "fraction", "seed"}, {"kind": "temporal", "attribute", "cutoff"} or {"kind": "none"} (invalid type: string "x", expected u64)')
  await rejects(PriceModel.trainOnCatalog(catalog, { holdout: () => 1 }),
    'MIRA_TYPE', 'training: field `holdout` is a function: expected plain data (a string, number, boolean, array, object or null)')
  await rejects(PriceModel.trainOnCatalog(catalog, { holdout: { kind: 'temporal', attribute: 'sale_date', cutoff: Symbol('x') } }),
    'MIRA_TYPE', 'training: field `holdout.cutoff` is a symbol: expected plain data (a string, number, boolean, array, object or null)')
  await rejects(PriceModel.trainOnCatalog(catalog, { holdout: { kind: 'random', fraction: 1.5, seed: 1 } }),
    'MIRA_INVALID_FIELD', 'training: field `holdout.fraction` = 1.5: expected a share between 0 and 1 (exclusive)')
})

test('trainOnCatalog: a random holdout without seed uses seed 42, as in the CLI and Python', async () => {
  const catalog = Catalog.fromPath(kcPath, { currentYear: 2025 })
  const card = async (holdout) => {
    const c = (await PriceModel.trainOnCatalog(catalog, { kind: 'ols', holdout, currentYear: 2025 })).card
    return { metrics: c.metrics, evaluation: c.evaluation, trainingDomain: c.training_domain }
  }
  const unseeded = await card({ kind: 'random', fraction: 0.25 })
  assert.deepStrictEqual(unseeded, await card({ kind: 'random', fraction: 0.25, seed: 42 }))
  assert.notDeepStrictEqual(unseeded, await card({ kind: 'random', fraction: 0.25, seed: 1 }))
  assert.ok(unseeded.evaluation.endsWith('a random 25% by id (seed 42)'), unseeded.evaluation)
})

// fixtures/training/expected.json is what the core and `mira train` give
// (core/tests/train_parity.rs); Python checks the same file.
const parity = JSON.parse(fs.readFileSync(path.join(fixtures, 'training', 'parity.json'), 'utf8'))
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'training', 'expected.json'), 'utf8'))
/** A spec of the fixture as Node options: `params` keys in camelCase. */
const nodeSpec = (spec) => ({ ...spec, ...(spec.params ? { params: camelKeys(spec.params) } : {}) })

test('the same spec gives the same model as the core, the CLI and Python', async () => {
  const m = parity.matrix
  const c = parity.catalog
  const catalog = Catalog.fromPath(path.join(fixtures, c.path))
  const listings = JSON.parse(fs.readFileSync(path.join(fixtures, c.path), 'utf8'))
  for (const want of expected) {
    const spec = nodeSpec(want.spec)
    const onMatrix = await PriceModel.train(m.x, m.y, { ...spec, columns: m.feature_names, name: m.name })
    assert.equal(onMatrix.card.origin, want.origin)
    assert.deepStrictEqual(onMatrix.card.params, want.params)
    assert.deepStrictEqual(Array.from(onMatrix.predict(m.x)), want.matrix_predictions, JSON.stringify(want.spec))
    const onCatalog = await PriceModel.trainOnCatalog(catalog, { ...spec, name: c.name, holdout: c.holdout, currentYear: c.current_year })
    assert.equal(onCatalog.card.origin, want.origin)
    assert.deepStrictEqual(onCatalog.card.params, want.params)
    const engine = new Engine(catalog, { model: onCatalog, currentYear: c.current_year })
    const prices = listings.map((l) => engine.predictPrice(catalog.get(l.id)).price)
    assert.deepStrictEqual(prices, want.catalog_predictions, JSON.stringify(want.spec))
  }
})

test('a bad spec fails with the core\'s message, fields in camelCase', async () => {
  const m = parity.matrix
  const catalog = Catalog.fromPath(path.join(fixtures, parity.catalog.path))
  for (const bad of parity.bad_specs) {
    // Field names (in backticks, and the list of an unknown field's
    // alternatives) are camelCase; values such as kind names are data.
    const message = bad.message
      .replace(/`([a-z0-9_]+)`/g, (_, name) => '`' + camel(name) + '`')
      .replace(/\(expected one of: ([^)]*)\)/, (_, list) => `(expected one of: ${list.split(', ').map(camel).join(', ')})`)
    const code = message.includes('unknown field') ? 'MIRA_UNKNOWN_FIELD' : 'MIRA_INVALID_FIELD'
    await assert.rejects(PriceModel.train(m.x, m.y, nodeSpec(bad.spec)), mira(code, message))
    await assert.rejects(PriceModel.trainOnCatalog(catalog, nodeSpec(bad.spec)), mira(code, message))
  }
})
