// Shared by the test files: paths and the snake_case <-> camelCase helpers
// the golden comparison needs (the package itself does this in Rust).
const path = require('node:path')

const repo = path.resolve(__dirname, '..', '..')
const fixtures = path.join(repo, 'fixtures')

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const snake = (s) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())

/** Top-level keys only: nested maps (weights, components) keep the core's names. */
const camelKeys = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]))
const snakeKeys = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]))

/** assert.throws / assert.rejects matcher for a MiraError with this code and exact message. */
const mira = (code, message) => (err) => {
  if (!(err instanceof Error)) throw new Error(`not an Error: ${err}`)
  if (err.code !== code || err.message !== message) {
    throw new Error(`expected ${code}: ${message}\n     got ${err.code}: ${err.message}`)
  }
  return true
}

module.exports = { repo, fixtures, camel, snake, camelKeys, snakeKeys, mira }
