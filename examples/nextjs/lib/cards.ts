// Server-side helpers shared by the route handlers: an engine result joined
// with its listing → the card the browser shows, which engine a mode (and a
// renter's currency) uses, and which engine errors are the request's fault.
// Type-only imports of @mira/core: the engines themselves are in engine.ts.
import type { Catalog, InvestmentMetrics, Listing, MiraError, Recommendation, SimilarFilters, SimilarTo } from '@mira/core'
import { getEngine, getInvest, getRentals, type LoadedEngine } from './engine'
import { fieldOfEngineMessage, idCandidates, type SimilarError, type SimilarQueryFilters, type SimilarResponse } from './similar'
import { RENT_CURRENCIES, type BudgetPeriod, type CardMetrics, type Furnishing, type HomeCard, type Mode } from './search'

/** Engine errors caused by the request, not by the server: a 400 with the core's message. */
export const CLIENT_ERRORS: ReadonlySet<string> = new Set(['MIRA_INVALID_FIELD', 'MIRA_UNKNOWN_FIELD', 'MIRA_MISSING_FIELD', 'MIRA_TYPE'])

/** Whether `e` is an error thrown by @mira/core (a `code` starting with `MIRA_`). */
export function isMiraError(e: unknown): e is MiraError {
  return e instanceof Error && typeof (e as Partial<MiraError>).code === 'string' && (e as MiraError).code.startsWith('MIRA_')
}

/**
 * The engine of a mode: Buy the King County engine, Invest the investors'
 * engine, Rent the rentals engine of `currency` (default `INR`). A currency
 * no rentals are priced in gives an error message instead.
 */
export function engineFor(mode: Mode, currency: string | undefined): LoadedEngine | { error: string } {
  if (mode === 'invest') return getInvest()
  if (mode !== 'rent') return getEngine()
  const code = currency ?? 'INR'
  const found = getRentals().byCurrency.get(code)
  if (found) return found
  const offered = RENT_CURRENCIES.map((c) => c.value).join(', ')
  return { error: `No rentals are priced in ${code} here; choose ${offered}.` }
}

/**
 * What the engine adds for rentals (`currency`, `rentPerMonth`) where its
 * build says it; older builds leave them out and the card falls back to the
 * listing's own currency and period.
 */
export type RentalRecommendation = Recommendation & { currency?: string | null; rentPerMonth?: number | null }

/** A card's investment figures from the core's `rec.metrics` (absent for a rental or a sale without a rent estimate). */
function cardMetrics(m: InvestmentMetrics | null | undefined): CardMetrics | null {
  if (!m) return null
  return {
    grossYield: m.grossYield,
    capRate: m.capRate,
    estimatedRent: m.estimatedRent,
    rentSource: m.rentSource,
    monthlyCashFlow: typeof m.monthlyCashFlow === 'number' ? m.monthlyCashFlow : null,
  }
}

/** A title for a listing without one: "2-bedroom rental in Tata Nagar" (a rental), else "Home 7129300520". */
function untitled(rec: RentalRecommendation, listing: Listing | null): string {
  const rental = listing?.listingType === 'long_term_rent' || listing?.listingType === 'short_term_rent'
  if (!rental) return `Home ${rec.id}`
  const what = typeof listing?.bedrooms === 'number' && listing.bedrooms > 0 ? `${listing.bedrooms}-bedroom rental` : 'Rental'
  const place = listing?.location ? ` in ${listing.location.split(',')[0].trim()}` : ''
  return `${what}${place}`
}

export function toCard(rec: RentalRecommendation, listing: Listing | null): HomeCard {
  return {
    id: String(rec.id),
    title: listing?.title ?? untitled(rec, listing),
    location: listing?.location ?? null,
    imageUrl: listing?.imageUrls?.[0] ?? null,
    listedPrice: rec.listedPrice,
    predictedPrice: rec.predictedPrice,
    priceSource: rec.priceSource,
    score: rec.score,
    reasons: rec.reasons,
    bedrooms: listing?.bedrooms ?? null,
    bathrooms: listing?.bathrooms ?? null,
    sizeSqft: listing?.sizeSqft ?? null,
    listingType: listing?.listingType ?? null,
    currency: rec.currency ?? listing?.currency ?? 'USD',
    rentPeriod: (listing?.rentPeriod as BudgetPeriod | undefined) ?? null,
    rentPerMonth: typeof rec.rentPerMonth === 'number' ? rec.rentPerMonth : null,
    availableFrom: listing?.availableFrom ?? null,
    availableUntil: listing?.availableUntil ?? null,
    furnishing: (listing?.furnishing as Furnishing | undefined) ?? null,
    petsAllowed: listing?.petsAllowed ?? null,
    metrics: cardMetrics(rec.metrics),
  }
}


/**
 * The id of the listing of `catalog` an id written as text names (a URL
 * segment, a card's id): a whole number is the integer id when the catalog
 * has it, else the string; `undefined` when no listing has it.
 */
export function resolveId(catalog: Catalog, text: string): number | string | undefined {
  return idCandidates(text).find((candidate) => catalog.get(candidate) !== null)
}

/**
 * The preferences with `similarTo.ids` (card ids, text) turned into the
 * catalog's ids; an id no listing has is left as it is, for the engine to
 * refuse with its message.
 */
export function withCatalogIds<P extends { similarTo?: SimilarTo | null }>(catalog: Catalog, prefs: P): P {
  const ids = prefs.similarTo?.ids
  if (!ids || ids.length === 0) return prefs
  const resolved = ids.map((id) => (typeof id === 'string' ? (resolveId(catalog, id) ?? id) : id))
  return { ...prefs, similarTo: { ...prefs.similarTo, ids: resolved } }
}

/** An answer of a route handler: the JSON body and the HTTP status. */
export interface Answer<T> {
  status: number
  body: T
}

/**
 * "Homes like this", what `GET /api/properties/[id]/similar` answers: the
 * `k` listings of `loaded`'s catalog most like the one `segment` (the URL's
 * id) names, as cards, with the engine's filters (`engine.similarAsync`).
 * 404 when no listing has that id (an integer-looking id is tried as the
 * integer id, then as the string); 400 with the engine's message and the
 * field it names for bad filters, `k`, or a listing without a vector; other
 * errors are thrown.
 */
export async function similarHomes(
  loaded: LoadedEngine,
  segment: string,
  k: number,
  filters: SimilarQueryFilters,
): Promise<Answer<SimilarResponse>> {
  const { engine, catalog } = loaded
  const id = resolveId(catalog, segment)
  if (id === undefined) {
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: `No listing with id “${segment}” here.`, field: 'id' } } }
  }
  try {
    // On libuv's worker pool, like the search: the JavaScript thread stays free.
    const recs: RentalRecommendation[] = await engine.similarAsync(id, k, filters as SimilarFilters)
    return { status: 200, body: { id: String(id), results: recs.map((rec) => toCard(rec, catalog.get(rec.id))) } }
  } catch (e) {
    if (!(isMiraError(e) && CLIENT_ERRORS.has(e.code))) throw e
    const error: SimilarError = { code: e.code, message: e.message }
    const field = fieldOfEngineMessage(e.message)
    if (field) error.field = field
    return { status: 400, body: { error } }
  }
}
