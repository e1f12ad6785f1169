// POST /api/recommend: the form's fields (JSON) → up to 3 home cards.
// The engines (lib/engine.ts) run in this Node.js server process; the ranking
// itself runs off the JavaScript thread (`recommendAsync`). A Buy search goes
// to the King County engine, a Rent search to the rentals engine of its
// currency, with the renter's fields (camelCase) as the core's preferences; an
// Invest search to the investors' engine (`investment` profile), with the
// investor's thresholds and mortgage terms as fractions, and each card carries
// the result's investment metrics. Cards marked "More like this" come as
// `similarTo` ids: the engine also ranks by likeness to them.
import type { Preferences } from '@mira/core'
import { CLIENT_ERRORS, engineFor, isMiraError, toCard, withCatalogIds, type RentalRecommendation } from '@/lib/cards'
import { fieldOfMessage, parseSearchRequest, type ApiError, type SearchResponse } from '@/lib/search'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

const RESULTS = 3

function reply(body: SearchResponse, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
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
    const loaded = engineFor(parsed.mode, parsed.mode === 'rent' ? (parsed.preferences.currency ?? 'INR') : undefined)
    if ('error' in loaded) return reply({ error: { code: 'BAD_REQUEST', message: loaded.error, field: 'currency' } }, 400)
    const { engine, catalog } = loaded
    // The renting and investing fields are the core's preference names in camelCase;
    // "More like this" sends card ids, which become the catalog's ids.
    const prefs = withCatalogIds(catalog, parsed.preferences) as Preferences
    const recs: RentalRecommendation[] = await engine.recommendAsync(prefs, RESULTS)
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
