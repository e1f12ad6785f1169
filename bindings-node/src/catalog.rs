//! `Catalog`: an immutable, versioned snapshot of listings.

use agent_mira::catalog::loaders::{
    from_values, load_path_with, parse_records, CsvMapping, LoadOptions, OnDuplicate,
};
use agent_mira::{MiraError, RecordRef};
use napi::bindgen_prelude::{Env, Unknown};
use napi::JsValue;
use napi_derive::napi;

use crate::convert::js::{self, Js, Keys, Kind};
use crate::convert::{self, names, out};
use crate::error::{guard, BindError, Code};

/// An immutable, versioned snapshot of listings. `upsert` and `remove`
/// return a new catalog (next version); the old one is never changed.
#[napi]
pub struct Catalog {
    pub(crate) inner: agent_mira::Catalog,
}

impl Catalog {
    pub(crate) fn wrap(inner: agent_mira::Catalog) -> Catalog {
        Catalog { inner }
    }
}

/// A CSV mapping: a preset name (`king-county`) or a JSON mapping file, as
/// the `mira` CLI reads it; or a mapping object.
fn mapping(j: Js, v: napi::sys::napi_value, record: &RecordRef) -> Result<CsvMapping, BindError> {
    match j.kind(v)? {
        Kind::String => {
            let spec = j.string(v)?;
            if std::path::Path::new(&spec).is_file() {
                Ok(CsvMapping::from_path(&spec)?)
            } else {
                Ok(CsvMapping::preset(&spec)?)
            }
        }
        Kind::Object => {
            let value = j.object(v, record, Keys::AsIs, "", "")?;
            // `onDuplicate` is the one camelCase key of a mapping object.
            let value = match value {
                serde_json::Value::Object(m) => serde_json::Value::Object(
                    m.into_iter()
                        .map(|(k, v)| match names::field_for_key(&k) {
                            Some(f) if f == "on_duplicate" => (f, v),
                            _ => (k, v),
                        })
                        .collect(),
                ),
                other => other,
            };
            Ok(CsvMapping::from_json(&value.to_string()).map_err(names::camel_error)?)
        }
        _ => Err(BindError::wrong_type(
            format!("{record}: field `mapping`"),
            &j.describe(v),
            "a preset name (\"king-county\"), a mapping file path or a mapping object",
        )),
    }
}

fn on_duplicate(
    j: Js,
    v: napi::sys::napi_value,
    record: &RecordRef,
) -> Result<OnDuplicate, BindError> {
    let expected = "\"error\" or \"keep_last\"";
    match j.kind(v)? {
        Kind::String => match j.string(v)?.as_str() {
            "error" => Ok(OnDuplicate::Error),
            "keep_last" => Ok(OnDuplicate::KeepLast),
            other => Err(MiraError::invalid(
                record.clone(),
                "onDuplicate",
                format!("{other:?}"),
                expected,
            )
            .into()),
        },
        _ => Err(BindError::wrong_type(
            format!("{record}: field `onDuplicate`"),
            &j.describe(v),
            expected,
        )),
    }
}

/// `{ currentYear }` (records) or `{ currentYear, mapping, onDuplicate }` (files).
fn builder_year(
    j: Js,
    options: Option<napi::sys::napi_value>,
    record: &RecordRef,
    allowed: &[&str],
) -> Result<
    (
        agent_mira::CatalogBuilder,
        Vec<(String, napi::sys::napi_value)>,
    ),
    BindError,
> {
    let entries = js::options(j, options, record, allowed)?;
    let mut builder = agent_mira::Catalog::builder();
    for (key, v) in &entries {
        if key == "currentYear" {
            builder = builder.current_year(js::year(j, *v, record, "currentYear")?);
        }
    }
    Ok((builder, entries))
}

#[napi]
impl Catalog {
    /// A catalog from listing objects (camelCase keys: `id`, `price`,
    /// `sizeSqft`, `yearBuilt`, …). Each record is validated by the core;
    /// errors name `record #i`, the field and the value.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "records: Array<ListingInput>, options?: RecordsOptions"
    )]
    pub fn from_records(
        env: Env,
        records: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Catalog, Code> {
        guard(|| {
            let j = Js::new(&env);
            let record = RecordRef::Other("Catalog.fromRecords options".into());
            let (builder, _) =
                builder_year(j, options.map(|o| o.raw()), &record, &["currentYear"])?;
            let values = convert::records(j, records.raw(), "Catalog.fromRecords()")?;
            let catalog = from_values(values, LoadOptions::new().builder(builder))
                .map_err(names::camel_error)?;
            Ok(Catalog::wrap(catalog))
        })
    }

    /// Load listings from a file: a case-study directory, `.json`, `.jsonl`
    /// / `.ndjson` or `.csv` (files keep their snake_case field names).
    /// `mapping`: a CSV column mapping (preset name, mapping file, or object);
    /// `currentYear`: the year that bounds `year_built` (default: this year).
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "path: string, options?: LoadOptions"
    )]
    pub fn from_path(
        env: Env,
        path: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Catalog, Code> {
        guard(|| {
            let j = Js::new(&env);
            let path = js::string_arg(j, path.raw(), "Catalog.fromPath()", "path")?;
            let record = RecordRef::Other("Catalog.fromPath options".into());
            let (builder, entries) = builder_year(
                j,
                options.map(|o| o.raw()),
                &record,
                &["currentYear", "mapping", "onDuplicate"],
            )?;
            let mut load = LoadOptions::new().builder(builder);
            for (key, v) in entries {
                match key.as_str() {
                    "mapping" => load = load.csv_mapping(mapping(j, v, &record)?),
                    "onDuplicate" => load = load.on_duplicate(on_duplicate(j, v, &record)?),
                    _ => {}
                }
            }
            Ok(Catalog::wrap(load_path_with(&path, load)?))
        })
    }

    /// Load a snapshot written by `save` (format, version and checksum are
    /// checked: `MIRA_CORRUPT`, `MIRA_UNSUPPORTED_VERSION`, `MIRA_IO`).
    #[napi(factory, catch_unwind, ts_args_type = "path: string")]
    pub fn load(env: Env, path: Unknown<'_>) -> napi::Result<Catalog, Code> {
        guard(|| {
            let path = js::string_arg(Js::new(&env), path.raw(), "Catalog.load()", "path")?;
            Ok(Catalog::wrap(agent_mira::Catalog::load(path)?))
        })
    }

    /// Save the whole catalog as one checksummed snapshot file, atomically.
    #[napi(catch_unwind, ts_args_type = "path: string")]
    pub fn save(&self, env: Env, path: Unknown<'_>) -> napi::Result<(), Code> {
        guard(|| {
            let path = js::string_arg(Js::new(&env), path.raw(), "catalog.save()", "path")?;
            Ok(self.inner.save(path)?)
        })
    }

    /// Number of listings.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    /// The snapshot's version: 1 when built, +1 for every upsert or remove.
    #[napi(getter)]
    pub fn version(&self) -> f64 {
        self.inner.version() as f64
    }

    /// The listing with this id, or `null`.
    #[napi(catch_unwind, ts_args_type = "id: number | string")]
    pub fn get(&self, env: Env, id: Unknown<'_>) -> napi::Result<Option<out::Listing>, Code> {
        guard(|| {
            let id = js::id_from(Js::new(&env), id.raw(), "catalog.get()")?;
            Ok(self.inner.get(&id).map(out::listing))
        })
    }

    /// A new catalog (next version) where each record replaces the listing
    /// with its id, or is added at the end.
    #[napi(catch_unwind, ts_args_type = "records: Array<ListingInput>")]
    pub fn upsert(&self, env: Env, records: Unknown<'_>) -> napi::Result<Catalog, Code> {
        guard(|| {
            let j = Js::new(&env);
            let values = convert::records(j, records.raw(), "catalog.upsert()")?;
            let updates =
                parse_records(values, self.inner.current_year()).map_err(names::camel_error)?;
            let next = self.inner.upsert(updates).map_err(names::camel_error)?;
            Ok(Catalog::wrap(next))
        })
    }

    /// A new catalog (next version) without the listings with these ids;
    /// an unknown id is `MIRA_NOT_FOUND` and nothing is removed.
    #[napi(catch_unwind, ts_args_type = "ids: Array<number | string>")]
    pub fn remove(&self, env: Env, ids: Unknown<'_>) -> napi::Result<Catalog, Code> {
        guard(|| {
            let j = Js::new(&env);
            if j.kind(ids.raw())? != Kind::Array {
                return Err(BindError::wrong_type(
                    "catalog.remove(): argument `ids`",
                    &j.describe(ids.raw()),
                    "an array of ids",
                ));
            }
            let ids = j
                .elements(ids.raw())?
                .into_iter()
                .enumerate()
                .map(|(i, v)| js::id_from(j, v, &format!("catalog.remove(): `ids[{i}]`")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Catalog::wrap(self.inner.remove(ids.iter())?))
        })
    }
}
