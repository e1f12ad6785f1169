// The @mira/core engines of this server process, loaded on first use (about a
// second) and shared by every request after that. Server-only: imported by
// the route handler.
//
// - Buy: the King County catalog (US dollars) with its price model.
// - Rent: the real India rent listings (fixtures/india_rent/, rupees) and the
//   hand-written rentals (fixtures/listings/rentals.json: Mumbai and Pune in
//   rupees, Seattle in dollars), one catalog per currency. The engine never
//   compares prices in different currencies, and a catalog mixing them needs
//   every request to name one; keeping one currency per catalog means the
//   renter's chosen currency picks the catalog, and nothing priced otherwise
//   can reach the answer.
// - Invest: the King County catalog with the hand-written investment listings
//   (fixtures/listings/investment.json: US-dollar sales with the rent each
//   would fetch, `estimatedRent`), the price model, a rent model when
//   MIRA_RENT_MODEL names one, and the core's `investment` profile (yield,
//   cash flow, value, price within budget).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Catalog, Engine, PriceModel, type EngineOptions, type ListingInput } from '@mira/core'

export interface LoadedEngine {
  engine: Engine
  catalog: Catalog
  /** How long loading took, milliseconds. */
  loadMs: number
}

/** The rental engines, one per currency code (`INR`, `USD`). */
export interface LoadedRentals {
  byCurrency: Map<string, LoadedEngine>
  loadMs: number
}

/** The repository root: this app lives in examples/nextjs/ and is started from there. */
function repoPath(...parts: string[]): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), '..', '..', ...parts)
}

function currentYear(): number | undefined {
  return process.env.MIRA_CURRENT_YEAR ? Number(process.env.MIRA_CURRENT_YEAR) : undefined
}

function load(): LoadedEngine {
  const started = performance.now()
  const listings = process.env.MIRA_LISTINGS || repoPath('fixtures', 'king_county', 'listings.csv')
  const modelFile = process.env.MIRA_MODEL || repoPath('fixtures', 'models', 'king-county', 'model.json')
  const catalog = Catalog.fromPath(listings)
  const model = PriceModel.load(modelFile)
  const engine = new Engine(catalog, { model, profile: 'balanced', currentYear: currentYear() })
  const loadMs = Math.round(performance.now() - started)
  console.log(`@mira/core: ${catalog.length} listings from ${listings}, model ${modelFile} (${loadMs} ms)`)
  return { engine, catalog, loadMs }
}

/** `snake_case` → `camelCase`, the keys `Catalog.fromRecords` takes. */
function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/**
 * The rentals: the real India rent listings (`fixtures/india_rent/`, read
 * with the core's `india-rent` preset: 4,746 long-term rentals in rupees)
 * and the hand-written rentals file (a JSON array of listings, snake_case as
 * in the fixtures), one catalog per currency (a listing naming none is in US
 * dollars, as the core reads it). No price model: the King County model
 * values sales, so a rental's predicted price is its listed rent.
 */
function loadRentals(): LoadedRentals {
  const started = performance.now()
  const year = currentYear()
  const file = process.env.MIRA_RENTALS || repoPath('fixtures', 'listings', 'rentals.json')
  const indiaEnv = process.env.MIRA_INDIA_RENT
  const india = indiaEnv === undefined ? repoPath('fixtures', 'india_rent', 'india_house_rent.csv') : indiaEnv.trim()
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array of listings`)
  // Plain JSON with camelCase keys: the core checks every field on the way in.
  const byCode = new Map<string, ListingInput[]>()
  for (const row of rows) {
    const code = String(row.currency ?? 'USD').toUpperCase()
    const listing = Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])) as unknown as ListingInput
    byCode.set(code, [...(byCode.get(code) ?? []), listing])
  }
  const catalogs = new Map<string, Catalog>()
  if (india && india !== 'none') catalogs.set('INR', Catalog.fromPath(india, { mapping: 'india-rent', currentYear: year }))
  for (const [code, listings] of byCode) {
    const base = catalogs.get(code)
    // The core validates every listing on the way in (and refuses a repeated id).
    catalogs.set(code, base ? base.upsert(listings) : Catalog.fromRecords(listings, { currentYear: year }))
  }
  const byCurrency = new Map<string, LoadedEngine>()
  for (const [code, catalog] of catalogs) {
    const engine = new Engine(catalog, { profile: 'balanced', currentYear: year })
    byCurrency.set(code, { engine, catalog, loadMs: 0 })
  }
  const loadMs = Math.round(performance.now() - started)
  const counts = [...byCurrency].map(([code, e]) => `${e.catalog.length} in ${code}`).join(', ')
  console.log(`@mira/core: rentals from ${india && india !== 'none' ? `${india} and ` : ''}${file}: ${counts} (${loadMs} ms)`)
  return { byCurrency, loadMs }
}

/** A JSON array of listings, snake_case as in the fixtures → the camelCase records `Catalog.fromRecords` takes. */
function readListings(file: string): ListingInput[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array of listings`)
  return rows.map(
    (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])) as unknown as ListingInput,
  )
}

/**
 * The investors' engine: the buyers' King County catalog with the
 * investment listings added (`Catalog.upsert` gives a new catalog; the
 * core refuses a repeated id or a bad rent), the same price model (the
 * value gap), a rent model when `MIRA_RENT_MODEL` names one (a price model
 * trained on rents: the rent of sales without their own), and the
 * `investment` profile. Every listing is in US dollars.
 */
function loadInvest(): LoadedEngine {
  const started = performance.now()
  const buy = getEngine()
  const file = process.env.MIRA_INVESTMENT || repoPath('fixtures', 'listings', 'investment.json')
  const catalog = buy.catalog.upsert(readListings(file))
  const modelFile = process.env.MIRA_MODEL || repoPath('fixtures', 'models', 'king-county', 'model.json')
  const rentFile = (process.env.MIRA_RENT_MODEL ?? '').trim()
  const options: EngineOptions = {
    model: PriceModel.load(modelFile),
    // The core's investment profile (yield, cash flow, value gap, price within budget).
    profile: 'investment',
    currentYear: currentYear(),
  }
  if (rentFile && rentFile !== 'none') options.rentModel = PriceModel.load(rentFile)
  const engine = new Engine(catalog, options)
  const loadMs = Math.round(performance.now() - started)
  console.log(`@mira/core: investors: ${catalog.length} listings (with ${file})${options.rentModel ? `, rent model ${rentFile}` : ''} (${loadMs} ms)`)
  return { engine, catalog, loadMs }
}

// Kept on globalThis so that `next dev`'s module reloading does not load them again.
const holder = globalThis as typeof globalThis & {
  __miraEngine?: LoadedEngine
  __miraRentals?: LoadedRentals
  __miraInvest?: LoadedEngine
}

/** The buyers' engine (King County), loaded on the first call. A failed load is retried on the next call. */
export function getEngine(): LoadedEngine {
  holder.__miraEngine ??= load()
  return holder.__miraEngine
}

/** The renters' engines, one per currency, loaded on the first call. */
export function getRentals(): LoadedRentals {
  holder.__miraRentals ??= loadRentals()
  return holder.__miraRentals
}

/** The investors' engine (King County and the investment listings, `investment` profile), loaded on the first call. */
export function getInvest(): LoadedEngine {
  holder.__miraInvest ??= loadInvest()
  return holder.__miraInvest
}
