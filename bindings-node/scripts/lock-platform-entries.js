#!/usr/bin/env node
// Completes package-lock.json with the per-platform optional packages of
// napi-rs tools (`@napi-rs/lzma-darwin-arm64`, …) when the registry used to
// write the lock did not list them: without these entries `npm ci` refuses
// the lock as out of sync. Each entry says only which os/cpu it is for, so
// npm skips it everywhere else, exactly as with a lock written against the
// full registry. Run after `npm install` changes the lock:
//   node scripts/lock-platform-entries.js
const fs = require('node:fs')
const path = require('node:path')

const file = path.join(__dirname, '..', 'package-lock.json')
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const packages = lock.packages

// napi-rs platform suffix -> npm os / cpu / libc
function platform(suffix) {
  const parts = suffix.split('-')
  const os = { android: 'android', darwin: 'darwin', freebsd: 'freebsd', linux: 'linux', win32: 'win32', wasm32: null }[parts[0]]
  if (parts[0] === 'wasm32') return { cpu: ['wasm32'] }
  const cpu = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', universal: null }[parts[1]]
  const out = { os: [os] }
  if (cpu) out.cpu = [cpu]
  if (parts[0] === 'linux' && parts[2]) out.libc = [parts[2].startsWith('musl') ? 'musl' : 'glibc']
  return out
}

let added = 0
for (const [where, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies || {})) {
    const base = where.slice(0, where.lastIndexOf('node_modules/') + 'node_modules/'.length)
    const key = `${base}${name}`
    if (packages[key] || packages[`node_modules/${name}`]) continue
    const owner = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length)
    if (!name.startsWith(`${owner}-`)) continue // only platform packages of the form <owner>-<platform>
    packages[key] = { version, dev: meta.dev || undefined, optional: true, ...platform(name.slice(owner.length + 1)) }
    added++
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)))
lock.packages = sorted
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n')
console.log(`package-lock.json: ${added} platform entries added`)
