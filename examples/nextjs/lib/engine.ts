// The one @mira/core engine of this server process: the King County catalog
// and price model are loaded on first use (about a second) and shared by
// every request after that. Server-only: imported by the route handler.
import path from 'node:path'
import { Catalog, Engine, PriceModel } from '@mira/core'

export interface LoadedEngine {
  engine: Engine
  catalog: Catalog
  /** How long loading took, milliseconds. */
  loadMs: number
}

/** The repository root: this app lives in examples/nextjs/ and is started from there. */
function repoPath(...parts: string[]): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), '..', '..', ...parts)
}

function load(): LoadedEngine {
  const started = performance.now()
  const listings = process.env.MIRA_LISTINGS || repoPath('fixtures', 'king_county', 'listings.csv')
  const modelFile = process.env.MIRA_MODEL || repoPath('fixtures', 'models', 'king-county', 'model.json')
  const year = process.env.MIRA_CURRENT_YEAR ? Number(process.env.MIRA_CURRENT_YEAR) : undefined
  const catalog = Catalog.fromPath(listings)
  const model = PriceModel.load(modelFile)
  const engine = new Engine(catalog, { model, profile: 'balanced', currentYear: year })
  const loadMs = Math.round(performance.now() - started)
  console.log(`@mira/core: ${catalog.length} listings from ${listings}, model ${modelFile} (${loadMs} ms)`)
  return { engine, catalog, loadMs }
}

// Kept on globalThis so that `next dev`'s module reloading does not load it again.
const holder = globalThis as typeof globalThis & { __miraEngine?: LoadedEngine }

/** The process's engine, loaded on the first call. A failed load is retried on the next call. */
export function getEngine(): LoadedEngine {
  holder.__miraEngine ??= load()
  return holder.__miraEngine
}
