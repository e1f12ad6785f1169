// The search request: what the form sends, how the server turns it into
// @mira/core preferences, and the response shapes. Pure (no @mira/core import
// at run time), so the browser bundle and the unit tests can use it.
//
// This layer only checks *shapes* (a number is a number, an amenity is one of
// the checkboxes). Ranges and meaning (budget > 0, a school rating within
// 0–10, ...) are the engine's to judge: its MIRA_* errors come back to the
// form as they are, so the buyer reads the core's own message.
import type { Preferences } from '@mira/core'

export const AMENITIES = [
  { value: 'view', label: 'View' },
  { value: 'waterfront', label: 'Waterfront' },
  { value: 'pool', label: 'Pool' },
  { value: 'garage', label: 'Garage' },
  { value: 'garden', label: 'Garden' },
] as const

export type Amenity = (typeof AMENITIES)[number]['value']

/** The form's fields, as the browser sends them (inputs give strings). */
export interface SearchForm {
  budget: string
  location: string
  minBedrooms: string
  maxCommuteTime: string
  minSchoolRating: string
  amenities: Amenity[]
  /** Only homes with every checked amenity (a hard filter) instead of preferring them. */
  mustHave: boolean
}

export type NumberField = 'budget' | 'minBedrooms' | 'maxCommuteTime' | 'minSchoolRating'
export type FormField = keyof SearchForm

/** The visible label of each field (also used in error messages). */
export const FIELD_LABELS: Record<FormField, string> = {
  budget: 'Budget',
  location: 'Location',
  minBedrooms: 'Minimum bedrooms',
  maxCommuteTime: 'Maximum commute (minutes)',
  minSchoolRating: 'Minimum school rating',
  amenities: 'Amenities',
  mustHave: 'Only homes with every checked amenity',
}

export const EMPTY_FORM: SearchForm = {
  budget: '',
  location: '',
  minBedrooms: '',
  maxCommuteTime: '',
  minSchoolRating: '',
  amenities: [],
  mustHave: false,
}

/** One result card, JSON as the route handler sends it. */
export interface HomeCard {
  id: string
  title: string
  location: string | null
  imageUrl: string | null
  listedPrice: number
  predictedPrice: number
  priceSource: 'listed' | 'model'
  score: number
  reasons: string[]
  bedrooms: number | null
  bathrooms: number | null
  sizeSqft: number | null
}

export interface ApiError {
  /** `MIRA_*` from the engine, `BAD_REQUEST` from this layer, `INTERNAL` otherwise. */
  code: string
  message: string
  /** The form field the error is about, when known. */
  field?: FormField
}

export type SearchResponse = { results: HomeCard[] } | { error: ApiError }

export type ParseResult = { ok: true; preferences: Preferences } | { ok: false; error: ApiError }

const NUMBER_FIELDS: NumberField[] = ['budget', 'minBedrooms', 'maxCommuteTime', 'minSchoolRating']
const KNOWN = new Set<string>(Object.keys(EMPTY_FORM))
const AMENITY_VALUES = new Set<string>(AMENITIES.map((a) => a.value))
const MAX_LOCATION = 200

function bad(message: string, field?: FormField): ParseResult {
  return { ok: false, error: field ? { code: 'BAD_REQUEST', message, field } : { code: 'BAD_REQUEST', message } }
}

/**
 * A number field: `""`, `null` or absent → not given; a number or a numeric
 * string → that number; anything else → `Error`-like result.
 */
export function parseNumber(value: unknown): { ok: true; value: number | undefined } | { ok: false } {
  if (value === undefined || value === null) return { ok: true, value: undefined }
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false }
  if (typeof value !== 'string') return { ok: false }
  const text = value.trim().replace(/^\$/, '').replace(/,/g, '')
  if (text === '') return { ok: true, value: undefined }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return { ok: false }
  const n = Number(text)
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false }
}

/** The request body (JSON of a `SearchForm`, every key optional) → engine preferences. */
export function parseSearchRequest(body: unknown): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return bad('The request must be a JSON object of search fields.')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) return bad(`Unknown search field "${key}".`)
  }

  const prefs: Preferences = {}
  for (const field of NUMBER_FIELDS) {
    const parsed = parseNumber(input[field])
    if (!parsed.ok) return bad(`${FIELD_LABELS[field]} must be a number.`, field)
    if (parsed.value !== undefined) prefs[field] = parsed.value
  }

  const location = input.location
  if (location !== undefined && location !== null) {
    if (typeof location !== 'string') return bad('Location must be text.', 'location')
    const trimmed = location.trim()
    if (trimmed.length > MAX_LOCATION) return bad(`Location is too long (at most ${MAX_LOCATION} characters).`, 'location')
    if (trimmed) prefs.location = trimmed
  }

  const amenities = input.amenities ?? []
  if (!Array.isArray(amenities) || amenities.some((a) => typeof a !== 'string' || !AMENITY_VALUES.has(a))) {
    return bad(`Amenities must be among: ${AMENITIES.map((a) => a.label).join(', ')}.`, 'amenities')
  }
  const mustHave = input.mustHave ?? false
  if (typeof mustHave !== 'boolean') return bad('The must-have switch must be true or false.', 'mustHave')

  const unique = [...new Set(amenities as string[])]
  if (unique.length > 0) {
    // Preferred amenities raise the score; must-have ones also filter out every home without them.
    prefs.preferredAmenities = unique
    if (mustHave) prefs.mustHaveAmenities = unique
  }
  return { ok: true, preferences: prefs }
}

/**
 * Which form field an engine message is about: the core names the field as
 * it was given (`preferences: field \`minSchoolRating\` = 11: ...`).
 */
export function fieldOfMessage(message: string): FormField | undefined {
  const m = /field `([A-Za-z]+)`/.exec(message)
  if (!m) return undefined
  const name = m[1]
  if (name === 'preferredAmenities' || name === 'mustHaveAmenities') return 'amenities'
  return KNOWN.has(name) ? (name as FormField) : undefined
}
