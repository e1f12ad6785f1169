// POST /api/recommend: the form's fields (JSON) → up to 3 home cards.
// The engine (lib/engine.ts) runs in this Node.js server process; the ranking
// itself runs off the JavaScript thread (`recommendAsync`).
import type { Listing, MiraError, Recommendation } from '@mira/core'
import { getEngine } from '@/lib/engine'
import { fieldOfMessage, parseSearchRequest, type ApiError, type HomeCard, type SearchResponse } from '@/lib/search'

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

function toCard(rec: Recommendation, listing: Listing | null): HomeCard {
  return {
    id: String(rec.id),
    title: listing?.title ?? `Home ${rec.id}`,
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
    const { engine, catalog } = getEngine()
    const recs = await engine.recommendAsync(parsed.preferences, RESULTS)
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
