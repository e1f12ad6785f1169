//! `Catalog`: an immutable, versioned snapshot of listings.

use agent_mira::catalog::loaders::{
    from_values, load_path_with, parse_records, CsvMapping, LoadOptions, OnDuplicate,
};
use agent_mira::{MiraError, RecordRef};
use napi::bindgen_prelude::{Env, This, Unknown};
use napi_derive::napi;

use crate::convert::args::{self, Options};
use crate::convert::value::{self, Kind};
use crate::convert::{self, out, vectors};
use crate::error::{factories_only, guard, guard_js, BindError, Code};

/// An immutable, versioned snapshot of listings. `upsert`, `remove` and
/// `withEmbeddings` return a new catalog (next version); the old one is
/// never changed.
#[napi]
pub struct Catalog {
    pub(crate) inner: agent_mira::Catalog,
}

impl Catalog {
    pub(crate) fn wrap(inner: agent_mira::Catalog) -> Catalog {
        Catalog { inner }
    }
}

/// The CSV column mapping of `Catalog.fromPath` options, as in Python's
/// `Catalog.from_path(mapping=, mapping_file=)`: `mapping` is a preset name
/// (`'king-county'`) or a mapping object, never a path; `mappingFile` is the
/// path of a JSON mapping file. One or the other.
fn csv_mapping(options: &Options<'_>) -> Result<Option<CsvMapping>, BindError> {
    let expected = "a preset name (\"king-county\") or a mapping object";
    match (options.get("mapping"), options.string("mappingFile")?) {
        (Some(_), Some(path)) => Err(BindError::AsTyped(MiraError::invalid(
            options.record().clone(),
            "mappingFile",
            format!("{path:?}"),
            "no `mapping` beside it (give a preset name or mapping object in `mapping`, or a file in `mappingFile`, not both)",
        ))),
        (None, Some(path)) => Ok(Some(CsvMapping::from_path(path)?)),
        (None, None) => Ok(None),
        (Some(v), None) => match value::kind(v)? {
            Kind::String => Ok(Some(preset(&value::string(v)?)?)),
            Kind::Object => Ok(Some(convert::mapping(v, options.record(), expected)?)),
            _ => Err(options.wrong_type("mapping", v, expected)),
        },
    }
}

/// A preset by name; a name that looks like a file is pointed at `mappingFile`.
fn preset(name: &str) -> Result<CsvMapping, MiraError> {
    CsvMapping::preset(name).map_err(|e| match e {
        MiraError::Unsupported { what, name, hint } if looks_like_a_file(&name) => {
            MiraError::Unsupported {
                what,
                hint: Some(format!(
                    "{}; a mapping file goes in `mappingFile`",
                    hint.unwrap_or_default()
                )),
                name,
            }
        }
        other => other,
    })
}

/// A path rather than a name: a directory separator or a `.json` ending.
fn looks_like_a_file(name: &str) -> bool {
    name.contains(['/', '\\']) || name.to_ascii_lowercase().ends_with(".json")
}

/// `onDuplicate`: `'error'` or `'keep_last'`.
fn on_duplicate(options: &Options<'_>) -> Result<Option<OnDuplicate>, BindError> {
    let expected = "\"error\" or \"keep_last\"";
    let Some(v) = options.get("onDuplicate") else {
        return Ok(None);
    };
    if value::kind(v)? != Kind::String {
        return Err(options.wrong_type("onDuplicate", v, expected));
    }
    match value::string(v)?.as_str() {
        "error" => Ok(Some(OnDuplicate::Error)),
        "keep_last" => Ok(Some(OnDuplicate::KeepLast)),
        other => Err(BindError::AsTyped(MiraError::invalid(
            options.record().clone(),
            "onDuplicate",
            format!("{other:?}"),
            expected,
        ))),
    }
}

/// A catalog builder with the options' `currentYear`, if given.
fn builder(options: &Options<'_>) -> Result<agent_mira::CatalogBuilder, BindError> {
    let builder = agent_mira::Catalog::builder();
    Ok(match options.year("currentYear")? {
        Some(year) => builder.current_year(year),
        None => builder,
    })
}

#[napi]
impl Catalog {
    /// Not a way to build a catalog: throws a `TypeError` (without `new`,
    /// the one every JavaScript class throws). Use `Catalog.fromRecords`,
    /// `Catalog.fromPath` or `Catalog.load`.
    #[napi(constructor, catch_unwind, ts_args_type = "")]
    pub fn new(env: Env, this: This<Unknown<'_>>) -> napi::Result<Self> {
        factories_only::<Catalog>(
            &env,
            &this,
            "Catalog",
            "Catalog.fromRecords(records), Catalog.fromPath(path) or Catalog.load(path)",
        )
    }

    /// A catalog from listing objects (camelCase keys: `id`, `price`,
    /// `sizeSqft`, `yearBuilt`, …). Each record is validated by the core;
    /// errors name `record #i`, the field and the value.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "records: Array<ListingInput>, options?: RecordsOptions"
    )]
    pub fn from_records(
        records: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Catalog, Code> {
        guard_js(|| {
            let options = Options::read(
                options.as_ref(),
                RecordRef::Other("Catalog.fromRecords options".into()),
                &["currentYear"],
            )?;
            let builder = builder(&options)?;
            let values = convert::records(&records, "Catalog.fromRecords()")?;
            let catalog = from_values(values, LoadOptions::new().builder(builder))?;
            Ok(Catalog::wrap(catalog))
        })
    }

    /// Load listings from a file: a case-study directory, `.json`, `.jsonl`
    /// / `.ndjson` or `.csv` (files keep their snake_case field names).
    /// `mapping`: a CSV column mapping, a preset name (`'king-county'`) or a
    /// mapping object; `mappingFile`: the path of a JSON mapping file
    /// instead; `onDuplicate`: `'error'` (default) or `'keep_last'`;
    /// `currentYear`: the year that bounds `year_built` (default: this year).
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "path: string, options?: LoadOptions"
    )]
    pub fn from_path(
        path: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Catalog, Code> {
        guard(|| {
            let path = args::string(&path, "Catalog.fromPath()", "path")?;
            let options = Options::read(
                options.as_ref(),
                RecordRef::Other("Catalog.fromPath options".into()),
                &["currentYear", "mapping", "mappingFile", "onDuplicate"],
            )?;
            let mut load = LoadOptions::new().builder(builder(&options)?);
            if let Some(mapping) = csv_mapping(&options)? {
                load = load.csv_mapping(mapping);
            }
            if let Some(on_duplicate) = on_duplicate(&options)? {
                load = load.on_duplicate(on_duplicate);
            }
            Ok(Catalog::wrap(load_path_with(&path, load)?))
        })
    }

    /// Load a snapshot written by `save` (format, version and checksum are
    /// checked: `MIRA_CORRUPT`, `MIRA_UNSUPPORTED_VERSION`, `MIRA_IO`).
    #[napi(factory, catch_unwind, ts_args_type = "path: string")]
    pub fn load(path: Unknown<'_>) -> napi::Result<Catalog, Code> {
        guard(|| {
            let path = args::string(&path, "Catalog.load()", "path")?;
            Ok(Catalog::wrap(agent_mira::Catalog::load(path)?))
        })
    }

    /// Save the whole catalog as one checksummed snapshot file, atomically.
    #[napi(catch_unwind, ts_args_type = "path: string")]
    pub fn save(&self, path: Unknown<'_>) -> napi::Result<(), Code> {
        guard(|| {
            let path = args::string(&path, "catalog.save()", "path")?;
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

    /// A summary: listings, version, price range, how many listings know
    /// each optional field, the locations and amenities by listings, and
    /// the vectors' dimension, count and memory per listing.
    #[napi(catch_unwind)]
    pub fn stats(&self) -> napi::Result<out::CatalogStats, Code> {
        guard(|| Ok(out::catalog_stats(self.inner.stats())))
    }

    /// The listing with this id, or `null`; with its `embedding` (the
    /// stored unit vector) when it has one.
    #[napi(catch_unwind, ts_args_type = "id: number | string")]
    pub fn get(&self, id: Unknown<'_>) -> napi::Result<Option<out::Listing>, Code> {
        guard(|| {
            let id = args::id(&id, "catalog.get()")?;
            Ok(out::listing_in(&self.inner, &id))
        })
    }

    /// A new catalog (next version) in which listing `ids[i]` has the
    /// vector in row `i` of `vectors`; listings not named keep theirs (or
    /// their lack of one). `vectors` is a `Float32Array` of `ids.length ×
    /// dim` numbers, row-major (`dim` = its length ÷ `ids.length`), read in
    /// place; or an array of `ids.length` rows (each a `Float32Array` or an
    /// array of numbers, all of one length), copied once. Each row is
    /// checked (finite numbers, not all zero; errors name the row, the
    /// listing and the index: `embeddings row 3 (listing 7): field
    /// `embedding[2]` = NaN: expected a finite number`) and normalised,
    /// exactly as an `embedding` given with the listing: both ways build
    /// the same catalog. The dimension must be the catalog's, unless every
    /// listing with a vector gets a new one. An unknown id is
    /// `MIRA_NOT_FOUND`, an id named twice `MIRA_DUPLICATE_ID`.
    #[napi(
        catch_unwind,
        ts_args_type = "ids: Array<number | string>, vectors: Float32Array | Array<Float32Array | number[]>"
    )]
    pub fn with_embeddings(
        &self,
        ids: Unknown<'_>,
        vectors: Unknown<'_>,
    ) -> napi::Result<Catalog, Code> {
        guard(|| {
            let call = "catalog.withEmbeddings()";
            let ids = vectors::ids(&ids, call)?;
            let (matrix, dim) = vectors::matrix(&vectors, ids.len(), call)?;
            // No ids: nothing to attach, a next version all the same (the
            // core needs a dimension: the catalog's, or any when it has none).
            let dim = match (ids.is_empty(), self.inner.embeddings().dim()) {
                (true, 0) => 1,
                (true, d) => d,
                (false, _) => dim,
            };
            Ok(Catalog::wrap(
                self.inner.with_embeddings(&ids, &matrix, dim)?,
            ))
        })
    }

    /// A new catalog (next version) where each record replaces the listing
    /// with its id, or is added at the end.
    #[napi(catch_unwind, ts_args_type = "records: Array<ListingInput>")]
    pub fn upsert(&self, records: Unknown<'_>) -> napi::Result<Catalog, Code> {
        guard_js(|| {
            let values = convert::records(&records, "catalog.upsert()")?;
            let updates = parse_records(values, self.inner.current_year())?;
            let next = self.inner.upsert(updates)?;
            Ok(Catalog::wrap(next))
        })
    }

    /// A new catalog (next version) without the listings with these ids
    /// (an array of ids, or one id, as in Python); an unknown id is
    /// `MIRA_NOT_FOUND` and nothing is removed.
    #[napi(
        catch_unwind,
        ts_args_type = "ids: number | string | Array<number | string>"
    )]
    pub fn remove(&self, ids: Unknown<'_>) -> napi::Result<Catalog, Code> {
        guard(|| {
            let ids = match value::kind(&ids)? {
                Kind::Array => value::elements(&ids)?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| args::id(v, &format!("catalog.remove(): `ids[{i}]`")))
                    .collect::<Result<Vec<_>, _>>()?,
                Kind::Number | Kind::String => vec![args::id(&ids, "catalog.remove()")?],
                _ => {
                    return Err(BindError::wrong_type(
                        "catalog.remove(): argument `ids`",
                        &value::describe(&ids),
                        "an id or an array of ids",
                    ))
                }
            };
            Ok(Catalog::wrap(self.inner.remove(ids.iter())?))
        })
    }
}
