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

use std::cell::Cell;
use std::ffi::c_void;
use std::ptr;

use napi::bindgen_prelude::FromNapiValue;
use napi::sys;

use super::{prefs, results};

/// Room for the numbers of a typical call (a result takes about 40).
const INITIAL_NUMBERS: usize = 1024;

/// One environment's helpers and numbers, in its N-API instance data (this
/// package sets no other instance data).
///
/// A getter on a preferences object runs while `flatten` walks it and could
/// call back into this package; while a helper uses the shared numbers
/// (`busy`), such a nested call reads its preferences the general way and
/// gets a numbers array of its own, so neither sees the other's numbers.
pub struct Bridge {
    env: sys::napi_env,
    unpack: sys::napi_ref,
    flatten: sys::napi_ref,
    numbers: Cell<sys::napi_ref>,
    /// The numbers' backing store: off-heap, never detached (only the
    /// helpers see the array), so it stays put while `numbers` holds it.
    data: Cell<*mut f64>,
    capacity: Cell<usize>,
    busy: Cell<bool>,
}

/// A failed N-API step, as an error for the caller.
pub fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::GenericFailure,
            format!("N-API call failed while {what} (status {status})"),
        ))
    }
}

impl Bridge {
    /// The environment's bridge, created on first use.
    ///
    /// # Safety
    /// `env` must be live and this must run on its JavaScript thread; the
    /// reference must not outlive the current call into the addon.
    pub unsafe fn get(env: sys::napi_env) -> napi::Result<&'static Bridge> {
        // SAFETY: the instance data, when set, is the `Bridge` boxed below;
        // it lives until the environment's teardown frees it (`finalize`),
        // and only this thread touches it (shared references only; what
        // changes is in `Cell`s).
        unsafe {
            let mut data: *mut c_void = ptr::null_mut();
            check(
                sys::napi_get_instance_data(env, &mut data),
                "reading instance data",
            )?;
            if !data.is_null() {
                return Ok(&*(data as *const Bridge));
            }
            let bridge = Bridge {
                env,
                unpack: keep(env, results::compile_unpacker(env)?)?,
                flatten: keep(env, prefs::compile_flattener(env)?)?,
                numbers: Cell::new(ptr::null_mut()),
                data: Cell::new(ptr::null_mut()),
                capacity: Cell::new(0),
                busy: Cell::new(false),
            };
            bridge.reserve(INITIAL_NUMBERS)?;
            let boxed = Box::into_raw(Box::new(bridge));
            if let Err(e) = check(
                sys::napi_set_instance_data(env, boxed.cast(), Some(finalize), ptr::null_mut()),
                "storing the helpers",
            ) {
                finalize(env, boxed.cast(), ptr::null_mut());
                return Err(e);
            }
            Ok(&*boxed)
        }
    }

    /// Room for at least `needed` shared numbers (a new, larger array if
    /// need be).
    fn reserve(&self, needed: usize) -> napi::Result<()> {
        if needed <= self.capacity.get() {
            return Ok(());
        }
        let capacity = needed.max(self.capacity.get() * 2).max(INITIAL_NUMBERS);
        let (array, data) = self.new_numbers(capacity)?;
        let numbers = keep(self.env, array)?;
        let old = self.numbers.replace(numbers);
        if !old.is_null() {
            // SAFETY: `old` was one of this bridge's live references.
            unsafe { sys::napi_delete_reference(self.env, old) };
        }
        self.data.set(data);
        self.capacity.set(capacity);
        Ok(())
    }

    /// A new `Float64Array` of `len` numbers and its backing store.
    fn new_numbers(&self, len: usize) -> napi::Result<(sys::napi_value, *mut f64)> {
        // SAFETY: `self.env` is live on this thread (see `get`); every
        // out-pointer is a local.
        unsafe {
            let mut data: *mut c_void = ptr::null_mut();
            let mut buffer = ptr::null_mut();
            check(
                sys::napi_create_arraybuffer(self.env, len.max(1) * 8, &mut data, &mut buffer),
                "creating the numbers",
            )?;
            let mut array = ptr::null_mut();
            check(
                sys::napi_create_typedarray(
                    self.env,
                    sys::TypedarrayType::float64_array,
                    len,
                    buffer,
                    0,
                    &mut array,
                ),
                "creating the numbers",
            )?;
            Ok((array, data.cast()))
        }
    }

    /// `unpack(numbers, text)` with `nums` as the numbers.
    pub fn unpack(&self, nums: &[f64], text: sys::napi_value) -> napi::Result<sys::napi_value> {
        let (array, data) = if self.busy.get() {
            // Called from inside `flatten` (a getter): numbers of its own.
            self.new_numbers(nums.len())?
        } else {
            self.reserve(nums.len())?;
            (value(self.env, self.numbers.get())?, self.data.get())
        };
        // SAFETY: `data` has room for `nums.len()` numbers (made above).
        unsafe { ptr::copy_nonoverlapping(nums.as_ptr(), data, nums.len()) };
        self.call(self.unpack, &[array, text], "unpacking the results")
    }

    /// `flatten(object, numbers)`, then `read(numbers, text)` on what it
    /// wrote; `None` when it answered `undefined` (not plainly well-formed),
    /// threw (a getter), or the shared numbers are in use by an outer call.
    pub fn flatten<T>(
        &self,
        object: sys::napi_value,
        read: impl FnOnce(&[f64], &str) -> T,
    ) -> napi::Result<Option<T>> {
        if self.busy.replace(true) {
            return Ok(None);
        }
        let args = [object, value(self.env, self.numbers.get())?];
        let out = self.call(self.flatten, &args, "reading the preferences");
        self.busy.set(false);
        let Ok(out) = out else {
            // A getter threw: leave it to the general reader.
            clear_exception(self.env);
            return Ok(None);
        };
        let Some(text) = string_or_undefined(self.env, out)? else {
            return Ok(None);
        };
        // SAFETY: `data` points at `capacity` f64s that live while the
        // array does (see the field); nothing runs JavaScript before `read`
        // returns.
        let nums = unsafe { std::slice::from_raw_parts(self.data.get(), self.capacity.get()) };
        Ok(Some(read(nums, &text)))
    }

    fn call(
        &self,
        func: sys::napi_ref,
        args: &[sys::napi_value],
        what: &str,
    ) -> napi::Result<sys::napi_value> {
        let func = value(self.env, func)?;
        // SAFETY: as in `new_numbers`.
        unsafe {
            let mut undefined = ptr::null_mut();
            check(sys::napi_get_undefined(self.env, &mut undefined), what)?;
            let mut out = ptr::null_mut();
            check(
                sys::napi_call_function(
                    self.env,
                    undefined,
                    func,
                    args.len(),
                    args.as_ptr(),
                    &mut out,
                ),
                what,
            )?;
            Ok(out)
        }
    }
}

/// Drop a pending JavaScript exception, if any.
fn clear_exception(env: sys::napi_env) {
    // SAFETY: `env` is live on this thread; the out-pointer is a local.
    unsafe {
        let mut pending = false;
        if sys::napi_is_exception_pending(env, &mut pending) == sys::Status::napi_ok && pending {
            let mut e = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut e);
        }
    }
}

/// A JavaScript string's text, or `None` for anything else.
fn string_or_undefined(env: sys::napi_env, v: sys::napi_value) -> napi::Result<Option<String>> {
    let mut t = 0;
    // SAFETY: `env` is live on this thread; `v` a value of this call.
    unsafe {
        check(sys::napi_typeof(env, v, &mut t), "reading a type")?;
        if t != sys::ValueType::napi_string {
            return Ok(None);
        }
        // Usually short: one call into a stack buffer. N-API writes at most
        // `len - 1` bytes and a NUL, stopping before a character that does
        // not fit whole (up to 4 bytes): with more left over, it was not cut.
        let mut buf = [0u8; 512];
        let mut len = 0usize;
        check(
            sys::napi_get_value_string_utf8(env, v, buf.as_mut_ptr().cast(), buf.len(), &mut len),
            "reading a string",
        )?;
        if len + 1 + 4 <= buf.len() {
            if let Ok(text) = std::str::from_utf8(&buf[..len]) {
                return Ok(Some(text.to_string()));
            }
        }
        String::from_napi_value(env, v).map(Some)
    }
}

/// A strong reference: the value lives as long as the environment.
fn keep(env: sys::napi_env, v: sys::napi_value) -> napi::Result<sys::napi_ref> {
    let mut r = ptr::null_mut();
    // SAFETY: `env` is live on this thread (callers' contract).
    check(
        unsafe { sys::napi_create_reference(env, v, 1, &mut r) },
        "keeping a helper",
    )?;
    Ok(r)
}

fn value(env: sys::napi_env, r: sys::napi_ref) -> napi::Result<sys::napi_value> {
    let mut v = ptr::null_mut();
    // SAFETY: as for `keep`; `r` is one of the bridge's live references.
    check(
        unsafe { sys::napi_get_reference_value(env, r, &mut v) },
        "reading a helper",
    )?;
    Ok(v)
}

/// Compile a helper's source (a factory function expression) and call the
/// factory with `args`.
///
/// # Safety
/// `env` must be live and this must run on its JavaScript thread.
pub unsafe fn compile(
    env: sys::napi_env,
    source: &str,
    args: &[sys::napi_value],
) -> napi::Result<sys::napi_value> {
    // SAFETY: the caller's contract; every out-pointer is a local.
    unsafe {
        let mut text = ptr::null_mut();
        check(
            sys::napi_create_string_utf8(
                env,
                source.as_ptr().cast(),
                source.len() as isize,
                &mut text,
            ),
            "creating a helper's source",
        )?;
        let mut factory = ptr::null_mut();
        check(
            sys::napi_run_script(env, text, &mut factory),
            "compiling a helper",
        )?;
        let mut undefined = ptr::null_mut();
        check(sys::napi_get_undefined(env, &mut undefined), "undefined")?;
        let mut helper = ptr::null_mut();
        check(
            sys::napi_call_function(
                env,
                undefined,
                factory,
                args.len(),
                args.as_ptr(),
                &mut helper,
            ),
            "creating a helper",
        )?;
        Ok(helper)
    }
}

/// A JavaScript array of strings.
///
/// # Safety
/// As for [`compile`].
pub unsafe fn strings<'a>(
    env: sys::napi_env,
    items: impl IntoIterator<Item = &'a str>,
) -> napi::Result<sys::napi_value> {
    // SAFETY: the caller's contract; every out-pointer is a local.
    unsafe {
        array(env, items, |s, v| {
            sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, v)
        })
    }
}

/// A JavaScript array of numbers.
///
/// # Safety
/// As for [`compile`].
pub unsafe fn numbers(
    env: sys::napi_env,
    items: impl IntoIterator<Item = f64>,
) -> napi::Result<sys::napi_value> {
    // SAFETY: the caller's contract; every out-pointer is a local.
    unsafe { array(env, items, |x, v| sys::napi_create_double(env, x, v)) }
}

/// A JavaScript array of `items`, each made by `create` (an N-API
/// constructor writing the value through its out-pointer).
///
/// # Safety
/// As for [`compile`].
unsafe fn array<T>(
    env: sys::napi_env,
    items: impl IntoIterator<Item = T>,
    create: impl Fn(T, *mut sys::napi_value) -> sys::napi_status,
) -> napi::Result<sys::napi_value> {
    // SAFETY: the caller's contract; every out-pointer is a local.
    unsafe {
        let mut array = ptr::null_mut();
        check(sys::napi_create_array(env, &mut array), "creating an array")?;
        for (i, item) in items.into_iter().enumerate() {
            let mut v = ptr::null_mut();
            check(create(item, &mut v), "creating an array element")?;
            check(
                sys::napi_set_element(env, array, i as u32, v),
                "filling an array",
            )?;
        }
        Ok(array)
    }
}

/// Instance-data finaliser: the environment is going away.
unsafe extern "C" fn finalize(env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the box `Bridge::get` stored; N-API calls this once.
    unsafe {
        let bridge = Box::from_raw(data as *mut Bridge);
        for r in [bridge.unpack, bridge.flatten, bridge.numbers.get()] {
            if !r.is_null() {
                sys::napi_delete_reference(env, r);
            }
        }
    }
}
