// The synthetic catalog and buyer of the Node benches: the generator of
// `agent_mira_benches::synthetic_catalog` (benches/src/lib.rs) ported to
// JavaScript (the same xorshift with BigInt, seed, draw order and
// rounding), and the bench's typical buyer in camelCase.

export const CITIES = [
  ['Seattle, WA', 47.61, -122.33], ['Bellevue, WA', 47.61, -122.20],
  ['Kent, WA', 47.38, -122.23], ['Renton, WA', 47.48, -122.22],
  ['Redmond, WA', 47.67, -122.12], ['Kirkland, WA', 47.68, -122.21],
  ['Auburn, WA', 47.31, -122.23], ['Issaquah, WA', 47.53, -122.03],
]
export const AMENITIES = [
  ['pool', 'garage'], ['garden'], [], ['Swimming Pool', 'Garden', 'Two-Car Garage'], ['view', 'gym'], ['garage'],
]
export const BUYER = {
  budget: 650000, location: 'Bellevue, WA', minBedrooms: 3, minBathrooms: 2,
  maxCommuteTime: 30, minSchoolRating: 7, preferredAmenities: ['pool', 'garden'],
}

// Rust's f64::round for x >= 0 (half away from zero).
export const round = (x) => { const f = Math.floor(x); return x - f >= 0.5 ? f + 1 : f }

export function synthetic (n) {
  const M = (1n << 64n) - 1n
  let s = 0x9E3779B97F4A7C15n
  const next = () => {
    s ^= (s << 13n) & M; s ^= s >> 7n; s ^= (s << 17n) & M
    return s
  }
  const unit = () => Number(next() >> 11n) / 9007199254740992
  const listings = new Array(n)
  const kinds = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const [city, lat, lon] = CITIES[Number(next() % 8n)]
    const size = 600 + unit() * 3400
    const price = round(size * 250 * (0.7 + unit() * 0.6) / 1000) * 1000
    const latitude = lat + (unit() - 0.5) * 0.1
    const longitude = lon + (unit() - 0.5) * 0.1
    const bedrooms = 1 + Number(next() % 5n)
    const bathrooms = 1 + Number(next() % 6n) / 2
    const yearBuilt = 1900 + Number(next() % 125n)
    let schoolRating = null
    if (next() % 20n !== 0n) schoolRating = Number(next() % 101n) / 10
    let commuteTime = null
    if (next() % 20n !== 0n) commuteTime = 5 + Number(next() % 80n)
    const a = Number(next() % 6n)
    kinds[i] = a
    listings[i] = {
      id: i, price, location: city, latitude, longitude, bedrooms, bathrooms,
      sizeSqft: round(size), yearBuilt, schoolRating, commuteTime, amenities: AMENITIES[a],
    }
  }
  return { listings, kinds }
}
