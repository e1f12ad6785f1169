// POST /api/recommend: the form's fields (JSON) → up to 3 home cards.
// The engines (lib/engine.ts) run in this Node.js server process; the ranking
// itself runs off the JavaScript thread (`recommendAsync`). A Buy search goes
// to the King County engine, a Rent search to the rentals engine of its
// currency, with the renter's fields (camelCase) as the core's preferences; an
// Invest search to the investors' engine (`investment` profile), with the
// investor's thresholds and mortgage terms as fractions, and each card carries
// the result's investment metrics.
import type { InvestmentMetrics, Listing, MiraError, Preferences, Recommendation } from '@mira/core'
import { getEngine, getInvest, getRentals, type LoadedEngine } from '@/lib/engine'
import {
  RENT_CURRENCIES,
  fieldOfMessage,
  parseSearchRequest,
  type ApiError,
  type BudgetPeriod,
  type CardMetrics,
  type Furnishing,
  type HomeCard,
  type SearchResponse,
} from '@/lib/search'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

const RESULTS = 3
/** Engine errors caused by the request, not by the server: a 400 with the core's message. */
const CLIENT_ERRORS = new Set(['MIRA_INVALID_FIELD', 'MIRA_UNKNOWN_FIELD', 'MIRA_MISSING_FIELD', 'MIRA_TYPE'])

function reply(body: SearchResponse, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
}

function isMiraError(e: unknown): e is MiraError {
  return e instanceof Error && typeof (e as Partial<MiraError>).code === 'string' && (e as MiraError).code.startsWith('MIRA_')
}

/**
 * What the engine adds for rentals (`currency`, `rentPerMonth`) where its
 * build says it; older builds leave them out and the card falls back to the
 * listing's own currency and period.
 */
type RentalRecommendation = Recommendation & { currency?: string | null; rentPerMonth?: number | null }

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

function toCard(rec: RentalRecommendation, listing: Listing | null): HomeCard {
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

export async function POST(request: Request): Promise<Response> {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    return reply({ error: { code: 'BAD_REQUEST', message: 'The request body must be JSON.' } }, 400)
  }
  const parsed = parseSearchRequest(body)
  if (!parsed.ok) return reply({ error: parsed.error }, 400)

  try {
    let loaded: LoadedEngine
    if (parsed.mode === 'rent') {
      const currency = parsed.preferences.currency ?? 'INR'
      const found = getRentals().byCurrency.get(currency)
      if (!found) {
        const offered = RENT_CURRENCIES.map((c) => c.value).join(', ')
        return reply({ error: { code: 'BAD_REQUEST', message: `No rentals are priced in ${currency} here; choose ${offered}.`, field: 'currency' } }, 400)
      }
      loaded = found
    } else if (parsed.mode === 'invest') {
      loaded = getInvest()
    } else {
      loaded = getEngine()
    }
    const { engine, catalog } = loaded
    // The renting and investing fields are the core's preference names in camelCase.
    const recs: RentalRecommendation[] = await engine.recommendAsync(parsed.preferences as Preferences, RESULTS)
    return reply({ results: recs.map((rec) => toCard(rec, catalog.get(rec.id))) })
  } catch (e) {
    if (isMiraError(e) && CLIENT_ERRORS.has(e.code)) {
      const error: ApiError = { code: e.code, message: e.message }
      const field = fieldOfMessage(e.message)
      if (field) error.field = field
      return reply({ error }, 400)
    }
    console.error('POST /api/recommend failed:', e)
    return reply({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' } }, 500)
  }
}
