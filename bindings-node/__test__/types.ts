// Type-checked by `npm run typecheck` (tsc --noEmit), never run: the
// generated index.d.ts must describe the API the README shows.
import { Catalog, Engine, PriceModel, hashedNgrams } from '@mira/core'
import type {
  Answer,
  CatalogStats,
  EngineStats,
  Explanation,
  GbdtParams,
  Holdout,
  InvestmentMetrics,
  Listing,
  ListingInput,
  MiraError,
  MiraErrorCode,
  Preferences,
  ProfileSpec,
  PropertyType,
  Recommendation,
  SimilarFilters,
  SimilarTo,
  TrainKind,
  TrainProgressEvent,
  WeightOverrides,
} from '@mira/core'

const catalog: Catalog = Catalog.fromRecords([{ id: 1, price: 400000, sizeSqft: 1200, propertyType: 'condo' }], { currentYear: 2025 })
const fromFile: Catalog = Catalog.fromPath('listings.csv', { mapping: 'king-county', currentYear: 2025 })
const fromMappingFile: Catalog = Catalog.fromPath('sales.csv', { mappingFile: 'mapping.json', onDuplicate: 'keep_last' })
const next: Catalog = catalog.upsert([{ id: 'x', price: 1 }]).remove([1])
const n: number = catalog.length + catalog.version + fromFile.length + fromMappingFile.length + next.version
const listing: Listing | null = catalog.get(1)
const price: number | undefined = listing?.price

const model: PriceModel = PriceModel.fromLightgbm('model.txt')
const names: string[] = model.featureNames
const y: Float64Array = model.predict([[1, null, 3]])
const y2: Float64Array = model.predict(new Float64Array(6), 3)

const engine = new Engine(catalog, { profile: 'case-study', currentYear: 2025, model: PriceModel.load('m.json') })
const custom = new Engine(catalog, { profile: { name: 'c', components: [{ name: 'commute', weight: 1, curve: { kind: 'decay', function: 'exp', scale: 10 } }] } })
const prefs: Preferences = { budget: 500000, minBedrooms: 3, propertyTypes: ['sfh'], listingType: 'sale', weights: { price_match: 2 } }
const recs: Recommendation[] = engine.recommend(prefs, 3, 0)
const first: Recommendation | undefined = recs[0]
const id: number | string | undefined = first?.id
const source: 'listed' | 'model' | undefined = first?.priceSource
const batch: Recommendation[][] = custom.recommendBatch([prefs, {}], 2)
const renter: Preferences = {
  listingType: 'long_term_rent', budget: 40000, budgetPeriod: 'month', currency: 'INR',
  moveIn: '2022-07-01', leaseMonths: 11, furnishing: 'semi_furnished', pets: true,
}
const answer: Answer = engine.recommendWithStats(renter, 3)
const leftOut: number = answer.stats.otherCurrency + answer.stats.catalogListings
const rent: number | null | undefined = answer.results[0]?.rentPerMonth
const currency: string | undefined = answer.results[0]?.currency
const stats: EngineStats = engine.stats()
const why: Explanation = engine.explain(renter, 1)
const points: number = why.components.reduce((sum, c) => sum + c.contribution, 0) + why.total
const firstFilter: string | undefined = why.filters[0]?.detail
const sentence: string | null | undefined = why.components[0]?.sentence
const valuation = engine.predictPrice({ id: 2, price: 1 })
const inDomain: boolean = valuation.inDomain
const card = engine.modelInfo()

async function main(): Promise<void> {
  const later: Recommendation[] = await engine.recommendAsync(prefs)
  const trained: PriceModel = await PriceModel.train([[1, null], [2, 3]], new Float64Array([1, 2]), {
    kind: 'gbdt',
    columns: ['a', 'b'],
    params: { numRounds: 10, learningRate: 0.1, earlyStoppingRounds: null },
    onProgress: (p: TrainProgressEvent) => console.log(p.round, p.totalRounds, p.trainLoss, p.validLoss ?? 0),
  })
  const onCatalog: PriceModel = await PriceModel.trainOnCatalog(catalog, { kind: 'linear', holdout: { kind: 'none' }, params: { alpha: 1 }, name: 'm' })
  const kinds: TrainKind[] = ['gbdt', 'ols', 'ridge', 'elastic_net', 'linear', 'elastic-net']
  const ridge: PriceModel = await PriceModel.train([[1], [2]], [1, 2], { kind: kinds[2], params: { alpha: 0.01, logTarget: false } })
  void [trained, onCatalog, ridge]
  try {
    engine.recommend({ budget: -1 })
  } catch (e) {
    const code: MiraErrorCode = (e as MiraError).code
    console.log(code, later.length)
  }
}

// @ts-expect-error: snake_case keys are not part of the JavaScript API
engine.recommend({ min_bedrooms: 3 })
// @ts-expect-error: not a kind of the core's TrainSpec
void PriceModel.train([[1]], [1], { kind: 'forest' })
// @ts-expect-error: training parameters are camelCase too
void PriceModel.train([[1]], [1], { params: { num_rounds: 3 } })

// The generated input types (dts-header.d.ts, from the core's JSON Schemas).
const family: Preferences = {
  budget: 750000,
  location: 'Seattle, WA',
  minBedrooms: 3,
  minBathrooms: null,
  preferredAmenities: ['garden', 'garage'],
  propertyTypes: ['sfh', 'townhouse'],
  listingType: 'sale',
  weights: { price_match: 2, commute: 0.5 },
}
const weights: WeightOverrides = { value: 1 }
const home: ListingInput = { id: 'kc-1', price: 450000, bathrooms: 2.5, yearBuilt: 1990, imageUrl: null }
const kinds: PropertyType[] = ['condo', 'apartment']
const profile: ProfileSpec = {
  name: 'commuter',
  components: [
    { name: 'commute', weight: 3, curve: { kind: 'decay', function: 'exp', scale: 10 } },
    { name: 'price_match', weight: 1, curve: { kind: 'case_study' } },
  ],
  filters: ['listing_type'],
}
const holdout: Holdout = { kind: 'temporal', attribute: 'sale_date', cutoff: '2015-03-01' }
const gbdt: GbdtParams = { numRounds: 50, learningRate: 0.05, maxDepth: null, objective: 'l2' }
const withProfile = new Engine(catalog.upsert([home]), { profile, currentYear: 2025 })
const typed: Recommendation[] = withProfile.recommend({ ...family, weights }, 3)
void PriceModel.trainOnCatalog(catalog, { holdout, params: gbdt })

// An investor: a rent model beside the price model, the investment profile,
// thresholds and a mortgage; metrics on each result (absent without a rent).
const investor = new Engine(catalog, { profile: 'investment', rentModel: PriceModel.load('rent.json'), model: PriceModel.load('m.json') })
const terms: Preferences = { minGrossYield: 0.06, minCapRate: 0.04, minCashFlow: -100, mortgageRate: 0.065, downPayment: 0.25, mortgageYears: 15, expenseRatio: 0.3, vacancy: 0.05, closingCosts: 0.03 }
const metrics: InvestmentMetrics | undefined = investor.recommend(terms, 3)[0]?.metrics
const flow: number | undefined = metrics?.monthlyCashFlow
const payment: number | undefined = metrics?.mortgagePayment
const rentFrom: 'given' | 'model' | undefined = metrics?.rentSource
const grossYield: number | undefined = metrics?.grossYield
const rentEstimate: number = investor.estimateRent({ id: 3, price: 9500000, currency: 'INR' }).price
const rentCounts: number = investor.stats().rentEstimates + investor.stats().rentModelEstimates
// @ts-expect-error: not a built-in profile
const noProfile = new Engine(catalog, { profile: 'investor' })

// @ts-expect-error: not a property type the core knows
const igloo: Preferences = { propertyTypes: ['igloo'] }
// @ts-expect-error: a listing needs a price
const noPrice: ListingInput = { id: 1 }
// @ts-expect-error: weights are per component, by the core's names
const badWeight: WeightOverrides = { priceMatch: 1 }
// a random holdout's seed defaults to 42
const noSeed: Holdout = { kind: 'random', fraction: 0.2 }
// @ts-expect-error: a random holdout needs its fraction
const noFraction: Holdout = { kind: 'random', seed: 1 }

// Vector similarity (issue 18).
const vectors: Float32Array = hashedNgrams(['Craftsman bungalow near the lake', 'Condo downtown'], 32)
const one: Float32Array = hashedNgrams('Craftsman bungalow', 32)
const embedded: Catalog = catalog.withEmbeddings([1, 'kc-2'], vectors)
const byRows: Catalog = catalog.withEmbeddings([1], [one, [0.5, 0.25]])
const filters: SimilarFilters = { listingType: 'sale', propertyTypes: ['condo'], maxPrice: 800000, currency: 'USD' }
const alike: Recommendation[] = new Engine(embedded).similar(1, 5, filters)
const alikeDefault: Recommendation[] = new Engine(byRows).similar('kc-2')
const underEach: Recommendation[][] = new Engine(embedded).similarBatch([1, 'kc-2'], 3, { propertyTypes: ['sfh'] })
const similarity: number | undefined = alike[0]?.components['similarity']
const liked: SimilarTo = { ids: [1, 'kc-2'], vector: [0.1, 0.2] }
const likeThese: Preferences = { budget: 700000, similarTo: liked }
const vector: number[] | undefined = embedded.get(1)?.embedding
const dims: number = stats.embeddingDim + stats.listingsWithEmbedding + stats.embeddingBytesPerListing
const summary: CatalogStats = embedded.stats()
const perListing: number = summary.embeddingBytesPerListing * summary.listingsWithEmbedding + summary.embeddingDim
const median: number | null | undefined = summary.priceMedian
const topPlace: string | undefined = summary.locations[0]?.location
const knownBeds: number | undefined = summary.known['bedrooms']
async function similarLater(): Promise<Recommendation[]> {
  return new Engine(embedded).similarAsync(1, 3, { maxPrice: 500000 })
}
// @ts-expect-error: filters by the JavaScript names
const badFilter: SimilarFilters = { max_price: 1 }

void [n, price, names, y, y2, batch, stats, id, source, inDomain, card, main]
void [alikeDefault, underEach, similarity, likeThese, vector, dims, similarLater, badFilter, perListing, median, topPlace, knownBeds]
void [kinds, typed, igloo, noPrice, badWeight, noSeed, noFraction]
void [flow, payment, rentFrom, grossYield, rentEstimate, rentCounts, noProfile]
void [why, points, firstFilter, sentence]
