// Display helpers shared by the server (route handler) and the browser.
// Pure functions: unit-tested in test/format.test.mjs.

const formatters = new Map<string, Intl.NumberFormat>()

/** Whole units of `currency` with its symbol, thousands grouped as the engine's reasons do (`₹38,000`). */
function money(currency: string): Intl.NumberFormat {
  const code = currency.toUpperCase()
  let f = formatters.get(code)
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: code,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    })
    formatters.set(code, f)
  }
  return f
}

/**
 * `450000` → `"$450,000"`; `(38000, 'INR')` → `"₹38,000"` (whole units,
 * rounded, with the currency's symbol: `Intl.NumberFormat` with the listing's
 * currency, US dollars by default); `"—"` when there is no finite price.
 */
export function formatPrice(value: number | null | undefined, currency = 'USD'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—'
  // + 0 turns a -0 (from rounding a tiny negative) into 0, so it never prints "-$0"
  return money(currency).format(Math.round(value) + 0)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `"2022-06-28"` → `"28 Jun"` (as the engine writes days); `null` when it is not a `YYYY-MM-DD` date. */
export function formatDay(iso: string | null | undefined): string | null {
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null
  if (!m) return null
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  return `${day} ${MONTHS[month - 1]}`
}

/** What a rental card needs to show its rent. */
export interface RentFacts {
  listedPrice: number
  currency: string
  rentPeriod?: 'month' | 'week' | 'night' | null
  rentPerMonth?: number | null
}

/**
 * A rental's rent: per month when the engine gave `rentPerMonth`
 * (`"₹39,000/month"`), else the listed price with its own period
 * (`"₹9,000/week"`; a rental without a period is rent per month).
 */
export function formatRent(rent: RentFacts): string {
  if (typeof rent.rentPerMonth === 'number' && Number.isFinite(rent.rentPerMonth)) {
    return `${formatPrice(rent.rentPerMonth, rent.currency)}/month`
  }
  return `${formatPrice(rent.listedPrice, rent.currency)}/${rent.rentPeriod ?? 'month'}`
}

/**
 * When a rental can be moved into: `"Available from 28 Jun"`,
 * `"Available 1 Jul – 31 Oct"`, `"Available until 31 Aug"`, or
 * `"Availability unknown"` (never assumed).
 */
export function formatAvailability(from: string | null | undefined, until: string | null | undefined): string {
  const start = formatDay(from)
  const end = formatDay(until)
  if (start && end) return `Available ${start} – ${end}`
  if (start) return `Available from ${start}`
  if (end) return `Available until ${end}`
  return 'Availability unknown'
}

/** `"semi_furnished"` → `"Semi-furnished"`; `null` when unknown. */
export function formatFurnishing(value: string | null | undefined): string | null {
  switch (value) {
    case 'furnished':
      return 'Furnished'
    case 'semi_furnished':
      return 'Semi-furnished'
    case 'unfurnished':
      return 'Unfurnished'
    default:
      return null
  }
}

/** A 0–100 score as a whole number: `97.94` → `"98"`. */
export function formatScore(score: number | null | undefined): string {
  if (typeof score !== 'number' || !Number.isFinite(score)) return '—'
  return String(Math.round(Math.min(100, Math.max(0, score))))
}

/** `"3 bd · 2.5 ba · 2,770 sq ft"`, leaving out what is unknown. */
export function formatFacts(facts: { bedrooms?: number | null; bathrooms?: number | null; sizeSqft?: number | null }): string {
  const parts: string[] = []
  if (typeof facts.bedrooms === 'number') parts.push(`${facts.bedrooms} bd`)
  if (typeof facts.bathrooms === 'number') parts.push(`${facts.bathrooms} ba`)
  if (typeof facts.sizeSqft === 'number') parts.push(`${facts.sizeSqft.toLocaleString('en-US')} sq ft`)
  return parts.join(' · ')
}

const percent = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 1 })

/**
 * A fraction as a percentage with at most one decimal and a space before
 * the sign, as the engine's reasons write it: `0.075` → `"7.5 %"`,
 * `0.07` → `"7 %"`, `0.0463125` → `"4.6 %"`, `-0.0625` → `"-6.3 %"`;
 * `"—"` when not a finite number.
 */
export function formatPercent(fraction: number | null | undefined): string {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction)) return '—'
  // Tenths of a per cent, halves away from zero (-6.25 % → -6.3 %); + 0 turns
  // a -0 (from rounding a tiny negative) into 0.
  const tenths = Math.sign(fraction) * Math.round(Math.abs(fraction) * 1000) + 0
  return `${percent.format(tenths / 10)} %`
}

/** An Invest card's yield line: `0.075` → `"Gross yield 7.5 %"`. */
export function formatGrossYield(grossYield: number | null | undefined): string {
  return `Gross yield ${formatPercent(grossYield)}`
}

/**
 * A monthly cash flow in whole units of `currency`, signed: `-478.87` →
 * `"−$479/month"` (a real minus sign), `310.2` → `"+$310/month"`, and
 * `"$0/month"` for anything that rounds to zero.
 */
export function formatMonthlyCashFlow(value: number | null | undefined, currency = 'USD'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—'
  const whole = Math.round(value) + 0
  const sign = whole > 0 ? '+' : whole < 0 ? '−' : ''
  return `${sign}${formatPrice(Math.abs(whole), currency)}/month`
}

/** An Invest card's cash-flow line: `"Cash flow −$479/month"`. */
export function formatCashFlow(value: number | null | undefined, currency = 'USD'): string {
  return `Cash flow ${formatMonthlyCashFlow(value, currency)}`
}
