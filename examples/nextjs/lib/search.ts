// The search request: what the form sends, how the server turns it into
// @mira/core preferences, and the response shapes. Pure (no @mira/core import
// at run time), so the browser bundle and the unit tests can use it.
//
// This layer only checks *shapes* (a number is a number, an amenity is one of
// the checkboxes). Ranges and meaning (budget > 0, a school rating within
// 0–10, ...) are the engine's to judge: its MIRA_* errors come back to the
// form as they are, so the buyer reads the core's own message.
import type { Preferences } from '@mira/core'

/**
 * Buying (the King County sales, in US dollars), renting (the rentals
 * fixture, in the chosen currency) or investing (the King County sales and
 * the hand-written investment listings with their rent, in US dollars,
 * ranked by the core's `investment` profile).
 */
export type Mode = 'buy' | 'rent' | 'invest'
export const MODES: ReadonlyArray<{ value: Mode; label: string }> = [
  { value: 'buy', label: 'Buy' },
  { value: 'rent', label: 'Rent' },
  { value: 'invest', label: 'Invest' },
]

/** The period a renter's budget is for (the engine converts listings' rents to it). */
export type BudgetPeriod = 'month' | 'week' | 'night'
export const BUDGET_PERIODS: ReadonlyArray<{ value: BudgetPeriod; label: string }> = [
  { value: 'month', label: 'per month' },
  { value: 'week', label: 'per week' },
  { value: 'night', label: 'per night' },
]

export type RentalType = 'long_term_rent' | 'short_term_rent'
export const RENTAL_TYPES: ReadonlyArray<{ value: RentalType; label: string }> = [
  { value: 'long_term_rent', label: 'Long-term' },
  { value: 'short_term_rent', label: 'Short-term' },
]

export type Furnishing = 'furnished' | 'semi_furnished' | 'unfurnished'
export const FURNISHINGS: ReadonlyArray<{ value: Furnishing; label: string }> = [
  { value: 'furnished', label: 'Furnished' },
  { value: 'semi_furnished', label: 'Semi-furnished' },
  { value: 'unfurnished', label: 'Unfurnished' },
]

/**
 * The currencies a renter can search in: the rentals fixture prices Mumbai
 * and Pune in rupees and Seattle in dollars. Prices in different currencies
 * are never compared, so the server keeps one rentals catalog per currency.
 */
export const RENT_CURRENCIES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'INR', label: '₹ Indian rupee (INR)' },
  { value: 'USD', label: '$ US dollar (USD)' },
]

/**
 * What the engine receives for a renter: `Preferences` plus the renting
 * fields (the same names, camelCase, as the core's preferences).
 */
export type SearchPreferences = Preferences & {
  budgetPeriod?: BudgetPeriod
  moveIn?: string
  leaseMonths?: number
  furnishing?: Furnishing
  pets?: boolean
  currency?: string
} & InvestPreferences

/**
 * The investor's preferences (the core's names, camelCase): rates and shares
 * as fractions (`0.065` for 6.5 %), as the core takes them.
 */
export interface InvestPreferences {
  /** Least gross yield (12 × rent ÷ price): a hard filter. */
  minGrossYield?: number
  /** Yearly mortgage rate: with it each result's metrics include the monthly cash flow. */
  mortgageRate?: number
  /** Share of the price paid in cash (the core's default 0.2). */
  downPayment?: number
  /** Mortgage term in years (the core's default 30). */
  mortgageYears?: number
}

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
  /** Buy or Rent (the switch on top of the form); absent means buy. */
  mode: Mode
  budget: string
  location: string
  minBedrooms: string
  maxCommuteTime: string
  minSchoolRating: string
  amenities: Amenity[]
  /** Only homes with every checked amenity (a hard filter) instead of preferring them. */
  mustHave: boolean
  // Renting (mode 'rent' only):
  rentalType: RentalType
  budgetPeriod: BudgetPeriod
  currency: string
  /** `YYYY-MM-DD` (what `<input type="date">` gives) or empty. */
  moveIn: string
  leaseMonths: string
  furnishing: Furnishing | ''
  /** The renter has pets: only homes that allow them. */
  pets: boolean
  // Investing (mode 'invest' only); the form takes percentages, the core fractions:
  /** Minimum gross yield, in % (`7.5` → `minGrossYield: 0.075`). */
  minGrossYield: string
  /** Mortgage rate per year, in % (`6.5` → `mortgageRate: 0.065`). */
  mortgageRate: string
  /** Down payment, in % of the price (`20` → `downPayment: 0.2`). */
  downPayment: string
  /** Mortgage term in years. */
  mortgageYears: string
  /**
   * Ids of the result cards marked “More like this” (every mode): the
   * engine then also ranks by likeness to them (`similarTo.ids`, their mean
   * vector; the `similarity` component). Ids of the mode's catalog.
   */
  similarTo: string[]
}

export type NumberField = 'budget' | 'minBedrooms' | 'maxCommuteTime' | 'minSchoolRating'
export type FormField = keyof SearchForm

/** Fields that only make sense when buying (hidden, and refused, in Rent and Invest). */
export const BUY_ONLY: ReadonlyArray<FormField> = ['maxCommuteTime', 'minSchoolRating', 'amenities', 'mustHave']
/** Fields that only make sense when renting (hidden, and refused, in Buy and Invest). */
export const RENT_ONLY: ReadonlyArray<FormField> = ['rentalType', 'budgetPeriod', 'currency', 'moveIn', 'leaseMonths', 'furnishing', 'pets']
/** Fields that only make sense when investing (hidden, and refused, in Buy and Rent). */
export const INVEST_ONLY: ReadonlyArray<FormField> = ['minGrossYield', 'mortgageRate', 'downPayment', 'mortgageYears']
/** Fields the Invest form does not show (and refuses when they ask for something). */
export const NOT_INVEST: ReadonlyArray<FormField> = [...BUY_ONLY, ...RENT_ONLY, 'minBedrooms']

/** The fields a mode hides (and refuses when they ask for something). */
export function hiddenFields(mode: Mode): ReadonlyArray<FormField> {
  if (mode === 'rent') return [...BUY_ONLY, ...INVEST_ONLY]
  if (mode === 'invest') return NOT_INVEST
  return [...RENT_ONLY, ...INVEST_ONLY]
}

/** The mode a hidden field belongs to, for the message refusing it. */
function ownerOf(field: FormField): { doing: string; mode: string } {
  if (RENT_ONLY.includes(field)) return { doing: 'renting', mode: 'Rent' }
  if (INVEST_ONLY.includes(field)) return { doing: 'investing', mode: 'Invest' }
  return { doing: 'buying', mode: 'Buy' }
}

/** The visible label of each field (also used in error messages). */
export const FIELD_LABELS: Record<FormField, string> = {
  mode: 'Buy or rent',
  budget: 'Budget',
  location: 'Location',
  minBedrooms: 'Minimum bedrooms',
  maxCommuteTime: 'Maximum commute (minutes)',
  minSchoolRating: 'Minimum school rating',
  amenities: 'Amenities',
  mustHave: 'Only homes with every checked amenity',
  rentalType: 'Rental type',
  budgetPeriod: 'Budget period',
  currency: 'Currency',
  moveIn: 'Move-in date',
  leaseMonths: 'Lease (months)',
  furnishing: 'Furnishing',
  pets: 'I have pets',
  minGrossYield: 'Minimum gross yield (%)',
  mortgageRate: 'Mortgage rate (%)',
  downPayment: 'Down payment (%)',
  mortgageYears: 'Mortgage term (years)',
  similarTo: 'More like this',
}

export const EMPTY_FORM: SearchForm = {
  mode: 'buy',
  budget: '',
  location: '',
  minBedrooms: '',
  maxCommuteTime: '',
  minSchoolRating: '',
  amenities: [],
  mustHave: false,
  rentalType: 'long_term_rent',
  budgetPeriod: 'month',
  currency: 'INR',
  moveIn: '',
  leaseMonths: '',
  furnishing: '',
  pets: false,
  minGrossYield: '',
  mortgageRate: '',
  downPayment: '',
  mortgageYears: '',
  similarTo: [],
}

/**
 * The JSON body the browser sends for a form: the fields of its mode only
 * (a Buy search does not carry a hidden move-in date, nor a Rent search the
 * hidden amenities), and `similarTo` only when a home is marked “More like
 * this”.
 */
export function requestBody(form: SearchForm): Partial<SearchForm> {
  const hidden = new Set<FormField>(hiddenFields(form.mode))
  const body: Partial<SearchForm> = {}
  for (const key of Object.keys(form) as FormField[]) {
    if (!hidden.has(key)) (body as Record<string, unknown>)[key] = form[key]
  }
  // Sent only when some home is marked “More like this”.
  if (form.similarTo.length === 0) delete body.similarTo
  return body
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
  /** `sale`, `long_term_rent`, … (null when the listing does not say). */
  listingType: string | null
  /** ISO 4217 code of the prices on this card (the listing's; US dollars when it names none). */
  currency: string
  /** For a rental: the period `listedPrice` is rent for. */
  rentPeriod: BudgetPeriod | null
  /** For a rental: its rent for a month, from the engine when it says (else null). */
  rentPerMonth: number | null
  availableFrom: string | null
  availableUntil: string | null
  furnishing: Furnishing | null
  petsAllowed: boolean | null
  /** A sale's investment metrics (Invest mode), null without a rent estimate. */
  metrics: CardMetrics | null
}

/** What an Invest card shows of the core's investment metrics (rates as fractions). */
export interface CardMetrics {
  /** 12 × rent ÷ price. */
  grossYield: number
  /** Net operating income ÷ price. */
  capRate: number
  /** The rent per month the metrics assume, in the card's currency. */
  estimatedRent: number
  /** `given` (the listing's own estimate) or `model` (the rent model's). */
  rentSource: 'given' | 'model'
  /** Rent after vacancy and expenses minus the mortgage payment, per month; null without a mortgage rate. */
  monthlyCashFlow: number | null
}

export interface ApiError {
  /** `MIRA_*` from the engine, `BAD_REQUEST` from this layer, `INTERNAL` otherwise. */
  code: string
  message: string
  /** The form field the error is about, when known. */
  field?: FormField
}

export type SearchResponse = { results: HomeCard[] } | { error: ApiError }

export type ParseResult =
  | { ok: true; mode: Mode; preferences: SearchPreferences }
  | { ok: false; error: ApiError }

const NUMBER_FIELDS: NumberField[] = ['budget', 'minBedrooms', 'maxCommuteTime', 'minSchoolRating']
const KNOWN = new Set<string>(Object.keys(EMPTY_FORM))
const AMENITY_VALUES = new Set<string>(AMENITIES.map((a) => a.value))
const MAX_LOCATION = 200
/** The most homes a search may mark “More like this”, and the longest id. */
export const MAX_SIMILAR_TO = 10
const MAX_ID = 200
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/

/** `value` if it is one of `options`' values; `undefined` for absent/empty; `false` for anything else. */
function choice<T extends string>(value: unknown, options: ReadonlyArray<{ value: T }>): T | undefined | false {
  if (value === undefined || value === null || value === '') return undefined
  return options.some((o) => o.value === value) ? (value as T) : false
}

/** Whether a field's value asks for nothing: absent, null, empty, or the form's default. */
function isBlank(value: unknown, blank: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === blank) return true
  return Array.isArray(value) && value.length === 0
}

function labels(options: ReadonlyArray<{ label: string }>): string {
  return options.map((o) => o.label).join(', ')
}

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
  const mode = choice(input.mode, MODES) ?? 'buy'
  if (mode === false) return bad('Choose Buy, Rent or Invest.', 'mode')
  for (const key of hiddenFields(mode)) {
    // The whole form may be sent: the other modes' fields are fine while they
    // hold their blank defaults, refused when they ask for something.
    if (!isBlank(input[key], EMPTY_FORM[key])) {
      if (key === 'minBedrooms') return bad(`“${FIELD_LABELS[key]}” is for buying or renting: switch to Buy or Rent to use it.`, key)
      const owner = ownerOf(key)
      return bad(`“${FIELD_LABELS[key]}” is for ${owner.doing}: switch to ${owner.mode} to use it.`, key)
    }
  }

  const prefs: SearchPreferences = {}
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
  const liked = input.similarTo ?? []
  if (!Array.isArray(liked) || liked.some((id) => typeof id !== 'string' || id.trim() === '' || id.length > MAX_ID)) {
    return bad('“More like this” must be a list of listing ids.', 'similarTo')
  }
  const likedIds = [...new Set(liked as string[])]
  if (likedIds.length > MAX_SIMILAR_TO) {
    return bad(`At most ${MAX_SIMILAR_TO} homes can be marked “More like this”.`, 'similarTo')
  }
  // Card ids are strings; the route turns each into the catalog's id (a number for King County).
  if (likedIds.length > 0) prefs.similarTo = { ids: likedIds }

  if (mode === 'buy') return { ok: true, mode, preferences: prefs }
  if (mode === 'invest') return parseInvesting(input, prefs)
  return parseRenting(input, prefs)
}

/** The percentage fields of the Invest form and the core's fraction each becomes. */
const PERCENT_FIELDS = ['minGrossYield', 'mortgageRate', 'downPayment'] as const

/**
 * `"6.5"` (per cent) → `0.065`. Divided, not multiplied by 0.01, so a
 * percentage written with up to a few decimals gives the fraction as it is
 * written (`7.5 / 100` is `0.075`, while `7.5 * 0.01` is `0.075000…01`).
 */
export function percentToFraction(percent: number): number {
  return percent / 100
}

/**
 * The investor's fields (mode 'invest'), added to the shared ones in
 * `prefs`: percentages become fractions; every listing is in US dollars
 * (King County and the investment fixture), so the currency is said.
 * Ranges (a rate below 100 %, a term of 1–50 years, a down payment without
 * a rate) are the engine's to judge.
 */
function parseInvesting(input: Record<string, unknown>, prefs: SearchPreferences): ParseResult {
  const out: SearchPreferences = { ...prefs, currency: 'USD' }
  for (const field of PERCENT_FIELDS) {
    const parsed = parseNumber(typeof input[field] === 'string' ? (input[field] as string).replace(/%\s*$/, '') : input[field])
    if (!parsed.ok) return bad(`${FIELD_LABELS[field]} must be a number.`, field)
    if (parsed.value !== undefined) out[field] = percentToFraction(parsed.value)
  }
  const years = parseNumber(input.mortgageYears)
  if (!years.ok) return bad(`${FIELD_LABELS.mortgageYears} must be a number.`, 'mortgageYears')
  if (years.value !== undefined) out.mortgageYears = years.value
  return { ok: true, mode: 'invest', preferences: out }
}

/** The renter's fields (mode 'rent'), added to the shared ones in `prefs`. */
function parseRenting(input: Record<string, unknown>, prefs: SearchPreferences): ParseResult {
  const rentalType = choice(input.rentalType, RENTAL_TYPES) ?? 'long_term_rent'
  if (rentalType === false) return bad(`Rental type must be one of: ${labels(RENTAL_TYPES)}.`, 'rentalType')
  const budgetPeriod = choice(input.budgetPeriod, BUDGET_PERIODS) ?? 'month'
  if (budgetPeriod === false) return bad(`Budget period must be one of: ${labels(BUDGET_PERIODS)}.`, 'budgetPeriod')
  const currency = choice(input.currency, RENT_CURRENCIES) ?? 'INR'
  if (currency === false) {
    return bad(`Currency must be one of: ${RENT_CURRENCIES.map((c) => c.value).join(', ')}.`, 'currency')
  }
  const furnishing = choice(input.furnishing, FURNISHINGS)
  if (furnishing === false) return bad(`Furnishing must be one of: ${labels(FURNISHINGS)}.`, 'furnishing')

  const moveIn = input.moveIn ?? ''
  if (typeof moveIn !== 'string' || (moveIn.trim() !== '' && !DATE_SHAPE.test(moveIn.trim()))) {
    return bad('Move-in date must be a date written YYYY-MM-DD.', 'moveIn')
  }
  const lease = parseNumber(input.leaseMonths)
  if (!lease.ok) return bad('Lease (months) must be a number.', 'leaseMonths')
  const pets = input.pets ?? false
  if (typeof pets !== 'boolean') return bad('The pets switch must be true or false.', 'pets')

  const out: SearchPreferences = { listingType: rentalType, ...prefs, currency }
  if (out.budget !== undefined) out.budgetPeriod = budgetPeriod
  if (moveIn.trim()) out.moveIn = moveIn.trim()
  if (lease.value !== undefined) out.leaseMonths = lease.value
  if (furnishing) out.furnishing = furnishing
  // No pets: no requirement (not "must not allow pets").
  if (pets) out.pets = true
  return { ok: true, mode: 'rent', preferences: out }
}

/**
 * Which form field an engine message is about: the core names the field as
 * it was given (`preferences: field \`minSchoolRating\` = 11: ...`).
 */
export function fieldOfMessage(message: string): FormField | undefined {
  // The field's own name, also when the core names a part of it (`similarTo.ids[0]`).
  const m = /field `([A-Za-z]+)[`.[]/.exec(message)
  if (!m) return undefined
  const name = m[1]
  if (name === 'preferredAmenities' || name === 'mustHaveAmenities') return 'amenities'
  if (name === 'listingType') return 'rentalType'
  return KNOWN.has(name) && name !== 'mode' ? (name as FormField) : undefined
}
