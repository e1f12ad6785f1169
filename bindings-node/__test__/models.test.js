// Imported models predict exactly what LightGBM / XGBoost predicted
// (fixtures/models/*.check.json), through both input forms of `predict`.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { PriceModel } = require('@mira/core')
const { fixtures } = require('./helpers')

const dir = path.join(fixtures, 'models')
const checks = fs.readdirSync(dir).filter((f) => /^(lgb|xgb)_.*\.check\.json$/.test(f)).sort()

test('there are LightGBM and XGBoost check files', () => {
  assert.ok(checks.filter((f) => f.startsWith('lgb_')).length >= 5)
  assert.ok(checks.filter((f) => f.startsWith('xgb_')).length >= 5)
})

for (const file of checks) {
  test(`${file}: predictions equal the origin library's bit for bit`, () => {
    const check = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
    const modelPath = path.join(dir, check.model)
    const model = check.origin === 'lightgbm' ? PriceModel.fromLightgbm(modelPath) : PriceModel.fromXgboost(modelPath)
    assert.deepStrictEqual(model.featureNames, check.feature_names)

    const got = model.predict(check.rows)
    assert.ok(got instanceof Float64Array)
    assert.equal(got.length, check.predictions.length)
    for (let i = 0; i < got.length; i++) {
      assert.ok(Object.is(got[i], check.predictions[i]), `${check.model} row ${i}: ${got[i]} != ${check.predictions[i]}`)
    }

    const width = check.feature_names.length
    const flat = Float64Array.from(check.rows.flat().map((v) => (v === null ? NaN : v)))
    assert.deepStrictEqual(model.predict(flat, width), got)
    assert.equal(model.card.origin, check.origin)
  })
}
