// The package loads as an ES module too, with the same classes.
import test from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import mira, { Catalog, Engine, PriceModel, hashedNgrams } from '@mira/core'

test('ESM named and default exports are the CommonJS classes', () => {
  const require = createRequire(import.meta.url)
  const cjs = require('@mira/core')
  assert.equal(Catalog, cjs.Catalog)
  assert.equal(Engine, cjs.Engine)
  assert.equal(PriceModel, cjs.PriceModel)
  assert.equal(hashedNgrams, cjs.hashedNgrams)
  assert.equal(mira.Engine, Engine)
  const engine = new Engine(Catalog.fromRecords([{ id: 1, price: 100 }]), { currentYear: 2025 })
  assert.equal(engine.recommend({ budget: 200 })[0].id, 1)
})
