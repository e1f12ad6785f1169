// Module hooks (see register-ts.mjs): `.ts` files load as ES modules
// transpiled by TypeScript; extensionless relative imports and the `@/`
// alias of tsconfig.json resolve to `.ts` files; type-only packages such as
// `@mira/core` are never loaded because their imports are `import type`.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve as resolvePath } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const appRoot = resolvePath(dirname(fileURLToPath(import.meta.url)), '..')

function tsFile(base) {
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, resolvePath(base, 'index.ts')]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate
  }
  return null
}

export async function resolve(specifier, context, next) {
  let base = null
  if (specifier.startsWith('@/')) base = resolvePath(appRoot, specifier.slice(2))
  else if ((specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL?.endsWith('.ts')) {
    base = resolvePath(dirname(fileURLToPath(context.parentURL)), specifier)
  }
  const file = base && tsFile(base)
  if (file) return { url: pathToFileURL(file).href, shortCircuit: true }
  return next(specifier, context)
}

export async function load(url, context, next) {
  if (!/\.tsx?$/.test(url)) return next(url, context)
  const file = fileURLToPath(url)
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      verbatimModuleSyntax: false,
      sourceMap: false,
      inlineSourceMap: true,
    },
  })
  return { format: 'module', source: outputText, shortCircuit: true }
}
