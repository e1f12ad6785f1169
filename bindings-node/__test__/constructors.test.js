// Classes called without `new` throw a TypeError, as JavaScript classes do,
// instead of wrapping and returning the global object. Catalog and
// PriceModel are built by their static factories only: `new` on them throws
// a TypeError naming those factories. The factories and subclasses still work.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { fixtures } = require('./helpers')

const records = [
  { id: 1, price: 450000, bedrooms: 3, location: 'Seattle, WA' },
  { id: 2, price: 380000, bedrooms: 2, location: 'Bellevue, WA' },
]

/** assert.throws matcher: a TypeError (code MIRA_TYPE) with exactly this message. */
const typeError = (message) => (err) => {
  if (!(err instanceof TypeError)) throw new Error(`not a TypeError: ${err && err.constructor && err.constructor.name}: ${err}`)
  if (err.message !== message || err.code !== 'MIRA_TYPE') {
    throw new Error(`expected MIRA_TYPE: ${message}\n     got ${err.code}: ${err.message}`)
  }
  return true
}

const withoutNew = (name) => typeError(`Class constructor ${name} cannot be invoked without 'new'`)

test('Engine(catalog) without new throws a TypeError, as a JavaScript class does', () => {
  const catalog = Catalog.fromRecords(records)
  assert.throws(() => Engine(catalog), withoutNew('Engine'))
  // With no arguments too: the check comes before the arguments are read.
  assert.throws(() => Engine(), withoutNew('Engine'))
  // Also through call/apply with an unrelated receiver.
  assert.throws(() => Engine.call({}, catalog), withoutNew('Engine'))
  assert.throws(() => Reflect.apply(Engine, undefined, [catalog]), withoutNew('Engine'))
  // The global object was not wrapped on the way: a later `new` works.
  const engine = new Engine(catalog, { currentYear: 2024 })
  assert.deepEqual(engine.recommend({ budget: 500000 }, 2).map((r) => r.id).sort(), [1, 2])
})

test('Catalog() and PriceModel() without new throw a TypeError', () => {
  assert.throws(() => Catalog(), withoutNew('Catalog'))
  assert.throws(() => Catalog(records), withoutNew('Catalog'))
  assert.throws(() => PriceModel(), withoutNew('PriceModel'))
})

test('new Catalog() and new PriceModel() throw a TypeError naming the factories', () => {
  assert.throws(
    () => new Catalog(),
    typeError('Catalog has no public constructor: use Catalog.fromRecords(records), Catalog.fromPath(path) or Catalog.load(path)'),
  )
  assert.throws(
    () => new PriceModel(),
    typeError(
      'PriceModel has no public constructor: use PriceModel.load(path), PriceModel.fromLightgbm(path), ' +
        'PriceModel.fromXgboost(path), PriceModel.train(x, y) or PriceModel.trainOnCatalog(catalog)',
    ),
  )
})

test('static factories and methods returning instances still work', () => {
  const catalog = Catalog.fromRecords(records)
  assert.ok(catalog instanceof Catalog)
  assert.equal(catalog.length, 2)
  const next = catalog.upsert([{ id: 3, price: 500000 }])
  assert.ok(next instanceof Catalog)
  assert.equal(next.length, 3)
  const model = PriceModel.fromLightgbm(path.join(fixtures, 'models', 'lgb_l2.txt'))
  assert.ok(model instanceof PriceModel)
  const engine = new Engine(catalog, { currentYear: 2024 })
  assert.ok(engine instanceof Engine)
  const other = engine.withCatalog(next)
  assert.ok(other instanceof Engine)
  assert.ok(other.catalog instanceof Catalog)
  assert.equal(other.catalog.length, 3)
})

test('a subclass of Engine constructs with new', () => {
  class MyEngine extends Engine {
    top(prefs) {
      return this.recommend(prefs, 1)[0].id
    }
  }
  const engine = new MyEngine(Catalog.fromRecords(records), { currentYear: 2024 })
  assert.ok(engine instanceof Engine)
  assert.equal(engine.top({ budget: 400000 }), 2)
})
