// Docs are tests: the Node example of the repository README and the
// examples of this package's README run as written.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { repo } = require('./helpers')

const pkg = path.resolve(__dirname, '..')

/** The ```js blocks of a Markdown file that follow `heading` (up to the next ## heading). */
function jsBlocks(file, heading) {
  const text = fs.readFileSync(file, 'utf8')
  const start = heading ? text.indexOf(heading) : 0
  assert.ok(start >= 0, `${heading} in ${file}`)
  const rest = text.slice(start + (heading ? heading.length : 0))
  const end = heading ? rest.search(/\n## /) : -1
  const section = end >= 0 ? rest.slice(0, end) : rest
  return [...section.matchAll(/```(js|mjs)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1], code: m[2] }))
}

/** Run a snippet as its own file, with `@mira/core` resolving to this package, from `cwd`. */
function run(code, kind, cwd) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-node-readme-'))
  try {
    fs.mkdirSync(path.join(dir, 'node_modules', '@mira'), { recursive: true })
    fs.symlinkSync(pkg, path.join(dir, 'node_modules', '@mira', 'core'), 'dir')
    const file = path.join(dir, `snippet.${kind === 'mjs' ? 'mjs' : 'js'}`)
    // ES modules ignore NODE_PATH: resolve the package for them with an import map of one entry.
    fs.writeFileSync(file, kind === 'mjs' ? code.replaceAll("'@mira/core'", `'${path.join(dir, 'node_modules', '@mira', 'core', 'index.mjs')}'`) : code)
    return execFileSync(process.execPath, [file], {
      cwd,
      env: { ...process.env, NODE_PATH: path.join(dir, 'node_modules') },
      encoding: 'utf8',
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

test("the repository README's Node example runs and prints three results", () => {
  const blocks = jsBlocks(path.join(repo, 'README.md'), '## Node')
  assert.equal(blocks.length, 1)
  const out = run(blocks[0].code, blocks[0].kind, repo)
  // console.log(rec.id, rec.score.toFixed(1), rec.reasons): one "id score [" line per result.
  const heads = out.split('\n').filter((line) => /^\S+ \d+\.\d \[/.test(line))
  assert.equal(heads.length, 3, out)
  assert.match(out, /In Bellevue, WA/)
})

test("this package's README examples run", () => {
  const blocks = jsBlocks(path.join(pkg, 'README.md'))
  assert.ok(blocks.length >= 2)
  for (const b of blocks) run(b.code, b.kind, repo)
})
