'use client'

import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react'
import {
  formatAvailability,
  formatCashFlow,
  formatFacts,
  formatFurnishing,
  formatGrossYield,
  formatPercent,
  formatPrice,
  formatRent,
  formatScore,
} from '@/lib/format'
import { similarUrl, type SimilarResponse } from '@/lib/similar'
import {
  AMENITIES,
  BUDGET_PERIODS,
  EMPTY_FORM,
  FIELD_LABELS,
  FURNISHINGS,
  MODES,
  RENT_CURRENCIES,
  RENTAL_TYPES,
  requestBody,
  type Amenity,
  type ApiError,
  type FormField,
  type HomeCard,
  type Mode,
  type SearchForm as Form,
  type SearchResponse,
} from '@/lib/search'

type State =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; results: HomeCard[]; search: SimilarSearch }
  | { status: 'error'; error: ApiError }

/** What "Homes like this" asks for a card: the engine of the search it came from, and its hard filters. */
interface SimilarSearch {
  mode: Mode
  /** A renter's currency (picks the rentals catalog) and rental type. */
  currency?: string
  listingType?: string
}

type SimilarState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; results: HomeCard[] }
  | { status: 'error'; message: string }

const PLACEHOLDER = '/placeholder-home.svg'

type TextField =
  | 'budget'
  | 'location'
  | 'minBedrooms'
  | 'maxCommuteTime'
  | 'minSchoolRating'
  | 'moveIn'
  | 'leaseMonths'
  | 'minGrossYield'
  | 'mortgageRate'
  | 'downPayment'
  | 'mortgageYears'
type SelectField = 'budgetPeriod' | 'currency' | 'rentalType' | 'furnishing'

interface TextSpec {
  name: TextField
  label: string
  hint?: string
  type: 'number' | 'text' | 'date'
  inputMode?: 'numeric' | 'decimal' | 'text'
  placeholder?: string
  min?: number
  step?: string
  autoComplete?: string
}

const BUY_FIELDS: TextSpec[] = [
  { name: 'budget', label: 'Budget', hint: 'US dollars', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 650000', min: 1, step: '1000' },
  { name: 'location', label: 'Location', hint: 'City, state', type: 'text', placeholder: 'e.g. Seattle, WA', autoComplete: 'address-level2' },
  { name: 'minBedrooms', label: 'Minimum bedrooms', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 3', min: 0, step: '1' },
  { name: 'maxCommuteTime', label: 'Maximum commute (minutes)', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 30', min: 0, step: '1' },
  { name: 'minSchoolRating', label: 'Minimum school rating', hint: '0–10', type: 'number', inputMode: 'decimal', placeholder: 'e.g. 7', min: 0, step: '0.5' },
]

const RENT_FIELDS: TextSpec[] = [
  { name: 'budget', label: 'Budget', hint: 'Most rent you will pay, in the currency below', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 40000', min: 1, step: '500' },
  { name: 'location', label: 'Location', hint: 'City, or area and city', type: 'text', placeholder: 'e.g. Mumbai or Bandra West, Mumbai', autoComplete: 'address-level2' },
  { name: 'minBedrooms', label: 'Minimum bedrooms', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 2', min: 0, step: '1' },
  { name: 'moveIn', label: 'Move-in date', type: 'date' },
  { name: 'leaseMonths', label: 'Lease (months)', hint: 'How long you will stay', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 11', min: 1, step: '1' },
]

const INVEST_FIELDS: TextSpec[] = [
  { name: 'budget', label: 'Budget', hint: 'US dollars', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 500000', min: 1, step: '1000' },
  { name: 'location', label: 'Location', hint: 'City, state', type: 'text', placeholder: 'e.g. Kent, WA', autoComplete: 'address-level2' },
  { name: 'minGrossYield', label: 'Minimum gross yield (%)', hint: 'Yearly rent ÷ price', type: 'number', inputMode: 'decimal', placeholder: 'e.g. 6', min: 0, step: '0.1' },
  { name: 'mortgageRate', label: 'Mortgage rate (%)', hint: 'Per year; leave empty to buy in cash', type: 'number', inputMode: 'decimal', placeholder: 'e.g. 6.5', min: 0, step: '0.05' },
  { name: 'downPayment', label: 'Down payment (%)', hint: 'Of the price; default 20', type: 'number', inputMode: 'decimal', placeholder: 'e.g. 20', min: 0, step: '1' },
  { name: 'mortgageYears', label: 'Mortgage term (years)', hint: 'Default 30', type: 'number', inputMode: 'numeric', placeholder: 'e.g. 30', min: 1, step: '1' },
]

const FIELDS_OF: Record<Mode, TextSpec[]> = { buy: BUY_FIELDS, rent: RENT_FIELDS, invest: INVEST_FIELDS }

const SELECTS: Record<SelectField, ReadonlyArray<{ value: string; label: string }>> = {
  budgetPeriod: BUDGET_PERIODS,
  currency: RENT_CURRENCIES,
  rentalType: RENTAL_TYPES,
  furnishing: [{ value: '', label: 'Any' }, ...FURNISHINGS],
}

function isRental(home: HomeCard): boolean {
  return home.listingType === 'long_term_rent' || home.listingType === 'short_term_rent'
}

export default function SearchForm() {
  const [form, setForm] = useState<Form>(EMPTY_FORM)
  const [state, setState] = useState<State>({ status: 'idle' })
  const inFlight = useRef<AbortController | null>(null)
  /** The titles of the homes marked “More like this”, by id (for the list above the results). */
  const titles = useRef(new Map<string, string>())
  const resultsRef = useRef<HTMLElement | null>(null)
  const loading = state.status === 'loading'
  const error = state.status === 'error' ? state.error : null

  function onText(e: ChangeEvent<HTMLInputElement>) {
    const name = e.target.name as TextField
    setForm((f) => ({ ...f, [name]: e.target.value }))
  }

  function onSelect(e: ChangeEvent<HTMLSelectElement>) {
    const name = e.target.name as SelectField
    setForm((f) => ({ ...f, [name]: e.target.value }))
  }

  function onMode(e: ChangeEvent<HTMLInputElement>) {
    const mode = e.target.value as Mode
    inFlight.current?.abort()
    // Homes marked “More like this” are in this mode's catalog only.
    setForm((f) => ({ ...f, mode, similarTo: [] }))
    // The other mode's results (and errors) are not about this search.
    setState({ status: 'idle' })
  }

  const renting = form.mode === 'rent'
  const investing = form.mode === 'invest'

  function onAmenity(e: ChangeEvent<HTMLInputElement>) {
    const value = e.target.value as Amenity
    const checked = e.target.checked
    setForm((f) => ({
      ...f,
      amenities: checked ? [...f.amenities.filter((a) => a !== value), value] : f.amenities.filter((a) => a !== value),
    }))
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    await runSearch(form)
  }

  /** “More like this” on a card: rank again, also by likeness to that home (and to the others marked). */
  function onMoreLike(home: HomeCard) {
    titles.current.set(home.id, home.title)
    const next = { ...form, similarTo: [...form.similarTo.filter((id) => id !== home.id), home.id] }
    setForm(next)
    void runSearch(next)
  }

  /** Stop ranking by likeness to a home marked “More like this”. */
  function onUnlike(id: string) {
    const next = { ...form, similarTo: form.similarTo.filter((x) => x !== id) }
    setForm(next)
    void runSearch(next)
  }

  async function runSearch(form: Form) {
    inFlight.current?.abort()
    const controller = new AbortController()
    inFlight.current = controller
    setState({ status: 'loading' })
    const search: SimilarSearch =
      form.mode === 'rent' ? { mode: 'rent', currency: form.currency, listingType: form.rentalType } : { mode: form.mode }
    try {
      const res = await fetch('/api/recommend', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(requestBody(form)),
        signal: controller.signal,
      })
      let body: SearchResponse | null = null
      try {
        body = (await res.json()) as SearchResponse
      } catch {
        body = null
      }
      if (controller.signal.aborted) return
      if (body && 'results' in body && res.ok) {
        setState({ status: 'done', results: body.results, search })
      } else if (body && 'error' in body) {
        setState({ status: 'error', error: body.error })
      } else {
        setState({ status: 'error', error: { code: 'INTERNAL', message: `The server answered ${res.status}. Please try again.` } })
      }
    } catch (err) {
      if (controller.signal.aborted) return
      setState({
        status: 'error',
        error: { code: 'NETWORK', message: 'Could not reach the server. Check your connection and try again.' },
      })
      console.error(err)
    } finally {
      if (inFlight.current === controller) inFlight.current = null
    }
  }

  // On a phone the results are below the form: bring them into view when they arrive.
  useEffect(() => {
    const el = resultsRef.current
    if (state.status !== 'done' || !el) return
    if (el.getBoundingClientRect().top > window.innerHeight * 0.8) {
      const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches
      el.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' })
    }
  }, [state])

  const invalid = (field: FormField) => error?.field === field

  return (
    <div className="layout">
      <form className="search" onSubmit={onSubmit} noValidate aria-describedby={error ? 'form-error' : undefined}>
        <h2 className="search-title">What are you looking for?</h2>
        <fieldset className="mode-switch">
          <legend>Buy, rent or invest</legend>
          <div className="segments">
            {MODES.map((m) => (
              <label className={`segment${form.mode === m.value ? ' segment-on' : ''}`} key={m.value}>
                <input type="radio" name="mode" value={m.value} checked={form.mode === m.value} onChange={onMode} />
                <span>{m.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="fields">
          {FIELDS_OF[form.mode].map((f) => {
            const hintId = f.hint ? `${f.name}-hint` : undefined
            const describedBy = [hintId, invalid(f.name) ? 'form-error' : undefined].filter(Boolean).join(' ') || undefined
            return (
              <div className={`field${invalid(f.name) ? ' field-invalid' : ''}`} key={f.name}>
                <label htmlFor={f.name}>{f.label}</label>
                {f.hint && (
                  <span className="hint" id={hintId}>
                    {f.hint}
                  </span>
                )}
                <input
                  id={f.name}
                  name={f.name}
                  type={f.type}
                  inputMode={f.inputMode}
                  placeholder={f.placeholder}
                  min={f.min}
                  step={f.step}
                  autoComplete={f.autoComplete ?? 'off'}
                  value={form[f.name]}
                  onChange={onText}
                  aria-invalid={invalid(f.name) || undefined}
                  aria-describedby={describedBy}
                />
                {renting && f.name === 'budget' && <SelectInput name="budgetPeriod" form={form} invalid={invalid} onChange={onSelect} />}
              </div>
            )
          })}
          {renting &&
            (['currency', 'rentalType', 'furnishing'] as const).map((name) => (
              <div className={`field${invalid(name) ? ' field-invalid' : ''}`} key={name}>
                <SelectInput name={name} form={form} invalid={invalid} onChange={onSelect} />
              </div>
            ))}
        </div>

        {investing ? null : renting ? (
          <label className={`check pets${invalid('pets') ? ' field-invalid' : ''}`}>
            <input
              type="checkbox"
              name="pets"
              checked={form.pets}
              onChange={(e) => setForm((f) => ({ ...f, pets: e.target.checked }))}
            />
            <span>I have pets (only homes that allow them)</span>
          </label>
        ) : (
          <fieldset className={`amenities${invalid('amenities') ? ' field-invalid' : ''}`}>
            <legend>Amenities</legend>
            <div className="checks">
              {AMENITIES.map((a) => (
                <label className="check" key={a.value}>
                  <input
                    type="checkbox"
                    name="amenities"
                    value={a.value}
                    checked={form.amenities.includes(a.value)}
                    onChange={onAmenity}
                  />
                  <span>{a.label}</span>
                </label>
              ))}
            </div>
            <label className="check must-have">
              <input
                type="checkbox"
                name="mustHave"
                checked={form.mustHave}
                onChange={(e) => setForm((f) => ({ ...f, mustHave: e.target.checked }))}
              />
              <span>Only show homes with every checked amenity</span>
            </label>
          </fieldset>
        )}

        {error && (
          <div className="form-error" id="form-error" role="alert">
            <strong>We couldn’t search with these details.</strong>
            {error.field && error.field in FIELD_LABELS && (
              <p>
                Please check “{FIELD_LABELS[error.field]}”.
              </p>
            )}
            <p className="form-error-detail" data-testid="error-message">
              {error.message}
            </p>
          </div>
        )}

        <div className="actions">
          <button type="submit" disabled={loading} aria-disabled={loading}>
            {loading ? 'Finding homes…' : 'Find homes'}
          </button>
        </div>
      </form>

      <section ref={resultsRef} className="results" aria-labelledby="results-heading" aria-live="polite" aria-busy={loading}>
        <h2 id="results-heading">Recommendations</h2>
        <p className="status" data-testid="status">
          {state.status === 'idle' &&
            (renting
              ? 'Fill in your budget, move-in date and stay, and press “Find homes”.'
              : investing
                ? 'Fill in your budget, the yield you want and your mortgage, and press “Find homes”.'
                : 'Fill in what matters to you and press “Find homes”.')}
          {state.status === 'loading' &&
            (renting ? 'Searching the rentals…' : investing ? 'Searching the investment listings…' : 'Searching the listings…')}
          {state.status === 'done' &&
            state.results.length > 0 &&
            `Your top ${state.results.length === 1 ? 'match' : `${state.results.length} matches`}.`}
          {state.status === 'error' && 'No results: see the message in the form.'}
        </p>

        {form.similarTo.length > 0 && state.status !== 'idle' && (
          <div className="liked" data-testid="liked">
            <p className="liked-label" id="liked-label">
              Also ranked by likeness to:
            </p>
            <ul className="liked-list" aria-labelledby="liked-label">
              {form.similarTo.map((id) => (
                <li key={id} data-id={id}>
                  <span>{titles.current.get(id) ?? 'Home'}</span> <span className="similar-id">#{id}</span>{' '}
                  <button
                    type="button"
                    className="liked-remove"
                    onClick={() => onUnlike(id)}
                    disabled={loading}
                    aria-label={`Stop ranking by likeness to ${titles.current.get(id) ?? 'home'} #${id}`}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}

        {state.status === 'done' && state.results.length === 0 && (
          <div className="empty" data-testid="empty">
            <p>
              <strong>No homes match your search.</strong>
            </p>
            <p>
              {renting
                ? 'Try a higher budget, another move-in date or a shorter stay.'
                : investing
                  ? 'Try a lower minimum yield, a higher budget or another location.'
                  : 'Try a higher budget, fewer required amenities, or another location.'}
            </p>
          </div>
        )}

        {state.status === 'done' && state.results.length > 0 && (
          <ol className="cards">
            {state.results.map((home, i) => (
              <ResultCard
                key={home.id}
                home={home}
                rank={i + 1}
                invest={investing}
                search={state.search}
                onMoreLike={onMoreLike}
              />
            ))}
          </ol>
        )}
      </section>
    </div>
  )
}

function ResultCard({
  home,
  rank,
  invest,
  search,
  onMoreLike,
}: {
  home: HomeCard
  rank: number
  invest: boolean
  search: SimilarSearch
  onMoreLike: (home: HomeCard) => void
}) {
  const [src, setSrc] = useState(home.imageUrl ?? PLACEHOLDER)
  const isPhoto = src !== PLACEHOLDER
  const titleId = `home-${home.id}-title`
  return (
    <li className="card" data-testid="recommendation">
      <article aria-labelledby={titleId}>
      {/* A plain <img>: listing photos may come from any host, and the placeholder is a local SVG. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        className="card-image"
        src={src}
        alt={isPhoto ? `Photo of ${home.title}` : ''}
        width={640}
        height={400}
        loading="lazy"
        decoding="async"
        onError={() => setSrc(PLACEHOLDER)}
        data-testid="image"
      />
      <div className="card-body">
        <p className="rank">#{rank}</p>
        <h3 className="card-title" id={titleId} data-testid="title">
          {home.title}
        </h3>
        {home.location && (
          <p className="card-location" data-testid="location">
            {home.location}
          </p>
        )}
        {formatFacts(home) && <p className="card-facts">{formatFacts(home)}</p>}
        {isRental(home) && (
          <p
            className={`card-availability${home.availableFrom || home.availableUntil ? '' : ' card-availability-unknown'}`}
            data-testid="availability"
          >
            {formatAvailability(home.availableFrom, home.availableUntil)}
          </p>
        )}
        <dl className="card-numbers">
          {isRental(home) ? (
            <>
              <div>
                <dt>Rent</dt>
                <dd data-testid="rent">{formatRent(home)}</dd>
              </div>
              <div>
                <dt>Furnishing</dt>
                <dd data-testid="furnishing">{formatFurnishing(home.furnishing) ?? 'Unknown'}</dd>
              </div>
            </>
          ) : (
            <>
              <div>
                <dt>Listed price</dt>
                <dd data-testid="listed-price">{formatPrice(home.listedPrice, home.currency)}</dd>
              </div>
              <div>
                <dt>{home.priceSource === 'model' ? 'Predicted price' : 'Predicted price (listed)'}</dt>
                <dd data-testid="predicted-price">{formatPrice(home.predictedPrice, home.currency)}</dd>
              </div>
            </>
          )}
          <div>
            <dt>Match score</dt>
            <dd data-testid="score">
              {formatScore(home.score)}
              <span className="out-of">/100</span>
            </dd>
          </div>
        </dl>
        {invest && <InvestNumbers home={home} />}
        <h4 className="reasons-title">Why it fits</h4>
        <ul className="reasons" data-testid="reasons">
          {home.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        <SimilarHomes
          home={home}
          search={search}
          action={
            <button
              type="button"
              className="more-like"
              onClick={() => onMoreLike(home)}
              aria-describedby={titleId}
              data-testid="more-like"
            >
              More like this
            </button>
          }
        />
      </div>
      </article>
    </li>
  )
}

/** A labelled `<select>` for one of the renter's choices. */
function SelectInput({
  name,
  form,
  invalid,
  onChange,
}: {
  name: SelectField
  form: Form
  invalid: (field: FormField) => boolean
  onChange: (e: ChangeEvent<HTMLSelectElement>) => void
}) {
  return (
    <>
      <label htmlFor={name} className={name === 'budgetPeriod' ? 'visually-hidden' : undefined}>
        {FIELD_LABELS[name]}
      </label>
      <select
        id={name}
        name={name}
        value={form[name]}
        onChange={onChange}
        aria-invalid={invalid(name) || undefined}
        aria-describedby={invalid(name) ? 'form-error' : undefined}
      >
        {SELECTS[name].map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  )
}

/** An Invest card's yield and cash flow (from the core's `rec.metrics`), or why there are none. */
function InvestNumbers({ home }: { home: HomeCard }) {
  const m = home.metrics
  if (!m) {
    return (
      <p className="card-invest card-invest-unknown" data-testid="no-metrics">
        No rent estimate for this home
      </p>
    )
  }
  return (
    <div className="card-invest" data-testid="metrics">
      <p className="card-yield" data-testid="gross-yield">
        {formatGrossYield(m.grossYield)}
      </p>
      <p className={`card-cash-flow${m.monthlyCashFlow !== null && m.monthlyCashFlow < 0 ? ' card-cash-flow-negative' : ''}`} data-testid="cash-flow">
        {m.monthlyCashFlow === null ? 'Cash flow: add a mortgage rate' : formatCashFlow(m.monthlyCashFlow, home.currency)}
      </p>
      <p className="card-rent-estimate" data-testid="rent-estimate">
        Rent ≈ {formatPrice(m.estimatedRent, home.currency)}/month ({m.rentSource === 'model' ? 'rent model' : 'listing estimate'}) · cap rate{' '}
        {formatPercent(m.capRate)}
      </p>
    </div>
  )
}

/**
 * How many similar homes a card shows, and how many of each one's reasons:
 * the engine's first reason gives the similarity (shown as the score), the
 * next ones what makes the two alike ("Same 3 bd / 2 ba", "0.8 km away").
 */
const SIMILAR_K = 3
const SIMILAR_REASONS = 2

/**
 * "Homes like this" under a card: a disclosure button (`aria-expanded`,
 * `aria-controls`) that loads, once, the listings most like this one from
 * `GET /api/properties/[id]/similar` (the engine's `similarAsync`), and
 * shows them as a list: title and id, location, price, similarity score and the first
 * reasons of what makes them alike. Loading is announced
 * (`role="status"`), a failure is an alert with a "Try again" button.
 * `action`: another button shown beside the toggle ("More like this").
 */
function SimilarHomes({ home, search, action }: { home: HomeCard; search: SimilarSearch; action?: ReactNode }) {
  const [open, setOpen] = useState(false)
  const [state, setState] = useState<SimilarState>({ status: 'idle' })
  const inFlight = useRef<AbortController | null>(null)
  const panelId = `similar-${home.id}`
  const headingId = `similar-${home.id}-heading`

  useEffect(() => () => inFlight.current?.abort(), [])

  async function load() {
    inFlight.current?.abort()
    const controller = new AbortController()
    inFlight.current = controller
    setState({ status: 'loading' })
    try {
      const res = await fetch(similarUrl(home.id, search.mode, { k: SIMILAR_K, currency: search.currency, listingType: search.listingType }), {
        signal: controller.signal,
      })
      let body: SimilarResponse | null = null
      try {
        body = (await res.json()) as SimilarResponse
      } catch {
        body = null
      }
      if (controller.signal.aborted) return
      if (body && 'results' in body && res.ok) setState({ status: 'done', results: body.results })
      else if (body && 'error' in body) setState({ status: 'error', message: body.error.message })
      else setState({ status: 'error', message: `The server answered ${res.status}. Please try again.` })
    } catch (err) {
      if (controller.signal.aborted) return
      setState({ status: 'error', message: 'Could not reach the server. Check your connection and try again.' })
      console.error(err)
    } finally {
      if (inFlight.current === controller) inFlight.current = null
    }
  }

  function onToggle() {
    const next = !open
    setOpen(next)
    if (next && (state.status === 'idle' || state.status === 'error')) void load()
  }

  return (
    <div className="similar" data-testid="similar">
      <div className="similar-actions">
        <button
          type="button"
          className="similar-toggle"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={onToggle}
          data-testid="similar-toggle"
        >
          Homes like this
        </button>
        {action}
      </div>
      <div className="similar-panel" id={panelId} hidden={!open} aria-busy={state.status === 'loading'}>
        <h4 className="visually-hidden" id={headingId}>
          Homes like {home.title}
        </h4>
        {state.status === 'loading' && (
          <p className="similar-status" role="status" data-testid="similar-loading">
            Finding homes like this…
          </p>
        )}
        {state.status === 'error' && (
          <div className="similar-error" role="alert" data-testid="similar-error">
            <p>{state.message}</p>
            <button type="button" className="similar-retry" onClick={() => void load()}>
              Try again
            </button>
          </div>
        )}
        {state.status === 'done' && state.results.length === 0 && (
          <p className="similar-status" data-testid="similar-empty">
            No other homes here are like this one.
          </p>
        )}
        {state.status === 'done' && state.results.length > 0 && (
          <ul className="similar-list" aria-labelledby={headingId} data-testid="similar-list">
            {state.results.map((like) => (
              <li className="similar-home" key={like.id} data-testid="similar-home" data-id={like.id}>
                <p className="similar-title">
                  <span data-testid="similar-title">{like.title}</span> <span className="similar-id">#{like.id}</span>
                </p>
                {like.location && (
                  <p className="similar-location" data-testid="similar-location">
                    {like.location}
                  </p>
                )}
                <p className="similar-numbers">
                  <span data-testid="similar-price">{isRental(like) ? formatRent(like) : formatPrice(like.listedPrice, like.currency)}</span>
                  {' · '}
                  <span data-testid="similar-score">Similarity {formatScore(like.score)}/100</span>
                </p>
                <ul className="similar-reasons" data-testid="similar-reasons">
                  {like.reasons.slice(1, 1 + SIMILAR_REASONS).map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
