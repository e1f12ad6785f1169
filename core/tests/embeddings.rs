//! Listing vectors (issue 18): the `embedding` field's validation, the
//! catalog's normalised matrix, the dimension rule, upserts and removals,
//! snapshots, loaders (JSON, JSON Lines, CSV), stats, the toy
//! `hashed_ngrams` embedding and the `fixtures/listings/embedded.json`
//! fixture it computes (`MIRA_BLESS=1 cargo test -p agent-mira --test
//! embeddings` rewrites the fixture).

mod common;

use agent_mira::catalog::loaders::{parse_json, read_csv, read_jsonl, CsvMapping, LoadOptions};
use agent_mira::embedding::{hashed_ngrams, norm, normalize};
use agent_mira::{Catalog, Property, PropertyId, RecordRef, MAX_EMBEDDING_DIM};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [-1, 1) times a power of ten between 1e-3 and 1e3.
    fn number(&mut self) -> f32 {
        let z = self.next();
        let unit = (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        (unit * 10f64.powi((z % 7) as i32 - 3)) as f32
    }

    fn vector(&mut self, dim: usize) -> Vec<f32> {
        (0..dim).map(|_| self.number()).collect()
    }
}

fn bits(v: Option<&[f32]>) -> Option<Vec<u32>> {
    v.map(|v| v.iter().map(|x| x.to_bits()).collect())
}

fn with_vector(id: impl Into<PropertyId>, v: Vec<f32>) -> Property {
    let mut p = Property::new(id, 100_000.0);
    p.embedding = Some(v);
    p
}

/// `n` listings with `dim`-number vectors; every fifth has none.
fn catalog(n: usize, dim: usize, seed: u64) -> Catalog {
    let mut rng = Rng(seed);
    let mut b = Catalog::builder().current_year(2025);
    for i in 0..n as u64 {
        let v = rng.vector(dim);
        b.push(if i % 5 == 3 {
            Property::new(i, 100_000.0)
        } else {
            with_vector(i, v)
        })
        .unwrap();
    }
    b.build()
}

fn push_error(p: Property) -> String {
    let mut b = Catalog::builder();
    b.push(p).unwrap_err().to_string()
}

#[test]
fn bad_vectors_are_refused_naming_the_listing_and_the_index() {
    let mut v = vec![0.25f32; 384];
    v[12] = f32::NAN;
    assert_eq!(
        push_error(with_vector(7u64, v.clone())),
        "record #0 (listing 7): field `embedding[12]` = NaN: expected a finite number"
    );
    v[12] = 0.25;
    v[300] = f32::INFINITY;
    assert_eq!(
        push_error(with_vector(7u64, v)),
        "record #0 (listing 7): field `embedding[300]` = inf: expected a finite number"
    );
    assert_eq!(
        push_error(with_vector("z", vec![0.0; 16])),
        "record #0 (listing z): field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
    );
    assert_eq!(
        push_error(with_vector(7u64, vec![1.0; MAX_EMBEDDING_DIM + 1])),
        "record #0 (listing 7): field `embedding` = 4097 numbers: expected between 1 and 4096 numbers"
    );
    assert_eq!(
        push_error(with_vector(7u64, vec![])),
        "record #0 (listing 7): field `embedding` = 0 numbers: expected between 1 and 4096 numbers"
    );
    // The longest vector is fine.
    let mut b = Catalog::builder();
    b.push(with_vector(1u64, vec![1.0; MAX_EMBEDDING_DIM]))
        .unwrap();
    assert_eq!(b.build().embeddings().dim(), 4096);
    // From JSON: a number beyond f32 is infinity, refused by index.
    let err = Property::from_json(
        serde_json::json!({"id": "a", "price": 1, "embedding": [1, 2, -1e39]}),
        &RecordRef::Index(4),
        2025,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "record #4 (listing \"a\"): field `embedding[2]` = -inf: expected a finite number"
    );
}

#[test]
fn a_wrong_dimension_names_both_listings() {
    let mut b = Catalog::builder();
    b.push(Property::new(0u64, 1.0)).unwrap();
    b.push(with_vector(1u64, vec![0.5; 384])).unwrap();
    b.push(with_vector(2u64, vec![0.5; 384])).unwrap();
    let err = b.push(with_vector(9u64, vec![0.5; 383])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record #3 (listing 9): field `embedding` = 383 numbers: expected 384 numbers, the catalog's dimension (set by listing 1)"
    );
    // The refused listing was not added.
    assert_eq!(b.len(), 3);
    let c = b.build();
    assert_eq!((c.embeddings().len(), c.embeddings().count()), (3, 2));

    // Upserts follow the same rule, and name the first listing with a vector.
    let err = c
        .upsert(vec![
            with_vector(5u64, vec![0.5; 384]),
            with_vector(6u64, vec![0.5; 385]),
        ])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "update #1 (listing 6): field `embedding` = 385 numbers: expected 384 numbers, the catalog's dimension (set by listing 1)"
    );
    let c2 = c.remove([&PropertyId::Int(1)]).unwrap();
    let err = c2
        .upsert(vec![with_vector(6u64, vec![0.5; 3])])
        .unwrap_err();
    assert!(err.to_string().ends_with("(set by listing 2)"), "{err}");
    let mut b = Catalog::builder();
    b.push(with_vector(1u64, vec![2.0])).unwrap();
    assert_eq!(
        b.push(with_vector(2u64, vec![1.0, 1.0])).unwrap_err().to_string(),
        "record #1 (listing 2): field `embedding` = 2 numbers: expected 1 number, the catalog's dimension (set by listing 1)"
    );

    // In a catalog without vectors, the first update with one sets it.
    let plain = common::sample_catalog();
    let err = plain
        .upsert(vec![
            with_vector("n1", vec![1.0; 8]),
            with_vector("n2", vec![1.0; 9]),
        ])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "update #1 (listing n2): field `embedding` = 9 numbers: expected 8 numbers, the catalog's dimension (set by listing n1)"
    );
}

#[test]
fn stored_vectors_have_unit_length_and_listings_do_not_carry_them() {
    let mut rng = Rng(7);
    for dim in [1, 2, 3, 31, 384, 1536, 4096] {
        let given = rng.vector(dim);
        let mut b = Catalog::builder();
        b.push(with_vector(1u64, given.clone())).unwrap();
        let c = b.build();
        let stored = c.embedding(0).unwrap();
        assert!(
            (norm(stored) - 1.0).abs() <= f64::from(f32::EPSILON) / 2.0,
            "dim {dim}: norm {}",
            norm(stored)
        );
        // Each number is the given one divided by the f64 norm, rounded once.
        let n = norm(&given);
        for (s, g) in stored.iter().zip(&given) {
            assert_eq!(s.to_bits(), ((f64::from(*g) / n) as f32).to_bits());
        }
        assert_eq!(c.get(&PropertyId::Int(1)).unwrap().embedding, None);
        assert_eq!(c.property(0).embedding, None);
        assert_eq!(c.listing(0).embedding.as_deref(), Some(stored));
        assert_eq!(c.embeddings().data(), stored);
    }
}

#[test]
fn listings_without_vectors_are_rows_of_zeros_marked_absent() {
    let c = catalog(10, 4, 1);
    let e = c.embeddings();
    assert_eq!((e.dim(), e.len(), e.count()), (4, 10, 8));
    for row in [3, 8] {
        assert!(!e.present(row));
        assert_eq!(c.embedding(row), None);
        assert_eq!(&e.data()[row * 4..row * 4 + 4], &[0.0; 4]);
        assert_eq!(c.listing(row).embedding, None);
    }
    assert!(e.present(0) && !e.present(10));

    // A catalog where no listing has one stores nothing.
    let plain = common::sample_catalog();
    let e = plain.embeddings();
    assert_eq!((e.dim(), e.len(), e.count()), (0, 12, 0));
    assert!(e.data().is_empty());
    assert_eq!(plain.embedding(0), None);
}

#[test]
fn exported_listings_load_back_with_the_same_bits() {
    let c = catalog(200, 384, 2);
    let mut b = Catalog::builder().current_year(2025);
    for row in 0..c.len() {
        b.push(c.listing(row)).unwrap();
    }
    let again = b.build();
    assert_eq!(again.embeddings().data().len(), 200 * 384);
    let same = c
        .embeddings()
        .data()
        .iter()
        .zip(again.embeddings().data())
        .all(|(a, b)| a.to_bits() == b.to_bits());
    assert!(same);
}

#[test]
fn normalising_a_stored_vector_again_changes_no_bit() {
    let mut rng = Rng(3);
    for i in 0..2_000 {
        let dim = 1 + (i * 97) % MAX_EMBEDDING_DIM;
        let mut v = rng.vector(dim);
        normalize(&mut v);
        let once = bits(Some(&v));
        normalize(&mut v);
        assert_eq!(bits(Some(&v)), once, "vector {i} of {dim} numbers");
    }
}

#[test]
fn upsert_and_remove_keep_the_other_rows_vectors_bit_for_bit() {
    let v1 = catalog(50, 64, 4);
    let mut rng = Rng(40);
    let v2 = v1
        .upsert(vec![
            with_vector(10u64, rng.vector(64)),
            Property::new(11u64, 5.0),
            with_vector(13u64, rng.vector(64)), // had none
            with_vector(50u64, rng.vector(64)), // new
            Property::new(51u64, 5.0),          // new, none
        ])
        .unwrap();
    assert_eq!((v2.len(), v2.embeddings().count()), (52, 41));
    for row in 0..50 {
        if ![10, 11, 13].contains(&row) {
            assert_eq!(
                bits(v2.embedding(row)),
                bits(v1.embedding(row)),
                "row {row}"
            );
        }
    }
    assert_eq!(v2.embedding(11), None);
    assert!(v2.embedding(13).is_some() && v2.embedding(50).is_some());
    assert_eq!(v2.embedding(51), None);
    // The old version is untouched.
    assert_eq!(v1.embeddings().count(), 40);
    assert!(v1.embedding(11).is_some());

    let ids: Vec<PropertyId> = [0u64, 7, 25, 50].map(PropertyId::Int).to_vec();
    let v3 = v2.remove(&ids).unwrap();
    assert_eq!(v3.len(), 48);
    for row in 0..v3.len() {
        let id = &v3.property(row).id;
        let old = v2.row_of(id).unwrap();
        assert_eq!(bits(v3.embedding(row)), bits(v2.embedding(old)), "id {id}");
        assert_eq!(v3.embeddings().present(row), v2.embeddings().present(old));
    }
    assert_eq!(v3.embeddings().data().len(), 48 * 64);
}

#[test]
fn snapshots_keep_vectors_bit_for_bit() {
    for (dim, seed) in [(384, 5), (1, 6), (4096, 8)] {
        let c = catalog(if dim == 4096 { 12 } else { 300 }, dim, seed);
        let bytes = c.snapshot_bytes();
        let back = Catalog::from_snapshot_bytes(&bytes, "mem.mira.jsonl").unwrap();
        assert_eq!(back.embeddings().dim(), dim);
        assert_eq!(back.embeddings().count(), c.embeddings().count());
        for row in 0..c.len() {
            assert_eq!(
                bits(back.embedding(row)),
                bits(c.embedding(row)),
                "row {row}"
            );
        }
        // Saving what was loaded gives the same file.
        assert_eq!(back.snapshot_bytes(), bytes);
    }
}

#[test]
fn the_snapshot_checksum_covers_vectors() {
    let mut b = Catalog::builder().current_year(2025);
    b.push(with_vector(1u64, vec![0.6, 0.8])).unwrap();
    let text = String::from_utf8(b.build().snapshot_bytes()).unwrap();
    assert!(text.contains("\"embedding\":[0.6,0.8]}"), "{text}");
    let damaged = text.replacen("[0.6,0.8]", "[0.8,0.6]", 1);
    let err = Catalog::from_snapshot_bytes(damaged.as_bytes(), "c.mira.jsonl").unwrap_err();
    assert!(
        err.to_string().starts_with(
            "c.mira.jsonl: corrupt catalog snapshot: checksum mismatch: header says crc32:"
        ),
        "{err}"
    );
}

#[test]
fn memory_per_listing_is_reported() {
    let c = catalog(20, 384, 9);
    assert_eq!(c.embeddings().bytes_per_listing(), 4 * 384 + 1);
    let s = c.stats();
    assert_eq!(
        (
            s.embedding_dim,
            s.listings_with_embedding,
            s.embedding_bytes_per_listing
        ),
        (384, 16, 1537)
    );
    // The figure is what the matrix holds: every row, with a vector or not.
    assert_eq!(
        std::mem::size_of_val(c.embeddings().data()) + c.len(),
        c.len() * s.embedding_bytes_per_listing
    );
    let s = common::sample_catalog().stats();
    assert_eq!(
        (
            s.embedding_dim,
            s.listings_with_embedding,
            s.embedding_bytes_per_listing
        ),
        (0, 0, 0)
    );
}

#[test]
fn json_and_json_lines_load_vectors() {
    let text = r#"[{"id": 1, "price": 5, "embedding": [3, 4]}, {"id": 2, "price": 6}]"#;
    let c = parse_json(text, "homes.json", LoadOptions::new()).unwrap();
    assert_eq!(c.embedding(0), Some(&[0.6f32, 0.8][..]));
    assert_eq!(c.embedding(1), None);
    let text = r#"[{"id": 1, "price": 5, "embedding": [3, 4]}, {"id": "b", "price": 6, "embedding": [1]}]"#;
    let err = parse_json(text, "homes.json", LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "homes.json:1:46 (listing b): field `embedding` = 1 number: expected 2 numbers, the catalog's dimension (set by listing 1)"
    );

    let text = "{\"id\": 1, \"price\": 5, \"embedding\": [3, 4]}\n{\"id\": 2, \"price\": 6, \"embedding\": [0, 0.5]}\n";
    let c = read_jsonl(text.as_bytes(), "homes.jsonl", LoadOptions::new()).unwrap();
    assert_eq!(c.embedding(1), Some(&[0.0f32, 1.0][..]));

    let text = "{\"id\": 1, \"price\": 5, \"embedding\": [3, 4]}\n{\"id\": 9, \"price\": 6, \"embedding\": [1, 2, 3]}\n";
    let err = read_jsonl(text.as_bytes(), "homes.jsonl", LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "homes.jsonl:2 (listing 9): field `embedding` = 3 numbers: expected 2 numbers, the catalog's dimension (set by listing 1)"
    );
    let text = "{\"id\": 1, \"price\": 5, \"embedding\": [3, 4]}\n{\"id\": 9, \"price\": 6, \"embedding\": [1, null]}\n";
    let err = read_jsonl(text.as_bytes(), "homes.jsonl", LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "homes.jsonl:2: field `embedding[1]` = null: expected a number"
    );
    let text = "{\"id\": 1, \"price\": 5, \"embedding\": [0, 0]}\n";
    let err = read_jsonl(text.as_bytes(), "homes.jsonl", LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "homes.jsonl:1 (listing 1): field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
    );
}

#[test]
fn a_csv_column_holds_a_json_array_or_separated_numbers() {
    let text = "id,price,embedding\n1,5,\"[3, 4]\"\n2,6,0 0.5\n3,7,\n4,8,-1;0\n";
    let c = read_csv(text.as_bytes(), "homes.csv", LoadOptions::new()).unwrap();
    assert_eq!(c.embedding(0), Some(&[0.6f32, 0.8][..]));
    assert_eq!(c.embedding(1), Some(&[0.0f32, 1.0][..]));
    assert_eq!(c.embedding(2), None);
    assert_eq!(c.embedding(3), Some(&[-1.0f32, 0.0][..]));

    // Through a mapping, from a column with another name.
    let mapping = CsvMapping::from_json(r#"{"columns": {"vec": "embedding"}}"#).unwrap();
    let text = "id,price,vec\n1,5,1 2 2\n";
    let c = read_csv(
        text.as_bytes(),
        "homes.csv",
        LoadOptions::new().csv_mapping(mapping),
    )
    .unwrap();
    let third = (1.0f64 / 3.0) as f32;
    assert_eq!(c.embedding(0), Some(&[third, 2.0 * third, 2.0 * third][..]));

    let err = |text: &str| {
        read_csv(text.as_bytes(), "homes.csv", LoadOptions::new())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("id,price,embedding\n1,5,1 2\n2,6,1 x\n"),
        "homes.csv:3:3: field `embedding[1]` = \"x\": expected a number"
    );
    assert_eq!(
        err("id,price,embedding\n1,5,1;;2\n"),
        "homes.csv:2:3: field `embedding[1]` = \"\": expected a number"
    );
    assert_eq!(
        err("id,price,embedding\n1,5,1 2 NaN\n"),
        "homes.csv:2:3: field `embedding[2]` = \"NaN\": expected a finite number"
    );
    assert_eq!(
        err("id,price,embedding\n1,5,\"[1, 2, 1e39]\"\n"),
        "homes.csv:2:3: field `embedding[2]` = 1e+39: expected a finite number"
    );
    assert_eq!(
        err("id,price,embedding\n1,5,\"[1, 2\"\n"),
        "homes.csv:2:3: field `embedding` = \"[1, 2\": expected a JSON array of numbers or numbers separated by spaces or semicolons"
    );
    assert_eq!(
        err("id,price,embedding\n1,5,1 2\n9,6,1 2 3\n"),
        "homes.csv:3:3 (listing 9): field `embedding` = 3 numbers: expected 2 numbers, the catalog's dimension (set by listing 1)"
    );
    // The column is named wherever it stands, for a string id, and when
    // rows are staged to keep the last of repeated ids (the dimension is
    // then checked once the file is read).
    for mapping in [
        r#"{"columns": {"vec": "embedding"}}"#,
        r#"{"columns": {"vec": "embedding"}, "on_duplicate": "keep_last"}"#,
    ] {
        let mapping = CsvMapping::from_json(mapping).unwrap();
        let err = read_csv(
            "vec,id,price\n1 2,kc-1,5\n1 2,kc-2,6\n1 2 3,kc-9,7\n".as_bytes(),
            "homes.csv",
            LoadOptions::new().csv_mapping(mapping),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "homes.csv:4:1 (listing kc-9): field `embedding` = 3 numbers: expected 2 numbers, the catalog's dimension (set by listing kc-1)"
        );
        assert_eq!(err.code(), "MIRA_INVALID_FIELD");
    }
    assert_eq!(
        err("id,price,embedding\n1,5,0 0\n"),
        "homes.csv:2:3 (listing 1): field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
    );
}

#[test]
fn hashed_ngrams_follows_its_documented_recipe() {
    // Values computed outside Rust by the recipe in the docs (FNV-1a 64 of
    // each 3-gram's UTF-8 bytes, bucket = hash % dim, sign = top bit).
    let expected: Vec<f32> = [
        0.0,
        0.5144957304000854,
        -0.17149858176708221,
        -0.17149858176708221,
        -0.34299716353416443,
        -0.17149858176708221,
        -0.5144957304000854,
        0.5144957304000854,
    ]
    .iter()
    .map(|&x: &f64| x as f32)
    .collect();
    assert_eq!(hashed_ngrams("Craftsman bungalow", 8), expected);
    assert_eq!(hashed_ngrams("  craftsman\tBUNGALOW\n", 8), expected);
    let expected: Vec<f32> = [
        0.8164966106414795,
        -0.40824830532073975,
        -0.40824830532073975,
        0.0,
        0.0,
        0.0,
    ]
    .iter()
    .map(|&x: &f64| x as f32)
    .collect();
    assert_eq!(hashed_ngrams("Ünïcode Straße", 6), expected);
}

/// Hand-written one-line descriptions of the sample listings (not from any
/// real listing), by id: with the title, the text `embedded.json`'s vectors
/// are computed from.
const DESCRIPTIONS: [(u64, &str); 12] = [
    (101, "Restored 1920s craftsman with a fireplace and a private garden, a short walk from the lake."),
    (102, "Brand-new three-storey townhouse with a rooftop terrace and a two-car garage."),
    (103, "Spacious family house on a quiet street, with a swimming pool, garden and garage."),
    (104, "High-floor condo downtown with city views, a gym and a concierge."),
    (105, "Single-storey rambler with a garage and a fenced garden."),
    (106, "Small two-bedroom house, a good first home that needs some updating."),
    (107, "Condo on the water with a community pool and parking."),
    (108, "One-bedroom apartment for rent with laundry and a gym in the building."),
    (109, "Family house; details to be confirmed."),
    (110, "Four-bedroom house with a pool, garden and garage."),
    (111, "Three-bedroom family house with a garage."),
    (112, "Three-bedroom family house with a garage."),
];

/// The dimension of the fixture's vectors.
const FIXTURE_DIM: usize = 32;

/// `fixtures/listings/embedded.json` as the recipe writes it: the listings
/// of `sample.json`, each with `attributes.description` from
/// [`DESCRIPTIONS`] and `embedding` = `hashed_ngrams(title + " " +
/// description, 32)`, one listing per line.
fn embedded_fixture() -> String {
    let text = std::fs::read_to_string(common::fixtures().join("listings/sample.json")).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(values.len(), DESCRIPTIONS.len());
    let mut lines = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        let mut p = Property::from_json(v, &RecordRef::Index(i), 2025).unwrap();
        let (id, description) = DESCRIPTIONS[i];
        assert_eq!(p.id, PropertyId::Int(id));
        p.attributes
            .insert("description".into(), description.into());
        let text = format!("{} {description}", p.title.as_deref().unwrap_or(""));
        p.embedding = Some(hashed_ngrams(&text, FIXTURE_DIM));
        lines.push(format!("  {}", serde_json::to_string(&p).unwrap()));
    }
    format!("[\n{}\n]\n", lines.join(",\n"))
}

#[test]
fn the_embedded_fixture_is_what_its_recipe_writes() {
    let path = common::fixtures().join("listings/embedded.json");
    let text = embedded_fixture();
    if std::env::var_os("MIRA_BLESS").is_some() {
        agent_mira::write_atomic(&path, |w| std::io::Write::write_all(w, text.as_bytes())).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "fixtures/listings/embedded.json differs from its recipe (MIRA_BLESS=1 regenerates it)"
    );
    let c = agent_mira::catalog::loaders::load_path(&path).unwrap();
    assert_eq!(c.len(), 12);
    let e = c.embeddings();
    assert_eq!((e.dim(), e.count()), (32, 12));
    // hashed_ngrams vectors are already unit length: stored as given.
    for row in 0..c.len() {
        let p = c.property(row);
        let text = format!(
            "{} {}",
            p.title.as_deref().unwrap(),
            p.attributes["description"].as_str().unwrap()
        );
        assert_eq!(
            bits(c.embedding(row)),
            bits(Some(&hashed_ngrams(&text, 32)))
        );
    }
}
