//! Two small JavaScript helpers that move data across the N-API boundary in
//! bulk, and the numbers array they share, kept per Node environment (main
//! thread or worker).
//!
//! Every N-API call costs tens of nanoseconds (handle scopes, exception
//! checks); reading a preferences object key by key or building a result
//! field by field takes dozens of them. Instead, a helper written in
//! JavaScript walks the object (or builds the results) at JIT speed, and one
//! `Float64Array` plus one string carry the data:
//!
//! - `flatten` ([`super::prefs::FLATTEN_SOURCE`]): a preferences object into
//!   numbers and text, or `undefined` when it is not plainly well-formed;
//! - `unpack` ([`super::results::UNPACK_SOURCE`]): numbers and text into
//!   result objects.
//!
//! Both are compiled with `napi_run_script` on first use (which works with
//! `--disallow-code-generation-from-strings`, unlike `eval`), hold no data
//! between calls, and call nothing a caller could replace after the package
//! loaded. The numbers array is reused from call to call (a new
//! `ArrayBuffer` per call costs an off-heap allocation and work for V8's
//! sweeper): each use writes it and reads it back before any other
//! JavaScript runs, and only the helpers ever see it.
//!
//! Everything goes through napi's typed API (instance data, scripts,
//! function references and calls) except the shared numbers themselves:
//! napi has no safe way to keep a typed array's memory and write it from
//! Rust across calls, so that part (`Numbers`) is the one `unsafe` here.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;

use napi::bindgen_prelude::{Env, FnArgs, Function, FunctionRef, Object, ObjectRef, Unknown};
use napi::{sys, JsValue};

use super::{prefs, results};

/// Room for the numbers of a typical call (a result takes about 40).
const INITIAL_NUMBERS: usize = 1024;

/// The most numbers `flatten` gets room for (512 KiB): more than the
/// largest well-formed preferences take (a `similarTo` of 1,000 ids and a
/// 4,096-number vector beside every other field at its limits); anything
/// larger goes the general way.
const MAX_NUMBERS: usize = 1 << 16;

/// `flatten(object, numbers)`: the text, or `undefined`.
type Flatten = FunctionRef<FnArgs<(sys::napi_value, sys::napi_value)>, Option<String>>;
/// `unpack(numbers, text)`: the results.
type Unpack = FunctionRef<FnArgs<(sys::napi_value, String)>, Unknown<'static>>;

/// One environment's helpers and numbers, in its N-API instance data (this
/// package sets no other instance data).
///
/// A getter on a preferences object runs while `flatten` walks it and could
/// call back into this package; while a helper uses the shared numbers
/// (`busy`), such a nested call reads its preferences the general way and
/// gets a numbers array of its own, so neither sees the other's numbers.
pub struct Bridge {
    unpack: Unpack,
    flatten: Flatten,
    numbers: RefCell<Numbers>,
    busy: Cell<bool>,
}

/// A `Float64Array` kept alive by a reference, and its backing store.
struct Numbers {
    array: ObjectRef<false>,
    /// Off-heap, never detached (only the helpers see the array), so it
    /// stays put while `array` holds the array.
    data: *mut f64,
    capacity: usize,
}

impl Numbers {
    /// A new `Float64Array` of `len` numbers and its backing store.
    fn allocate(env: &Env, len: usize) -> napi::Result<(Object<'_>, *mut f64)> {
        let mut data: *mut c_void = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        let mut array = ptr::null_mut();
        // SAFETY: `env` is the live environment of the current call, on its
        // thread; every out-pointer is a local; statuses are checked.
        unsafe {
            check(
                sys::napi_create_arraybuffer(env.raw(), len.max(1) * 8, &mut data, &mut buffer),
                "creating the numbers",
            )?;
            check(
                sys::napi_create_typedarray(
                    env.raw(),
                    sys::TypedarrayType::float64_array,
                    len,
                    buffer,
                    0,
                    &mut array,
                ),
                "creating the numbers",
            )?;
        }
        Ok((Object::from_raw(env.raw(), array), data.cast()))
    }

    fn kept(env: &Env, len: usize) -> napi::Result<Numbers> {
        let (array, data) = Numbers::allocate(env, len)?;
        Ok(Numbers {
            array: array.create_ref()?,
            data,
            capacity: len,
        })
    }

    /// Write `nums` at the start of the store; `false` when they do not fit.
    fn write(&self, nums: &[f64]) -> bool {
        if nums.len() > self.capacity {
            return false;
        }
        // SAFETY: `data` points at `capacity` f64s that live while `array`
        // holds the array, and nothing else writes them while Rust does (no
        // JavaScript runs meanwhile).
        unsafe { ptr::copy_nonoverlapping(nums.as_ptr(), self.data, nums.len()) };
        true
    }

    /// The whole store, as `flatten` left it.
    fn read(&self) -> &[f64] {
        // SAFETY: as in `write`; `flatten` has returned, and no JavaScript
        // runs while the slice is borrowed (it ends with the caller's `read`).
        unsafe { std::slice::from_raw_parts(self.data, self.capacity) }
    }
}

/// A failed N-API step, as an error for the caller.
fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::GenericFailure,
            format!("N-API call failed while {what} (status {status})"),
        ))
    }
}

/// Compile a helper's source (a factory function expression) and call the
/// factory with `args`: the helper, kept for the environment's lifetime.
pub fn compile<Args, Helper>(env: &Env, source: &str, args: Args) -> napi::Result<Helper>
where
    Args: napi::bindgen_prelude::JsValuesTupleIntoVec,
    Helper: napi::bindgen_prelude::FromNapiValue,
{
    let factory: Function<'_, Args, Helper> = env.run_script(source)?;
    factory.call(args)
}

impl Bridge {
    /// The environment's bridge, created on first use.
    pub fn get(env: &Env) -> napi::Result<Rc<Bridge>> {
        if let Some(bridge) = env.get_instance_data::<Rc<Bridge>>()? {
            return Ok(bridge.clone());
        }
        let unpack: Function<'_, FnArgs<(sys::napi_value, String)>, Unknown<'static>> =
            results::compile_unpacker(env)?;
        let flatten: Function<'_, FnArgs<(sys::napi_value, sys::napi_value)>, Option<String>> =
            prefs::compile_flattener(env)?;
        let bridge = Rc::new(Bridge {
            unpack: unpack.create_ref()?,
            flatten: flatten.create_ref()?,
            numbers: RefCell::new(Numbers::kept(env, INITIAL_NUMBERS)?),
            busy: Cell::new(false),
        });
        // Dropped with the environment: the references go with it.
        env.set_instance_data(bridge.clone(), (), |_| {})?;
        Ok(bridge)
    }

    /// The shared numbers' array, with room for at least `needed` (a new,
    /// larger array if need be).
    fn reserve(&self, env: &Env, needed: usize) -> napi::Result<sys::napi_value> {
        let mut numbers = self.numbers.borrow_mut();
        if needed > numbers.capacity {
            let capacity = needed.max(numbers.capacity * 2).max(INITIAL_NUMBERS);
            let old = std::mem::replace(&mut *numbers, Numbers::kept(env, capacity)?);
            old.array.unref(env)?;
        }
        Ok(numbers.array.get_value(env)?.raw())
    }

    /// `unpack(numbers, text)` with `nums` as the numbers.
    pub fn unpack(&self, env: &Env, nums: &[f64], text: String) -> napi::Result<sys::napi_value> {
        let unpack = self.unpack.borrow_back(env)?;
        if self.busy.get() {
            // Called from inside `flatten` (a getter): numbers of its own.
            let own = Numbers::kept(env, nums.len())?;
            let array = own.array.get_value(env)?.raw();
            own.write(nums);
            let out = unpack.call(FnArgs::from((array, text)))?.raw();
            own.array.unref(env)?;
            return Ok(out);
        }
        let array = self.reserve(env, nums.len())?;
        if !self.numbers.borrow().write(nums) {
            return Err(napi::Error::from_reason("the numbers do not fit (a bug)"));
        }
        Ok(unpack.call(FnArgs::from((array, text)))?.raw())
    }

    /// `flatten(object, numbers)`, then `read(numbers, text)` on what it
    /// wrote; `None` when it answered `undefined` (not plainly well-formed),
    /// threw (a getter: napi clears the exception), or the shared numbers
    /// are in use by an outer call. When the numbers did not fit
    /// ([`prefs::OUT_OF_ROOM`]: a long `similarTo.vector`), the array is
    /// doubled (it stays that size) and `flatten` runs again, up to
    /// [`MAX_NUMBERS`].
    pub fn flatten<T>(
        &self,
        env: &Env,
        object: sys::napi_value,
        read: impl FnOnce(&[f64], &str) -> T,
    ) -> napi::Result<Option<T>> {
        if self.busy.get() {
            return Ok(None);
        }
        let mut needed = 0;
        loop {
            let array = self.reserve(env, needed)?;
            let flatten = self.flatten.borrow_back(env)?;
            self.busy.set(true);
            let out = flatten.call(FnArgs::from((object, array)));
            self.busy.set(false);
            let numbers = self.numbers.borrow();
            match out {
                Ok(Some(text)) => return Ok(Some(read(numbers.read(), &text))),
                Ok(None)
                    if numbers.read()[0] == prefs::OUT_OF_ROOM
                        && numbers.capacity < MAX_NUMBERS =>
                {
                    needed = numbers.capacity * 2;
                }
                _ => return Ok(None),
            }
        }
    }
}
