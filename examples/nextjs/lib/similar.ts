// "Homes like this": the query of `GET /api/properties/[id]/similar`, how the
// server turns it into @mira/core's `engine.similar(id, k, filters)`
// arguments, and the response shape. Pure (no @mira/core import at run
// time), so the browser bundle and the unit tests can use it.
//
// As for the search form, this layer only checks *shapes* (`k` is a whole
// number, `maxPrice` a number, `mode` one of the app's modes). Ranges and
// meaning (a listing type the core knows, `k` within the engine's limit, a
// price > 0, an unknown filter) are the engine's to judge: its message comes
// back as it is, naming the field.
import type { HomeCard, Mode } from './search'

/** How many similar homes the route returns when the query has no `k`. */
export const SIMILAR_DEFAULT_K = 3

/** The query parameters the route reads itself; every other one is an engine filter. */
export const SIMILAR_ROUTE_PARAMS = ['mode', 'k'] as const

/**
 * The engine's filters (`engine.similar`'s third argument, camelCase as the
 * Node binding takes them). Unknown keys are passed on, so that the engine
 * refuses them with its suggestion (`maxPrise` → did you mean `maxPrice`?).
 */
export interface SimilarQueryFilters {
  /** `sale`, `long_term_rent`, `short_term_rent`: listings of another type are out. */
  listingType?: string
  /** Acceptable property types (`sfh`, `condo`, …); the query gives them comma-separated. */
  propertyTypes?: string[]
  /** The most a listing may cost (a rental: its rent per month), in `currency`. */
  maxPrice?: number
  /** ISO 4217 code; for `mode=rent` it also picks the rentals catalog (default `INR`). */
  currency?: string
  /** Any other parameter, as given (the engine refuses it). */
  [other: string]: unknown
}

/** An error of this route: `BAD_REQUEST` (shape), `NOT_FOUND` (no such listing), `MIRA_*` (the engine's), `INTERNAL`. */
export interface SimilarError {
  code: string
  message: string
  /** The query parameter (or `id`) the error is about, when known. */
  field?: string
}

/** The route's answer: the listing asked about and its similar homes (best first), or an error. */
export type SimilarResponse = { id: string; results: HomeCard[] } | { error: SimilarError }

export type SimilarQuery =
  | { ok: true; mode: Mode; k: number; filters: SimilarQueryFilters }
  | { ok: false; error: SimilarError }

const MODE_VALUES: ReadonlyArray<Mode> = ['buy', 'rent', 'invest']
const WHOLE = /^\d+$/

function bad(message: string, field: string): SimilarQuery {
  return { ok: false, error: { code: 'BAD_REQUEST', message, field } }
}

/**
 * The route's query → mode, `k` and the engine's filters. Empty parameters
 * are not given; `propertyTypes` may be comma-separated and/or repeated;
 * a parameter given twice (other than `propertyTypes`) is refused.
 */
export function parseSimilarQuery(params: URLSearchParams): SimilarQuery {
  const seen = new Set<string>()
  const filters: SimilarQueryFilters = {}
  let mode: Mode = 'buy'
  let k = SIMILAR_DEFAULT_K
  for (const [name, raw] of params) {
    const value = raw.trim()
    if (name !== 'propertyTypes') {
      if (seen.has(name)) return bad(`“${name}” is given twice.`, name)
      seen.add(name)
    }
    if (value === '') continue
    if (name === 'mode') {
      if (!(MODE_VALUES as ReadonlyArray<string>).includes(value)) {
        return bad(`mode must be one of: ${MODE_VALUES.join(', ')}.`, 'mode')
      }
      mode = value as Mode
    } else if (name === 'k') {
      if (!WHOLE.test(value)) return bad('k (how many homes) must be a whole number.', 'k')
      k = Number(value)
    } else if (name === 'maxPrice') {
      const n = Number(value)
      if (!Number.isFinite(n)) return bad('maxPrice must be a number.', 'maxPrice')
      filters.maxPrice = n
    } else if (name === 'propertyTypes') {
      const types = value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
      filters.propertyTypes = [...(filters.propertyTypes ?? []), ...types]
    } else if (name === 'currency') {
      filters.currency = value.toUpperCase()
    } else {
      filters[name] = value
    }
  }
  return { ok: true, mode, k, filters }
}

/**
 * The URL the browser fetches for the homes like `id`: the mode of the
 * search the card came from, plus the filters given (empty ones left out).
 */
export function similarUrl(id: string, mode: Mode, filters: { k?: number; listingType?: string; currency?: string; maxPrice?: number } = {}): string {
  const q = new URLSearchParams()
  if (mode !== 'buy') q.set('mode', mode)
  if (filters.k !== undefined) q.set('k', String(filters.k))
  if (filters.listingType) q.set('listingType', filters.listingType)
  if (filters.currency) q.set('currency', filters.currency)
  if (filters.maxPrice !== undefined) q.set('maxPrice', String(filters.maxPrice))
  const query = q.toString()
  return `/api/properties/${encodeURIComponent(id)}/similar${query ? `?${query}` : ''}`
}

/**
 * The field an engine message is about (`similar filters: field \`maxPrice\`
 * = -1: …` → `maxPrice`; `similar filters: unknown field \`maxPrise\` …` →
 * `maxPrise`; a part of a field, `similarTo.ids[0]` → `similarTo`), or
 * undefined.
 */
export function fieldOfEngineMessage(message: string): string | undefined {
  const m = /field `([A-Za-z_][A-Za-z0-9_]*)[`.[]/.exec(message)
  return m ? m[1] : undefined
}

/**
 * The listing id an URL segment names, in the forms to try: a canonical
 * whole number up to 2^53 − 1 is first the integer id, then the string
 * (`"7129300520"` → `[7129300520, "7129300520"]`); anything else is a
 * string id (bigger integers travel as strings in the Node binding).
 */
export function idCandidates(segment: string): Array<number | string> {
  const canonical = /^(0|[1-9]\d*)$/.test(segment) && Number.isSafeInteger(Number(segment))
  return canonical ? [Number(segment), segment] : [segment]
}
