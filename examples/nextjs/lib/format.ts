// Display helpers shared by the server (route handler) and the browser.
// Pure functions: unit-tested in test/format.test.mjs.

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
})

/** `450000` → `"$450,000"` (whole dollars, rounded); `"—"` when there is no finite price. */
export function formatPrice(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—'
  // + 0 turns a -0 (from rounding a tiny negative) into 0, so it never prints "-$0"
  return usd.format(Math.round(value) + 0)
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
