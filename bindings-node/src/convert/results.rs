//! Recommendations handed to JavaScript in one step: their numbers in a
//! `Float64Array`, their text in one string, turned into the result objects
//! by a small JavaScript function ([`UNPACK_SOURCE`]) compiled once per
//! Node environment ([`super::bridge`]).
//!
//! Building a result object field by field costs one N-API call per key,
//! number, string and array element (about 40 for one recommendation with
//! its reasons), and even one `JSON.parse` of the whole answer costs more
//! than the engine's own work on a small catalog (its number parsing, key
//! scanning and string escapes). Plain JavaScript reading a typed array and
//! slicing one string builds the same objects several times faster
//! (benches/README.md, "Side by side through Node").
//!
//! The objects are the ones [`super::out`] describes (and `index.d.ts`
//! types): same keys in the same order, same values. Numbers travel as the
//! `f64` they are, so they keep every bit.
//!
//! Layout of the numbers (`text` holds the strings back to back; a string is
//! its length in UTF-16 code units, then the next that many units of `text`):
//!
//! ```text
//! answer  = 0, list | 1, count, list × count        (one request | a batch)
//! list    = count, result × count
//! result  = id, score, count, (name, value) × count,  // components
//!           predicted, listed, name,                   // price source
//!           count, name × count,                       // unknown
//!           count, string × count,                     // reasons
//!           string, rent,                              // currency, rent per month
//!           metrics
//! id      = the id as a number | NaN, string           (a string id, or an
//!                                                       integer above 2^53 − 1)
//! name    = i (NAMES[i]) | -1, string                   (a name not in NAMES)
//! rent    = the rent per month | NaN                    (`null`: not a rental)
//! metrics = NaN                                        (no `metrics` key: no rent
//!                                                       estimate, as in the core's JSON)
//!         | estimated rent, name,                      // rent and its source
//!           gross yield, price-to-rent, NOI, cap rate,
//!           maybe × 4                                  // payment, cash flow,
//!                                                      // cash-on-cash, value gap
//! maybe   = the number | NaN                           (absent: no mortgage /
//!                                                       no price model)
//! ```
//!
//! (No metric is ever NaN itself: the core refuses a price or rent that is
//! not a finite amount > 0, and every metric is finite from those.)

use agent_mira::investment::InvestmentMetrics;
use agent_mira::scoring::ComponentName;
use agent_mira::{PropertyId, Recommendation};
use napi::bindgen_prelude::{Env, FromNapiValue, ToNapiValue, TypeName, ValueType};
use napi::sys;

use super::bridge::{self, Bridge};
use super::json::MAX_SAFE_INTEGER;

/// The unpacking function's source: a factory taking the table of known
/// names, returning `unpackRecommendations(numbers, text)`.
///
/// It runs no code a caller could have replaced after the package loaded
/// (`String.prototype.slice` is bound when the function is compiled; arrays
/// are filled by index, not `push`), keeps no state between calls (so a
/// call cannot see another's), and defines a `__proto__` key as a plain
/// property, as `JSON.parse` would.
const UNPACK_SOURCE: &str = r#"(function (names) {
  'use strict';
  const slice = Function.prototype.call.bind(String.prototype.slice);
  const define = Object.defineProperty;
  function str(s) {
    const end = s.p + s.nums[s.n++];
    const out = slice(s.text, s.p, end);
    s.p = end;
    return out;
  }
  function name(s) {
    const i = s.nums[s.n++];
    return i >= 0 ? names[i] : str(s);
  }
  function investment(s) {
    const nums = s.nums;
    const estimatedRent = nums[s.n++];
    if (estimatedRent !== estimatedRent) return undefined;
    const m = {
      estimatedRent,
      rentSource: name(s),
      grossYield: nums[s.n++],
      priceToRent: nums[s.n++],
      netOperatingIncome: nums[s.n++],
      capRate: nums[s.n++],
    };
    const mortgagePayment = nums[s.n++];
    if (mortgagePayment === mortgagePayment) m.mortgagePayment = mortgagePayment;
    const monthlyCashFlow = nums[s.n++];
    if (monthlyCashFlow === monthlyCashFlow) m.monthlyCashFlow = monthlyCashFlow;
    const cashOnCash = nums[s.n++];
    if (cashOnCash === cashOnCash) m.cashOnCash = cashOnCash;
    const valueGap = nums[s.n++];
    if (valueGap === valueGap) m.valueGap = valueGap;
    return m;
  }
  function one(s) {
    const nums = s.nums;
    const idNumber = nums[s.n++];
    const id = idNumber === idNumber ? idNumber : str(s);
    const score = nums[s.n++];
    const components = {};
    for (let c = nums[s.n++]; c > 0; c--) {
      const key = name(s);
      const value = nums[s.n++];
      if (key === '__proto__') {
        define(components, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        components[key] = value;
      }
    }
    const predictedPrice = nums[s.n++];
    const listedPrice = nums[s.n++];
    const priceSource = name(s);
    const unknown = [];
    for (let c = nums[s.n++], i = 0; i < c; i++) unknown[i] = name(s);
    const reasons = [];
    for (let c = nums[s.n++], i = 0; i < c; i++) reasons[i] = str(s);
    const currency = str(s);
    const rent = nums[s.n++];
    const rentPerMonth = rent === rent ? rent : null;
    const out = { id, score, components, predictedPrice, listedPrice, priceSource, unknown, reasons, currency, rentPerMonth };
    const metrics = investment(s);
    if (metrics !== undefined) out.metrics = metrics;
    return out;
  }
  function list(s) {
    const out = [];
    for (let c = s.nums[s.n++], i = 0; i < c; i++) out[i] = one(s);
    return out;
  }
  return function unpackRecommendations(nums, text) {
    const s = { nums, text, n: 1, p: 0 };
    if (nums[0] === 0) return list(s);
    const lists = [];
    for (let c = nums[s.n++], i = 0; i < c; i++) lists[i] = list(s);
    return lists;
  };
})"#;

/// Names that travel as their index in this table: every component name,
/// then every price source, then the rent source not already there.
fn names() -> impl Iterator<Item = &'static str> {
    ComponentName::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(["listed", "model", "given"])
}

/// Recommendations packed for [`UNPACK_SOURCE`].
pub struct Packed {
    nums: Vec<f64>,
    text: String,
}

impl Packed {
    /// One request's recommendations: an array of `Recommendation` objects.
    pub fn recommendations(found: &[Recommendation]) -> Packed {
        let mut p = Packed::with_capacity(found.len());
        p.nums.push(0.0);
        p.list(found);
        p
    }

    /// One array of recommendations per request.
    pub fn batches(found: &[Vec<Recommendation>]) -> Packed {
        let mut p = Packed::with_capacity(found.iter().map(Vec::len).sum());
        p.nums.extend([1.0, found.len() as f64]);
        for one in found {
            p.list(one);
        }
        p
    }

    fn with_capacity(results: usize) -> Packed {
        Packed {
            nums: Vec::with_capacity(2 + results * 50),
            text: String::with_capacity(results * 400),
        }
    }

    fn list(&mut self, found: &[Recommendation]) {
        self.nums.push(found.len() as f64);
        for r in found {
            self.one(r);
        }
    }

    fn one(&mut self, r: &Recommendation) {
        // Destructured so that a field added to the core fails to compile
        // here (and in `UNPACK_SOURCE`'s test below) until it travels too.
        let Recommendation {
            id,
            score,
            components,
            predicted_price,
            listed_price,
            price_source,
            unknown,
            reasons,
            currency,
            rent_per_month,
            metrics,
        } = r;
        match id {
            PropertyId::Int(n) if *n <= MAX_SAFE_INTEGER => self.nums.push(*n as f64),
            PropertyId::Int(n) => {
                self.nums.push(f64::NAN);
                self.string(&n.to_string());
            }
            PropertyId::Str(s) => {
                self.nums.push(f64::NAN);
                self.string(s);
            }
        }
        self.nums.push(*score);
        self.nums.push(components.len() as f64);
        for (name, value) in components {
            self.name(name);
            self.nums.push(*value);
        }
        self.nums.push(*predicted_price);
        self.nums.push(*listed_price);
        self.name(price_source.as_str());
        self.nums.push(unknown.len() as f64);
        for name in unknown {
            self.name(name);
        }
        self.nums.push(reasons.len() as f64);
        for reason in reasons {
            self.string(reason);
        }
        self.string(currency.code());
        self.nums.push(rent_per_month.unwrap_or(f64::NAN));
        match metrics {
            Some(m) => self.metrics(m),
            None => self.nums.push(f64::NAN),
        }
    }

    fn metrics(&mut self, m: &InvestmentMetrics) {
        // Destructured, as above: a metric added to the core must travel.
        let InvestmentMetrics {
            estimated_rent,
            rent_source,
            gross_yield,
            price_to_rent,
            net_operating_income,
            cap_rate,
            mortgage_payment,
            monthly_cash_flow,
            cash_on_cash,
            value_gap,
        } = *m;
        self.nums.push(estimated_rent);
        self.name(rent_source.as_str());
        self.nums
            .extend([gross_yield, price_to_rent, net_operating_income, cap_rate]);
        for maybe in [mortgage_payment, monthly_cash_flow, cash_on_cash, value_gap] {
            self.nums.push(maybe.unwrap_or(f64::NAN));
        }
    }

    fn name(&mut self, name: &str) {
        match names().position(|known| known == name) {
            Some(i) => self.nums.push(i as f64),
            None => {
                self.nums.push(-1.0);
                self.string(name);
            }
        }
    }

    fn string(&mut self, s: &str) {
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        self.nums.push(units as f64);
        self.text.push_str(s);
    }
}

/// Compile [`UNPACK_SOURCE`] with the table of names (for [`Bridge`]).
pub fn compile_unpacker<Helper: FromNapiValue>(env: &Env) -> napi::Result<Helper> {
    let table: Vec<&str> = names().collect();
    bridge::compile(env, UNPACK_SOURCE, table)
}

impl TypeName for Packed {
    fn type_name() -> &'static str {
        "recommendations"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Packed {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from(env);
        Bridge::get(&env)?.unpack(&env, &val.nums, val.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use agent_mira::investment::RentSource;
    use agent_mira::PriceSource;

    /// The worked example's metrics, without a price model.
    fn metrics() -> InvestmentMetrics {
        InvestmentMetrics {
            estimated_rent: 2_500.0,
            rent_source: RentSource::Given,
            gross_yield: 0.075,
            price_to_rent: 13.5,
            net_operating_income: 18_525.0,
            cap_rate: 0.0463125,
            mortgage_payment: Some(2_022.62),
            monthly_cash_flow: Some(-478.87),
            cash_on_cash: Some(-0.0625),
            value_gap: None,
        }
    }

    /// NaN as `None`, so that layouts compare with `assert_eq!`.
    fn numbers(p: &Packed) -> Vec<Option<f64>> {
        p.nums.iter().map(|x| (!x.is_nan()).then_some(*x)).collect()
    }

    fn rec(id: PropertyId) -> Recommendation {
        Recommendation {
            id,
            score: 87.5,
            components: BTreeMap::from([("price_match".to_string(), 100.0)]),
            predicted_price: 1.5,
            listed_price: 2.0,
            price_source: PriceSource::Model,
            unknown: vec!["commute".into(), "unheard_of".into()],
            reasons: vec!["Café — 3 €".into()],
            currency: "INR".parse().unwrap(),
            rent_per_month: Some(39_000.0),
            metrics: Some(metrics()),
        }
    }

    #[test]
    fn layout_of_one_answer() {
        let p = Packed::recommendations(&[rec(PropertyId::Int(7))]);
        let commute = names().position(|n| n == "commute").unwrap() as f64;
        let model = names().position(|n| n == "model").unwrap() as f64;
        let given = names().position(|n| n == "given").unwrap() as f64;
        let expected = [
            0.0,
            1.0, // one request, one result
            7.0,
            87.5,
            1.0,
            0.0,
            100.0, // id, score, components
            1.5,
            2.0,
            model, // prices, source
            2.0,
            commute,
            -1.0,
            10.0, // unknown: a known and an unknown name
            1.0,
            10.0, // one reason of 10 UTF-16 units
            3.0,
            39_000.0, // currency, rent per month
            2_500.0,
            given,
            0.075,
            13.5,
            18_525.0,
            0.0463125, // metrics
            2_022.62,
            -478.87,
            -0.0625,
            f64::NAN, // payment .. value gap
        ];
        assert_eq!(
            numbers(&p),
            numbers(&Packed {
                nums: expected.to_vec(),
                text: String::new()
            })
        );
        assert_eq!(p.text, "unheard_ofCafé — 3 €INR");
    }

    #[test]
    fn no_metrics_travel_as_one_nan() {
        let none = Recommendation {
            metrics: None,
            ..rec(PropertyId::Int(7))
        };
        let p = Packed::recommendations(&[none]);
        let n = p.nums.len();
        assert_eq!(numbers(&p)[n - 2..], [Some(39_000.0), None]);
        let full = Packed::recommendations(&[rec(PropertyId::Int(7))]);
        assert_eq!(
            full.nums.len(),
            n + 9,
            "rent, source, 4 rates, 4 maybes − 1"
        );
    }

    /// The objects `unpack` builds have exactly the core's fields, camelCased
    /// (the keys of the core's JSON of a recommendation are its field list).
    #[test]
    fn unpacked_objects_have_the_cores_fields() {
        let core = serde_json::to_value(rec(PropertyId::Int(1))).unwrap();
        let mut core: Vec<String> = core
            .as_object()
            .unwrap()
            .keys()
            .map(|k| super::super::names::camel(k))
            .collect();
        let body = UNPACK_SOURCE
            .split("const out = { ")
            .nth(1)
            .and_then(|rest| rest.split("return out;").next())
            .expect("one() builds `out`");
        let (literal, added) = body.split_once(" };").expect("an object literal");
        let mut built: Vec<&str> = literal.split(", ").collect();
        built.extend(
            added
                .split("out.")
                .skip(1)
                .map(|rest| rest.split(" = ").next().unwrap()),
        );
        built.sort_unstable();
        core.sort_unstable();
        assert_eq!(built, core);
    }

    /// The metrics objects have exactly the core's metric fields, camelCased.
    #[test]
    fn unpacked_metrics_have_the_cores_fields() {
        let core = serde_json::to_value(metrics()).unwrap();
        let mut core: Vec<String> = core
            .as_object()
            .unwrap()
            .keys()
            .map(|k| super::super::names::camel(k))
            .collect();
        let body = UNPACK_SOURCE
            .split("function investment(s) {")
            .nth(1)
            .and_then(|rest| rest.split("return m;").next())
            .expect("investment() builds `m`");
        let literal = body
            .split("const m = {")
            .nth(1)
            .and_then(|rest| rest.split("};").next())
            .expect("an object literal");
        let mut built: Vec<String> = literal
            .split(',')
            .map(|entry| entry.split(':').next().unwrap().trim().to_string())
            .filter(|key| !key.is_empty())
            .collect();
        built.extend(
            body.split("m.")
                .skip(1)
                .map(|rest| rest.split(" = ").next().unwrap().to_string()),
        );
        built.sort_unstable();
        core.sort_unstable();
        assert_eq!(built, core);
    }

    #[test]
    fn string_and_big_ids_travel_as_text() {
        let p = Packed::batches(&[
            vec![rec(PropertyId::Str("kc-1".into()))],
            vec![rec(PropertyId::Int(MAX_SAFE_INTEGER + 1))],
            vec![],
        ]);
        assert_eq!(&p.nums[..3], &[1.0, 3.0, 1.0]);
        assert!(p.nums[3].is_nan());
        assert_eq!(p.nums[4], 4.0);
        assert!(p.text.starts_with("kc-1"));
        assert!(p.text.contains(&(MAX_SAFE_INTEGER + 1).to_string()));
        assert_eq!(*p.nums.last().unwrap(), 0.0, "the empty third list");
        let sale = Recommendation {
            rent_per_month: None,
            metrics: None,
            ..rec(PropertyId::Int(1))
        };
        let p = Packed::recommendations(&[sale]);
        assert!(
            p.nums[p.nums.len() - 2].is_nan(),
            "a sale's rent travels as NaN (null)"
        );
    }
}
