#!/usr/bin/env node
// Completes package-lock.json with the per-platform optional packages that the
// registry used to write the lock did not list (Next.js's compiler binaries
// `@next/swc-darwin-arm64`, `@next/swc-win32-x64-msvc`, ...). Without these
// entries `npm ci` refuses the lock as out of sync ("Missing: @next/swc-... from
// lock file"). Each added entry only says which os/cpu it is for, so npm skips
// it on every other platform, exactly as with a lock written against the full
// registry. Run after `npm install` changes the lock:
//   node scripts/lock-platform-entries.js
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const file = path.join(__dirname, '..', 'package-lock.json')
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const packages = lock.packages

const OS = { darwin: 'darwin', linux: 'linux', linuxmusl: 'linux', win32: 'win32', freebsd: 'freebsd', android: 'android' }
const CPU = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' }

// "@next/swc-linux-x64-musl" -> { os: ['linux'], cpu: ['x64'], libc: ['musl'] }; null if not a platform package
function platform(name) {
  const m = /-(darwin|linux|linuxmusl|win32|freebsd|android)-(x64|arm64|arm|ia32|ppc64|riscv64|s390x)(?:-(gnu|musl|msvc|gnueabihf))?$/.exec(name)
  if (!m) return null
  const out = { os: [OS[m[1]]], cpu: [CPU[m[2]]] }
  if (out.os[0] === 'linux') out.libc = [m[1] === 'linuxmusl' || m[3] === 'musl' ? 'musl' : 'glibc']
  return out
}

let added = 0
for (const [where, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies || {})) {
    const base = where.slice(0, where.lastIndexOf('node_modules/') + 'node_modules/'.length)
    if (packages[`${base}${name}`] || packages[`node_modules/${name}`]) continue
    const target = platform(name)
    if (!target) continue
    packages[`node_modules/${name}`] = { version, dev: meta.dev || undefined, optional: true, ...target }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
)
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n')
console.log(`package-lock.json: ${added} platform entries added`)
