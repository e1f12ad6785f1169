//! Recommendations handed to JavaScript in one step: their numbers in a
//! `Float64Array`, their text in one string, turned into the result objects
//! by a small JavaScript function ([`UNPACK_SOURCE`]) compiled once per
//! Node environment (the numbers array is reused too: [`EnvState`]).
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
//!           count, string × count                      // reasons
//! id      = the id as a number | NaN, string           (a string id, or an
//!                                                       integer above 2^53 − 1)
//! name    = i (NAMES[i]) | -1, string                   (a name not in NAMES)
//! ```

use std::ffi::c_void;
use std::ptr;

use agent_mira::scoring::ComponentName;
use agent_mira::{PropertyId, Recommendation};
use napi::bindgen_prelude::{ToNapiValue, TypeName, ValueType};
use napi::sys;

use super::js::MAX_SAFE_INTEGER;

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
    return { id, score, components, predictedPrice, listedPrice, priceSource, unknown, reasons };
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
/// then every price source.
fn names() -> impl Iterator<Item = &'static str> {
    ComponentName::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(["listed", "model"])
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
            nums: Vec::with_capacity(2 + results * 40),
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
        match &r.id {
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
        self.nums.push(r.score);
        self.nums.push(r.components.len() as f64);
        for (name, value) in &r.components {
            self.name(name);
            self.nums.push(*value);
        }
        self.nums.push(r.predicted_price);
        self.nums.push(r.listed_price);
        self.name(r.price_source.as_str());
        self.nums.push(r.unknown.len() as f64);
        for name in &r.unknown {
            self.name(name);
        }
        self.nums.push(r.reasons.len() as f64);
        for reason in &r.reasons {
            self.string(reason);
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

fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::GenericFailure,
            format!("handing results to JavaScript failed while {what} (N-API status {status})"),
        ))
    }
}

/// What this package keeps per Node environment (main thread or worker), in
/// the environment's N-API instance data (this package sets no other): the
/// unpacking function, compiled on first use, and a `Float64Array` the
/// numbers are copied into, reused from call to call (a new `ArrayBuffer`
/// per call costs an allocation and work for V8's sweeper). The unpacker
/// reads it before any other JavaScript runs and keeps no reference to it,
/// and no one else sees it, so reusing it is safe.
struct EnvState {
    unpack: sys::napi_ref,
    numbers: sys::napi_ref,
    /// The numbers' backing store: off-heap, never detached (no one else
    /// holds the array), so the pointer stays valid while `numbers` lives.
    data: *mut f64,
    capacity: usize,
}

/// Room for the numbers of a typical answer (a result takes about 40).
const INITIAL_NUMBERS: usize = 1024;

/// This environment's state, created on first use.
///
/// # Safety
/// `env` must be live and this must run on its JavaScript thread.
unsafe fn env_state(env: sys::napi_env) -> napi::Result<&'static mut EnvState> {
    // SAFETY: the instance data, when set, is the `EnvState` boxed below;
    // it lives until the environment's teardown frees it (`drop_env_state`),
    // and only this thread touches it.
    unsafe {
        let mut data: *mut c_void = ptr::null_mut();
        check(
            sys::napi_get_instance_data(env, &mut data),
            "reading instance data",
        )?;
        if !data.is_null() {
            return Ok(&mut *(data as *mut EnvState));
        }
        let func = compile_unpacker(env)?;
        let mut unpack = ptr::null_mut();
        check(
            sys::napi_create_reference(env, func, 1, &mut unpack),
            "keeping the unpacker",
        )?;
        let mut state = EnvState {
            unpack,
            numbers: ptr::null_mut(),
            data: ptr::null_mut(),
            capacity: 0,
        };
        grow(env, &mut state, INITIAL_NUMBERS)?;
        let boxed = Box::into_raw(Box::new(state));
        check(
            sys::napi_set_instance_data(env, boxed.cast(), Some(drop_env_state), ptr::null_mut()),
            "storing the unpacker",
        )
        .inspect_err(|_| drop_env_state(env, boxed.cast(), ptr::null_mut()))?;
        Ok(&mut *boxed)
    }
}

/// Replace the numbers array by one of at least `needed` numbers.
unsafe fn grow(env: sys::napi_env, state: &mut EnvState, needed: usize) -> napi::Result<()> {
    // SAFETY: as for `env_state`; every out-pointer is a local.
    unsafe {
        let capacity = needed.max(state.capacity * 2).max(INITIAL_NUMBERS);
        let mut data: *mut c_void = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        check(
            sys::napi_create_arraybuffer(env, capacity * 8, &mut data, &mut buffer),
            "creating the numbers",
        )?;
        let mut array = ptr::null_mut();
        check(
            sys::napi_create_typedarray(
                env,
                sys::TypedarrayType::float64_array,
                capacity,
                buffer,
                0,
                &mut array,
            ),
            "creating the numbers",
        )?;
        let mut numbers = ptr::null_mut();
        check(
            sys::napi_create_reference(env, array, 1, &mut numbers),
            "keeping the numbers",
        )?;
        if !state.numbers.is_null() {
            sys::napi_delete_reference(env, state.numbers);
        }
        state.numbers = numbers;
        state.data = data.cast();
        state.capacity = capacity;
        Ok(())
    }
}

/// Compile [`UNPACK_SOURCE`] and call the factory with the name table.
unsafe fn compile_unpacker(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    // SAFETY: as for `env_state`; every out-pointer is a local.
    unsafe {
        let mut source = ptr::null_mut();
        check(
            sys::napi_create_string_utf8(
                env,
                UNPACK_SOURCE.as_ptr().cast(),
                UNPACK_SOURCE.len() as isize,
                &mut source,
            ),
            "creating the unpacker's source",
        )?;
        let mut factory = ptr::null_mut();
        check(
            sys::napi_run_script(env, source, &mut factory),
            "compiling the unpacker",
        )?;
        let mut table = ptr::null_mut();
        check(sys::napi_create_array(env, &mut table), "creating names")?;
        for (i, name) in names().enumerate() {
            let mut s = ptr::null_mut();
            check(
                sys::napi_create_string_utf8(
                    env,
                    name.as_ptr().cast(),
                    name.len() as isize,
                    &mut s,
                ),
                "creating a name",
            )?;
            check(
                sys::napi_set_element(env, table, i as u32, s),
                "storing a name",
            )?;
        }
        let mut undefined = ptr::null_mut();
        check(sys::napi_get_undefined(env, &mut undefined), "undefined")?;
        let mut func = ptr::null_mut();
        check(
            sys::napi_call_function(env, undefined, factory, 1, &table, &mut func),
            "creating the unpacker",
        )?;
        Ok(func)
    }
}

/// Instance-data finaliser: the environment is going away.
unsafe extern "C" fn drop_env_state(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the box `env_state` stored; N-API calls this once.
    unsafe {
        let state = Box::from_raw(data as *mut EnvState);
        sys::napi_delete_reference(env, state.unpack);
        sys::napi_delete_reference(env, state.numbers);
    }
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
        // SAFETY: called by napi on the JavaScript thread with a live `env`;
        // `state.data` points at `state.capacity` numbers (see `EnvState`),
        // written before any JavaScript runs; every out-pointer is a local
        // and every status is checked.
        unsafe {
            let state = env_state(env)?;
            if val.nums.len() > state.capacity {
                grow(env, state, val.nums.len())?;
            }
            ptr::copy_nonoverlapping(val.nums.as_ptr(), state.data, val.nums.len());
            let mut args = [ptr::null_mut(); 2];
            check(
                sys::napi_get_reference_value(env, state.numbers, &mut args[0]),
                "reading the numbers",
            )?;
            check(
                sys::napi_create_string_utf8(
                    env,
                    val.text.as_ptr().cast(),
                    val.text.len() as isize,
                    &mut args[1],
                ),
                "creating the text",
            )?;
            let mut unpack = ptr::null_mut();
            check(
                sys::napi_get_reference_value(env, state.unpack, &mut unpack),
                "reading the unpacker",
            )?;
            let mut undefined = ptr::null_mut();
            check(sys::napi_get_undefined(env, &mut undefined), "undefined")?;
            let mut out = ptr::null_mut();
            check(
                sys::napi_call_function(env, undefined, unpack, 2, args.as_ptr(), &mut out),
                "unpacking the results",
            )?;
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use agent_mira::PriceSource;

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
        }
    }

    #[test]
    fn layout_of_one_answer() {
        let p = Packed::recommendations(&[rec(PropertyId::Int(7))]);
        let commute = names().position(|n| n == "commute").unwrap() as f64;
        let model = names().position(|n| n == "model").unwrap() as f64;
        let expected = [
            0.0, 1.0, // one request, one result
            7.0, 87.5, 1.0, 0.0, 100.0, // id, score, components
            1.5, 2.0, model, // prices, source
            2.0, commute, -1.0, 10.0, // unknown: a known and an unknown name
            1.0, 10.0, // one reason of 10 UTF-16 units
        ];
        assert_eq!(p.nums, expected);
        assert_eq!(p.text, "unheard_ofCafé — 3 €");
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
    }
}
