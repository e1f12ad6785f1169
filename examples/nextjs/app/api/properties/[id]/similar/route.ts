// GET /api/properties/[id]/similar?mode=&k=&listingType=&propertyTypes=&maxPrice=&currency=
// "Homes like this": the `k` (default 3) listings most like listing `id`
// (itself excluded), best first, as the same cards as POST /api/recommend,
// from @mira/core's `engine.similarAsync(id, k, filters)` (on libuv's worker
// pool, as the search). `mode` (buy, rent,
// invest; default buy) picks the engine as the search form does (rent: the
// rentals catalog of `currency`, default INR); the other parameters are the
// engine's filters. Similarity is the cosine of the listings' vectors: their
// own `embedding` when the data carries one, else the core's structured
// embedding (README, "Homes like this").
//
// 404: no listing has that id. 400: a malformed parameter (this layer), or
// the engine's own message naming the field (`k` over its limit, an unknown
// listing type, `maxPrice` ≤ 0, an unknown filter with a suggestion).
import { engineFor, isMiraError, similarHomes } from '@/lib/cards'
import { parseSimilarQuery, type SimilarResponse } from '@/lib/similar'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

function reply(body: SimilarResponse, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
}

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  const query = parseSimilarQuery(new URL(request.url).searchParams)
  if (!query.ok) return reply({ error: query.error }, 400)
  try {
    const loaded = engineFor(query.mode, query.filters.currency)
    if ('error' in loaded) return reply({ error: { code: 'BAD_REQUEST', message: loaded.error, field: 'currency' } }, 400)
    const answer = await similarHomes(loaded, id, query.k, query.filters)
    return reply(answer.body, answer.status)
  } catch (e) {
    console.error(`GET /api/properties/${id}/similar failed:`, isMiraError(e) ? `${e.code}: ${e.message}` : e)
    return reply({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' } }, 500)
  }
}
