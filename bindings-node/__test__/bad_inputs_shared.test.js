// The shared bad-input table (fixtures/bad-inputs/cases.json), run through
// the Node package: every case must throw an Error whose `code` is the
// core's and whose message contains the expected text, with field names
// spelled the way a JavaScript caller types them (fixtures/bad-inputs/README.md).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Catalog, Engine, PriceModel } = require('@mira/core')
const { repo, fixtures, camel, camelKeys } = require('./helpers')

const table = JSON.parse(fs.readFileSync(path.join(fixtures, 'bad-inputs', 'cases.json'), 'utf8'))
const year = table.current_year
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-node-bad-'))
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }))

const FLOATS = { nan: NaN, inf: Infinity, '-inf': -Infinity }

/** Expand the table's generators into JavaScript values. */
function expand (v) {
  if (Array.isArray(v)) return v.map(expand)
  if (v === null || typeof v !== 'object') return v
  if ('$string' in v) return v.$string.repeat(v.times)
  if ('$array' in v) return Array.from({ length: v.times }, () => expand(v.$array))
  if ('$float' in v) return FLOATS[v.$float]
  if ('$concat' in v) return v.$concat.map(expand).join('')
  if ('$nest' in v) {
    let out = expand(v.leaf)
    for (let i = 0; i < v.$nest; i++) out = { [v.key]: out }
    return out
  }
  if ('$object' in v) {
    const prefix = expand(v.$object.prefix)
    const out = {}
    for (let i = 0; i < v.$object.times; i++) out[prefix + i] = expand(v.$object.value)
    return out
  }
  if ('$file' in v) {
    const text = fs.readFileSync(path.join(repo, v.$file), 'utf8')
    const changed = text.replace(v.replace[0], v.replace[1])
    assert.notEqual(changed, text, 'the $file replacement changed nothing')
    return changed
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]))
}

/** The package's rule: only the first segment of a field path is ours (camelCase). */
const camelPath = (p) => {
  if (p.startsWith('<')) return p
  const end = p.search(/[.[]/)
  return end < 0 ? camel(p) : camel(p.slice(0, end)) + p.slice(end)
}

/** Kinds whose input is a JavaScript object of listing or preference keys. */
const OBJECT_KINDS = new Set(['listings', 'preferences', 'request', 'batch'])

const small = () => Catalog.fromRecords([
  { id: 1, price: 400000 }, { id: 2, price: 520000 }, { id: 3, price: 380000 }
], { currentYear: year })

function write (input) {
  const file = path.join(tmp, input.file)
  fs.writeFileSync(file, input.text)
  return file
}

function run (kind, input) {
  switch (kind) {
    case 'listings': return Catalog.fromRecords(input.map(camelKeys), { currentYear: year })
    case 'preferences': return new Engine(small(), { currentYear: year }).recommend(camelKeys(input), 3)
    case 'request': return new Engine(small(), { currentYear: year }).recommend(camelKeys(input.prefs), input.k, input.offset)
    case 'batch': return new Engine(small(), { currentYear: year }).recommendBatch(input.prefs.map(camelKeys), input.k)
    case 'profile': return new Engine(small(), { currentYear: year, profile: input })
    case 'catalog_file': return Catalog.fromPath(write(input), { currentYear: year })
    case 'snapshot_file': return Catalog.load(write(input))
    case 'model_file': {
      const file = write(input)
      if (input.format === 'lightgbm') return PriceModel.fromLightgbm(file)
      if (input.format === 'xgboost') return PriceModel.fromXgboost(file)
      return PriceModel.load(file)
    }
    default: throw new Error(`unknown kind ${kind}`)
  }
}

test('the shared bad-input table: same codes, messages naming the field', () => {
  assert.ok(table.cases.length >= 60)
  const failures = []
  for (const c of table.cases) {
    const spell = OBJECT_KINDS.has(c.kind) ? camelPath : (p) => p
    const field = c.field === undefined ? undefined : spell(c.field)
    const suggestion = c.suggestion === undefined ? undefined : spell(c.suggestion)
    let err = null
    try {
      run(c.kind, expand(c.input))
    } catch (e) {
      err = e
    }
    if (err === null) {
      failures.push(`${c.name}: accepted, expected ${c.code}`)
      continue
    }
    if (!(err instanceof Error)) {
      failures.push(`${c.name}: threw a non-Error ${err}`)
      continue
    }
    if (err.code !== c.code) {
      failures.push(`${c.name}: code ${err.code} (expected ${c.code}): ${err.message}`)
      continue
    }
    for (const part of c.message) {
      const want = part.replaceAll('{field}', field).replaceAll('{suggestion}', suggestion)
      if (!err.message.includes(want)) failures.push(`${c.name}: message lacks ${JSON.stringify(want)}: ${err.message}`)
    }
    if (err.message.length > 2000) failures.push(`${c.name}: message of ${err.message.length} characters`)
  }
  assert.deepEqual(failures, [])
})
