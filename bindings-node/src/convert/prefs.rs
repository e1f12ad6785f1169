//! Preferences read in bulk: a JavaScript helper ([`FLATTEN_SOURCE`]) walks
//! the object at JIT speed and writes its values into the shared numbers
//! array and one string ([`super::bridge`]); [`decode`] builds the
//! [`Preferences`] from them. One N-API call instead of one per key and
//! value, and no `serde_json::Value` in between.
//!
//! Only well-formed input is read this way: camelCase keys of
//! [`Preferences`], each with a value of the JavaScript type the field takes
//! (`null` and `undefined` meaning "not asked"). At the first thing that
//! does not fit — an unknown key, a string where a number belongs, `NaN`, a
//! fractional bedroom count, an unknown property type, a hole in a list —
//! [`read`] answers `None` and the caller reads the object the general way
//! ([`super::js::Js::object`] then `Preferences::from_json`), which accepts
//! and refuses exactly what the core does and words the error as everywhere
//! else. Ranges (budget > 0, school rating 0–10, text lengths, …) are checked
//! by the core's own `Preferences::validate` on either path, so both paths
//! accept the same values and build the same `Preferences`.

use std::collections::BTreeMap;

use agent_mira::preferences::{SimilarTo, PREFERENCE_FIELDS};
use agent_mira::{
    Currency, Date, Furnishing, ListingType, Preferences, PropertyId, PropertyType, RentPeriod,
};
use napi::bindgen_prelude::{Env, FnArgs, FromNapiValue};
use napi::sys;

use super::bridge::{self, Bridge};
use super::json::MAX_SAFE_INTEGER;
use super::names;

/// What `flatten` leaves in `numbers[0]` when the numbers would not fit:
/// the caller retries with a larger array.
pub const OUT_OF_ROOM: f64 = -1.0;

/// The flattening helper's source: a factory taking the table of keys and
/// the kind of value each takes, returning `flatten(object, numbers)`.
///
/// `flatten` walks the object's enumerable string keys (`for…in`, as the
/// general reader's `napi_get_property_names` does), skips `null` and
/// `undefined` values, and writes, after a count at `numbers[0]`, for each
/// entry: its key's index, then by kind
///
/// ```text
/// 0 number   value
/// 1 string   length
/// 2 strings  count, length × count
/// 3 numbers  count, (key length, value) × count   (an object of numbers)
/// 4 boolean  1 or 0
/// 5 similar  entries, then per entry (`similarTo`: `{ ids, vector }`)
///            0 (ids), count, (0 number | 1 string length) × count
///            1 (vector), count, value × count    (an array or a Float32Array)
/// ```
///
/// appending every string to the text it returns (lengths in UTF-16 code
/// units). It answers `undefined` at the first key not in the table, value
/// of another type (`null` inside `similarTo` included: the core has its
/// own word for it), or when the numbers would not fit, and then sets
/// `numbers[0]` to −1 ([`OUT_OF_ROOM`]: the caller retries with a larger
/// array). It calls nothing a caller could replace after the package loaded
/// (`Map.prototype.get`, `Array.isArray` and the typed arrays' `length` and
/// `Symbol.toStringTag` getters are bound when it is compiled).
pub const FLATTEN_SOURCE: &str = r#"(function (keys, kinds) {
  'use strict';
  const index = new Map();
  for (let i = 0; i < keys.length; i++) index.set(keys[i], i);
  const call = Function.prototype.call;
  const indexOf = call.bind(Map.prototype.get);
  const isArray = Array.isArray;
  const typed = Object.getPrototypeOf(Uint8Array.prototype);
  const getter = (name) => call.bind(Object.getOwnPropertyDescriptor(typed, name).get);
  const typedName = getter(Symbol.toStringTag);
  const typedLength = getter('length');
  const full = (nums) => {
    nums[0] = -1;
    return undefined;
  };
  return function flatten(object, nums) {
    const room = nums.length;
    nums[0] = 0;
    let n = 1;
    let count = 0;
    let text = '';
    for (const key in object) {
      const value = object[key];
      if (value === undefined || value === null) continue;
      const i = indexOf(index, key);
      if (i === undefined) return undefined;
      if (n + 2 > room) return full(nums);
      nums[n++] = i;
      switch (kinds[i]) {
        case 0:
          if (typeof value !== 'number') return undefined;
          nums[n++] = value;
          break;
        case 1:
          if (typeof value !== 'string') return undefined;
          nums[n++] = value.length;
          text += value;
          break;
        case 2: {
          if (!isArray(value)) return undefined;
          const len = value.length;
          if (n + 1 + len > room) return full(nums);
          nums[n++] = len;
          for (let j = 0; j < len; j++) {
            const s = value[j];
            if (typeof s !== 'string') return undefined;
            nums[n++] = s.length;
            text += s;
          }
          break;
        }
        case 4:
          if (typeof value !== 'boolean') return undefined;
          nums[n++] = value ? 1 : 0;
          break;
        case 3: {
          if (typeof value !== 'object' || isArray(value)) return undefined;
          const at = n++;
          let c = 0;
          for (const name in value) {
            const w = value[name];
            if (w === undefined) continue;
            if (typeof w !== 'number') return undefined;
            if (n + 2 > room) return full(nums);
            nums[n++] = name.length;
            nums[n++] = w;
            text += name;
            c++;
          }
          nums[at] = c;
          break;
        }
        case 5: {
          if (typeof value !== 'object' || isArray(value)) return undefined;
          const at = n++;
          let c = 0;
          for (const name in value) {
            const w = value[name];
            if (w === undefined) continue;
            if (name === 'ids') {
              if (!isArray(w)) return undefined;
              const len = w.length;
              if (n + 2 + 2 * len > room) return full(nums);
              nums[n++] = 0;
              nums[n++] = len;
              for (let j = 0; j < len; j++) {
                const id = w[j];
                if (typeof id === 'number') {
                  nums[n++] = 0;
                  nums[n++] = id;
                } else if (typeof id === 'string') {
                  nums[n++] = 1;
                  nums[n++] = id.length;
                  text += id;
                } else {
                  return undefined;
                }
              }
            } else if (name === 'vector') {
              const f32 = typedName(w) === 'Float32Array';
              if (!f32 && !isArray(w)) return undefined;
              const len = f32 ? typedLength(w) : w.length;
              if (n + 2 + len > room) return full(nums);
              nums[n++] = 1;
              nums[n++] = len;
              for (let j = 0; j < len; j++) {
                const x = w[j];
                if (typeof x !== 'number') return undefined;
                nums[n++] = x;
              }
            } else {
              return undefined;
            }
            c++;
          }
          nums[at] = c;
          break;
        }
        default:
          return undefined;
      }
      count++;
    }
    nums[0] = count;
    return text;
  };
})"#;

/// The JavaScript type a field takes (the `kinds` of [`FLATTEN_SOURCE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number = 0,
    String = 1,
    Strings = 2,
    Numbers = 3,
    Boolean = 4,
    /// `similarTo`: `{ ids, vector }`.
    Similar = 5,
}

/// A field of [`Preferences`], in the order of `PREFERENCE_FIELDS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Budget,
    Location,
    MinBedrooms,
    MinBathrooms,
    MinSizeSqft,
    MaxCommuteTime,
    MinSchoolRating,
    PreferredAmenities,
    MustHaveAmenities,
    PropertyTypes,
    ListingType,
    BudgetPeriod,
    MoveIn,
    LeaseMonths,
    Furnishing,
    Pets,
    Currency,
    MinGrossYield,
    MinCapRate,
    MinCashFlow,
    DownPayment,
    MortgageRate,
    MortgageYears,
    ExpenseRatio,
    Vacancy,
    ClosingCosts,
    Weights,
    SimilarTo,
}

impl Field {
    /// The field the core names so (checks [`FIELD_ORDER`]).
    #[cfg(test)]
    fn named(name: &str) -> Option<Field> {
        Some(match name {
            "budget" => Field::Budget,
            "location" => Field::Location,
            "min_bedrooms" => Field::MinBedrooms,
            "min_bathrooms" => Field::MinBathrooms,
            "min_size_sqft" => Field::MinSizeSqft,
            "max_commute_time" => Field::MaxCommuteTime,
            "min_school_rating" => Field::MinSchoolRating,
            "preferred_amenities" => Field::PreferredAmenities,
            "must_have_amenities" => Field::MustHaveAmenities,
            "property_types" => Field::PropertyTypes,
            "listing_type" => Field::ListingType,
            "budget_period" => Field::BudgetPeriod,
            "move_in" => Field::MoveIn,
            "lease_months" => Field::LeaseMonths,
            "furnishing" => Field::Furnishing,
            "pets" => Field::Pets,
            "currency" => Field::Currency,
            "min_gross_yield" => Field::MinGrossYield,
            "min_cap_rate" => Field::MinCapRate,
            "min_cash_flow" => Field::MinCashFlow,
            "down_payment" => Field::DownPayment,
            "mortgage_rate" => Field::MortgageRate,
            "mortgage_years" => Field::MortgageYears,
            "expense_ratio" => Field::ExpenseRatio,
            "vacancy" => Field::Vacancy,
            "closing_costs" => Field::ClosingCosts,
            "weights" => Field::Weights,
            "similar_to" => Field::SimilarTo,
            _ => return None,
        })
    }

    /// The kind `flatten` reads it as (`None`: it does not; objects with
    /// the field take the general path). Every field has one today.
    fn kind(self) -> Option<Kind> {
        Some(match self {
            Field::Budget
            | Field::MinBedrooms
            | Field::MinBathrooms
            | Field::MinSizeSqft
            | Field::MaxCommuteTime
            | Field::MinSchoolRating
            | Field::LeaseMonths
            | Field::MinGrossYield
            | Field::MinCapRate
            | Field::MinCashFlow
            | Field::DownPayment
            | Field::MortgageRate
            | Field::MortgageYears
            | Field::ExpenseRatio
            | Field::Vacancy
            | Field::ClosingCosts => Kind::Number,
            Field::Location
            | Field::ListingType
            | Field::BudgetPeriod
            | Field::MoveIn
            | Field::Furnishing
            | Field::Currency => Kind::String,
            Field::Pets => Kind::Boolean,
            Field::PreferredAmenities | Field::MustHaveAmenities | Field::PropertyTypes => {
                Kind::Strings
            }
            Field::Weights => Kind::Numbers,
            Field::SimilarTo => Kind::Similar,
        })
    }
}

/// The fields in the order of `PREFERENCE_FIELDS`, the table
/// [`FLATTEN_SOURCE`] is compiled with (a unit test checks the order).
const FIELD_ORDER: [Field; 28] = [
    Field::Budget,
    Field::Location,
    Field::MinBedrooms,
    Field::MinBathrooms,
    Field::MinSizeSqft,
    Field::MaxCommuteTime,
    Field::MinSchoolRating,
    Field::PreferredAmenities,
    Field::MustHaveAmenities,
    Field::PropertyTypes,
    Field::ListingType,
    Field::BudgetPeriod,
    Field::MoveIn,
    Field::LeaseMonths,
    Field::Furnishing,
    Field::Pets,
    Field::Currency,
    Field::MinGrossYield,
    Field::MinCapRate,
    Field::MinCashFlow,
    Field::DownPayment,
    Field::MortgageRate,
    Field::MortgageYears,
    Field::ExpenseRatio,
    Field::Vacancy,
    Field::ClosingCosts,
    Field::Weights,
    Field::SimilarTo,
];

/// The field at `index` of `PREFERENCE_FIELDS`.
fn field_at(index: usize) -> Option<Field> {
    FIELD_ORDER.get(index).copied()
}

/// Compile [`FLATTEN_SOURCE`] with the camelCase keys of `PREFERENCE_FIELDS`
/// and their kinds (for [`Bridge`]).
pub fn compile_flattener<Helper: FromNapiValue>(env: &Env) -> napi::Result<Helper> {
    let keys: Vec<String> = PREFERENCE_FIELDS.iter().map(|n| names::camel(n)).collect();
    // A field this reader does not know (none: a unit test checks) gets no
    // kind: `flatten` leaves objects with it to the general reader.
    let kinds: Vec<f64> = (0..keys.len())
        .map(|i| {
            field_at(i)
                .and_then(Field::kind)
                .map_or(-1.0, |k| k as u8 as f64)
        })
        .collect();
    bridge::compile(env, FLATTEN_SOURCE, FnArgs::from((keys, kinds)))
}

/// Preferences from a JavaScript object (the caller checked it is one), or
/// `None` when something in it is not plainly well-formed. Ranges are not
/// checked here: call `Preferences::validate` on the result.
pub fn read(env: &Env, object: sys::napi_value) -> napi::Result<Option<Preferences>> {
    Ok(Bridge::get(env)?.flatten(env, object, decode)?.flatten())
}

/// Reads numbers and strings in the order [`FLATTEN_SOURCE`] wrote them.
struct Cursor<'a> {
    nums: &'a [f64],
    n: usize,
    text: &'a str,
    /// Byte offset into `text`.
    at: usize,
}

impl<'a> Cursor<'a> {
    fn number(&mut self) -> Option<f64> {
        let x = *self.nums.get(self.n)?;
        self.n += 1;
        Some(x)
    }

    fn count(&mut self) -> Option<usize> {
        let x = self.number()?;
        (x >= 0.0 && x.fract() == 0.0).then_some(x as usize)
    }

    /// The next string: `count()` UTF-16 code units of the text.
    fn string(&mut self) -> Option<&'a str> {
        let units = self.count()?;
        let rest = self.text.get(self.at..)?;
        let bytes = if rest.len() >= units && rest.as_bytes()[..units].is_ascii() {
            units
        } else {
            let mut seen = 0;
            let mut end = 0;
            for c in rest.chars() {
                if seen >= units {
                    break;
                }
                seen += c.len_utf16();
                end += c.len_utf8();
            }
            if seen != units {
                return None;
            }
            end
        };
        let s = rest.get(..bytes)?;
        self.at += bytes;
        Some(s)
    }

    fn strings(&mut self) -> Option<Vec<&'a str>> {
        (0..self.count()?).map(|_| self.string()).collect()
    }
}

/// [`Preferences`] from what `flatten` wrote; `None` when a value does not
/// fit its field as the core reads it (the general path then words why).
fn decode(nums: &[f64], text: &str) -> Option<Preferences> {
    let mut c = Cursor {
        nums,
        n: 0,
        text,
        at: 0,
    };
    let mut prefs = Preferences::default();
    for _ in 0..c.count()? {
        match field_at(c.count()?)? {
            Field::Budget => prefs.budget = Some(finite(c.number()?)?),
            Field::Location => prefs.location = Some(c.string()?.to_string()),
            Field::MinBedrooms => prefs.min_bedrooms = Some(whole_u32(c.number()?)?),
            Field::MinBathrooms => prefs.min_bathrooms = Some(finite(c.number()?)?),
            Field::MinSizeSqft => prefs.min_size_sqft = Some(finite(c.number()?)?),
            Field::MaxCommuteTime => prefs.max_commute_time = Some(finite(c.number()?)?),
            Field::MinSchoolRating => prefs.min_school_rating = Some(finite(c.number()?)?),
            Field::PreferredAmenities => {
                prefs.preferred_amenities = c.strings()?.into_iter().map(String::from).collect()
            }
            Field::MustHaveAmenities => {
                prefs.must_have_amenities = c.strings()?.into_iter().map(String::from).collect()
            }
            Field::PropertyTypes => {
                prefs.property_types = c
                    .strings()?
                    .into_iter()
                    .map(|s| s.parse::<PropertyType>().ok())
                    .collect::<Option<_>>()?
            }
            Field::ListingType => {
                prefs.listing_type = Some(c.string()?.parse::<ListingType>().ok()?)
            }
            Field::BudgetPeriod => {
                prefs.budget_period = Some(c.string()?.parse::<RentPeriod>().ok()?)
            }
            Field::MoveIn => prefs.move_in = Some(c.string()?.parse::<Date>().ok()?),
            Field::LeaseMonths => prefs.lease_months = Some(whole_u32(c.number()?)?),
            Field::Furnishing => prefs.furnishing = Some(c.string()?.parse::<Furnishing>().ok()?),
            Field::Pets => prefs.pets = Some(c.number()? != 0.0),
            Field::Currency => prefs.currency = Some(c.string()?.parse::<Currency>().ok()?),
            Field::MinGrossYield => prefs.min_gross_yield = Some(finite(c.number()?)?),
            Field::MinCapRate => prefs.min_cap_rate = Some(finite(c.number()?)?),
            Field::MinCashFlow => prefs.min_cash_flow = Some(finite(c.number()?)?),
            Field::DownPayment => prefs.down_payment = Some(finite(c.number()?)?),
            Field::MortgageRate => prefs.mortgage_rate = Some(finite(c.number()?)?),
            Field::MortgageYears => prefs.mortgage_years = Some(whole_u32(c.number()?)?),
            Field::ExpenseRatio => prefs.expense_ratio = Some(finite(c.number()?)?),
            Field::Vacancy => prefs.vacancy = Some(finite(c.number()?)?),
            Field::ClosingCosts => prefs.closing_costs = Some(finite(c.number()?)?),
            Field::Weights => {
                let mut weights = BTreeMap::new();
                for _ in 0..c.count()? {
                    let name = c.string()?;
                    weights.insert(name.to_string(), finite(c.number()?)?);
                }
                prefs.weights = Some(weights);
            }
            Field::SimilarTo => prefs.similar_to = Some(similar_to(&mut c)?),
        }
    }
    Some(prefs)
}

/// `similarTo` as `flatten` wrote it (kind 5). `None` for what the core's
/// parser reads otherwise or refuses, so that the general path words it: an
/// empty object, an id that is not a whole number from 0 to 2^53 − 1 (the
/// general path makes those JSON floats, which ids refuse) or a blank
/// string, a vector number that is not finite as an `f32`.
fn similar_to(c: &mut Cursor<'_>) -> Option<SimilarTo> {
    let mut similar = SimilarTo::default();
    let entries = c.count()?;
    if entries == 0 {
        return None;
    }
    for _ in 0..entries {
        match c.count()? {
            0 => {
                let len = c.count()?;
                similar.ids = Vec::with_capacity(len);
                for _ in 0..len {
                    let id = match c.count()? {
                        0 => PropertyId::Int(safe_id(c.number()?)?),
                        1 => {
                            let s = c.string()?;
                            if s.trim().is_empty() {
                                return None;
                            }
                            PropertyId::Str(s.to_string())
                        }
                        _ => return None,
                    };
                    similar.ids.push(id);
                }
            }
            1 => {
                let len = c.count()?;
                let mut vector = Vec::with_capacity(len);
                for _ in 0..len {
                    // As serde reads an `f32` from a JSON number: `as f32`.
                    let x = c.number()? as f32;
                    vector.push(x.is_finite().then_some(x)?);
                }
                similar.vector = Some(vector);
            }
            _ => return None,
        }
    }
    Some(similar)
}

/// An integer id as the general path reads a number: a whole number from
/// 0 to 2^53 − 1 (not −0).
fn safe_id(x: f64) -> Option<u64> {
    let whole = x.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&x);
    (whole && !(x == 0.0 && x.is_sign_negative())).then_some(x as u64)
}

/// A finite number. (The general path turns whole numbers into JSON integers
/// first; as `f64` fields they come back as the same value.)
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A whole number that fits a `u32`, as the core's serde reads one: `-0` is
/// a float there (refused), so it is left to the general path too.
fn whole_u32(x: f64) -> Option<u32> {
    let whole = x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x);
    (whole && !(x == 0.0 && x.is_sign_negative())).then_some(x as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    /// What `flatten` ([`FLATTEN_SOURCE`]) writes for a JSON object with
    /// camelCase keys, by the same rules: each key's index in the table of
    /// `PREFERENCE_FIELDS`, then its value by the kind the table gives it;
    /// `None` where `flatten` answers `undefined`.
    fn flatten_like_js(object: &Map<String, Value>) -> Option<(Vec<f64>, String)> {
        let units = |s: &str| s.encode_utf16().count() as f64;
        let mut nums = vec![0.0];
        let mut text = String::new();
        let mut count = 0.0;
        for (key, value) in object {
            if value.is_null() {
                continue;
            }
            let i = PREFERENCE_FIELDS
                .iter()
                .position(|f| names::camel(f) == *key)?;
            nums.push(i as f64);
            match (field_at(i)?.kind()?, value) {
                (Kind::Number, Value::Number(n)) => nums.push(n.as_f64()?),
                (Kind::Boolean, Value::Bool(b)) => nums.push(if *b { 1.0 } else { 0.0 }),
                (Kind::String, Value::String(s)) => {
                    nums.push(units(s));
                    text.push_str(s);
                }
                (Kind::Strings, Value::Array(items)) => {
                    nums.push(items.len() as f64);
                    for item in items {
                        let s = item.as_str()?;
                        nums.push(units(s));
                        text.push_str(s);
                    }
                }
                (Kind::Similar, Value::Object(entries)) => {
                    nums.push(entries.len() as f64);
                    for (name, w) in entries {
                        match (name.as_str(), w) {
                            ("ids", Value::Array(ids)) => {
                                nums.extend([0.0, ids.len() as f64]);
                                for id in ids {
                                    match id {
                                        Value::Number(n) => nums.extend([0.0, n.as_f64()?]),
                                        Value::String(s) => {
                                            nums.extend([1.0, units(s)]);
                                            text.push_str(s);
                                        }
                                        _ => return None,
                                    }
                                }
                            }
                            ("vector", Value::Array(xs)) => {
                                nums.extend([1.0, xs.len() as f64]);
                                for x in xs {
                                    nums.push(x.as_f64()?);
                                }
                            }
                            _ => return None,
                        }
                    }
                }
                (Kind::Numbers, Value::Object(entries)) => {
                    nums.push(entries.len() as f64);
                    for (name, w) in entries {
                        nums.push(units(name));
                        nums.push(w.as_f64()?);
                        text.push_str(name);
                    }
                }
                _ => return None,
            }
            count += 1.0;
        }
        nums[0] = count;
        Some((nums, text))
    }

    /// A value for each of the core's preference fields, as a buyer would
    /// send it (aliases included).
    fn sample(field: &str) -> Value {
        match field {
            "budget" => json!(650000.5),
            "location" => json!("Bellevue, WA"),
            "min_bedrooms" => json!(3),
            "min_bathrooms" => json!(1.5),
            "min_size_sqft" => json!(1200),
            "max_commute_time" => json!(30),
            "min_school_rating" => json!(7.5),
            "preferred_amenities" => json!(["Swimming Pool", "garden"]),
            "must_have_amenities" => json!(["garage"]),
            "property_types" => json!(["House", "condo"]),
            "listing_type" => json!("Long term rent"),
            "budget_period" => json!("Weekly"),
            "move_in" => json!("2022-07-01"),
            "lease_months" => json!(11),
            "furnishing" => json!("Semi-Furnished"),
            "pets" => json!(true),
            "currency" => json!("inr"),
            "min_gross_yield" => json!(0.06),
            "min_cap_rate" => json!(0.04),
            "min_cash_flow" => json!(-150),
            "down_payment" => json!(0.25),
            "mortgage_rate" => json!(0.065),
            "mortgage_years" => json!(15),
            "expense_ratio" => json!(0.4),
            "vacancy" => json!(0.08),
            "closing_costs" => json!(0.02),
            "weights" => json!({ "price_match": 2, "commute": 0.5 }),
            "similar_to" => json!({ "ids": [12, "kc-7"], "vector": [0.5, -1.0] }),
            other => panic!("no sample for the core's preference field `{other}`: add one"),
        }
    }

    /// The fast path and the core's own parser build the same `Preferences`
    /// for every field of the core's list, one at a time and all together.
    #[test]
    fn every_core_field_reads_the_same_by_both_paths() {
        let mut all = Map::new();
        let both = |object: Map<String, Value>| {
            let core: Map<String, Value> = object
                .iter()
                .map(|(k, v)| (names::snake(k), v.clone()))
                .collect();
            let general = Preferences::from_json(Value::Object(core)).unwrap();
            let (nums, text) = flatten_like_js(&object).expect("flatten reads it");
            let fast = decode(&nums, &text).expect("decode reads it");
            assert_eq!(fast, general, "{object:?}");
        };
        for field in PREFERENCE_FIELDS {
            let key = names::camel(field);
            let value = sample(field);
            all.insert(key.clone(), value.clone());
            let mut alone = Map::from_iter([(key, value)]);
            if matches!(*field, "budget_period" | "lease_months") {
                // A renter's field needs a rental listing type beside it.
                alone.insert("listingType".into(), sample("listing_type"));
            }
            if matches!(*field, "min_cash_flow" | "down_payment" | "mortgage_years") {
                // A mortgage's terms and cash flow need its rate beside them.
                alone.insert("mortgageRate".into(), sample("mortgage_rate"));
            }
            both(alone);
        }
        assert_eq!(all.len(), PREFERENCE_FIELDS.len());
        both(all.clone());
        all.remove("similarTo");
        both(all);
    }

    /// `similarTo` as the buyer sends it: ids alone, a vector alone, both,
    /// in either order, big and string ids; each read the same both ways.
    #[test]
    fn similar_to_reads_the_same_by_both_paths() {
        for value in [
            json!({ "ids": [1, "kc-7", "18446744073709551615", 9007199254740991_u64] }),
            json!({ "vector": [0.25, -1, 3e-39, 1e30, -0.0] }),
            json!({ "vector": [1.5], "ids": [] }),
            json!({ "ids": [3], "vector": [0.5, 0.5] }),
        ] {
            let object = Map::from_iter([("similarTo".to_string(), value.clone())]);
            let general = Preferences::from_json(json!({ "similar_to": value })).unwrap();
            let (nums, text) = flatten_like_js(&object).expect("flatten reads it");
            let fast = decode(&nums, &text).expect("decode reads it");
            assert_eq!(fast, general, "{object:?}");
        }
    }

    /// What the core reads otherwise or refuses goes the general way, which
    /// words the error.
    #[test]
    fn similar_to_the_core_refuses_goes_the_general_way() {
        let decoded = |value: Value| {
            let object = Map::from_iter([("similarTo".to_string(), value)]);
            let (nums, text) = flatten_like_js(&object)?;
            decode(&nums, &text)
        };
        assert!(decoded(json!({ "ids": [1] })).is_some());
        assert!(decoded(json!({})).is_none(), "nothing asked");
        assert!(decoded(json!({ "ids": [1.5] })).is_none(), "fractional id");
        assert!(decoded(json!({ "ids": [-1] })).is_none(), "negative id");
        assert!(decoded(json!({ "ids": [-0.0] })).is_none(), "-0 id");
        assert!(
            decoded(json!({ "ids": [9007199254740992_u64] })).is_none(),
            "id past 2^53 - 1"
        );
        assert!(decoded(json!({ "ids": [" "] })).is_none(), "blank id");
        assert!(decoded(json!({ "ids": [true] })).is_none(), "not an id");
        assert!(
            decoded(json!({ "vector": [1e300] })).is_none(),
            "beyond f32"
        );
        assert!(
            decoded(json!({ "vector": ["1"] })).is_none(),
            "not a number"
        );
        assert!(decoded(json!({ "idz": [1] })).is_none(), "unknown key");
        assert!(decoded(json!({ "ids": 1 })).is_none(), "not an array");
        assert!(
            decoded(json!({ "ids": null })).is_none(),
            "null: the core's word"
        );
    }

    #[test]
    fn every_preference_field_is_read_in_the_cores_order() {
        assert_eq!(FIELD_ORDER.len(), PREFERENCE_FIELDS.len());
        for (i, name) in PREFERENCE_FIELDS.iter().enumerate() {
            assert_eq!(field_at(i), Field::named(name), "{name}");
        }
        assert_eq!(field_at(2), Some(Field::MinBedrooms));
        assert_eq!(field_at(PREFERENCE_FIELDS.len()), None);
    }

    /// What `flatten` writes for `{ budget: 5e5, location: 'Café, WA',
    /// preferredAmenities: ['pool', 'x😀'], propertyTypes: ['House'],
    /// weights: { commute: 2 }, minBedrooms: 3 }`.
    fn flattened() -> (Vec<f64>, String) {
        let nums = vec![
            6.0, // entries
            0.0, 5e5, // budget
            1.0, 8.0, // location: 8 UTF-16 units
            7.0, 2.0, 4.0, 3.0, // preferredAmenities: "pool", "x😀" (3 units)
            9.0, 1.0, 5.0, // propertyTypes: "House"
            26.0, 1.0, 7.0, 2.0, // weights: commute = 2
            2.0, 3.0, // minBedrooms
        ];
        (nums, "Café, WApoolx😀Housecommute".to_string())
    }

    #[test]
    fn decodes_what_flatten_writes() {
        let (nums, text) = flattened();
        let prefs = decode(&nums, &text).unwrap();
        let expected = Preferences {
            budget: Some(5e5),
            location: Some("Café, WA".into()),
            min_bedrooms: Some(3),
            preferred_amenities: vec!["pool".into(), "x😀".into()],
            property_types: vec![PropertyType::Sfh],
            weights: Some(BTreeMap::from([("commute".to_string(), 2.0)])),
            ..Default::default()
        };
        assert_eq!(prefs, expected);
    }

    #[test]
    fn values_the_core_reads_differently_go_the_general_way() {
        let (nums, text) = flattened();
        let with = |i: usize, x: f64| {
            let mut nums = nums.clone();
            nums[i] = x;
            decode(&nums, &text)
        };
        assert!(with(17, 2.5).is_none(), "fractional bedrooms");
        assert!(with(17, -0.0).is_none(), "-0 bedrooms");
        assert!(with(17, 2f64.powi(33)).is_none(), "bedrooms beyond u32");
        assert!(with(2, f64::NAN).is_none(), "NaN budget");
        assert!(with(15, f64::INFINITY).is_none(), "infinite weight");
        assert!(with(1, 99.0).is_none(), "a field index out of the table");
        assert!(with(4, 40.0).is_none(), "a string past the text");
        assert!(with(17, 0.0).is_some());
        let mut castle = text.clone();
        castle = castle.replace("House", "Igloo");
        assert!(decode(&nums, &castle).is_none(), "unknown property type");
    }

    #[test]
    fn strings_are_cut_at_utf16_units() {
        let mut c = Cursor {
            nums: &[1.0, 2.0, 1.0],
            n: 0,
            text: "é😀a",
            at: 0,
        };
        assert_eq!(c.string(), Some("é"));
        assert_eq!(c.string(), Some("😀"));
        assert_eq!(c.string(), Some("a"));
        let mut c = Cursor {
            nums: &[1.0],
            n: 0,
            text: "😀",
            at: 0,
        };
        assert_eq!(c.string(), None, "half a surrogate pair");
    }
}
