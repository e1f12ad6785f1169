//! Amenity normalisation: many spellings, one canonical name.
//!
//! Listings written by people say "Swimming Pool", "Community Pool" or just
//! "pool"; a buyer asking for a pool means all of them. The mapping is data:
//! the default table lives in `amenities.json` beside this file (embedded at
//! compile time) and callers can extend or replace it.
//!
//! Normalising a phrase:
//! 1. lower-case it, turn punctuation (`-`, `/`, `_`, `&`…) into spaces and
//!    collapse whitespace (`"Two-Car  Garage"` → `"two car garage"`);
//! 2. an exact synonym gives its canonical name;
//! 3. otherwise, a keyword that appears as a whole word gives its canonical
//!    name (`"heated lap pool"` → `pool`);
//! 4. otherwise the phrase itself, in snake_case, is the canonical name
//!    (`"Wine Cellar"` → `wine_cellar`).
//!
//! ```
//! use agent_mira::AmenityTable;
//! let table = AmenityTable::default();
//! assert_eq!(table.normalize("Swimming Pool"), "pool");
//! assert_eq!(table.normalize("Two-Car Garage"), "garage");
//! assert_eq!(table.normalize("Private Garden"), "garden");
//! assert_eq!(table.normalize("Wine Cellar"), "wine_cellar");
//! let table = table.with_synonym("wine cellar", "cellar");
//! assert_eq!(table.normalize("wine-cellar"), "cellar");
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{MiraError, RecordRef, Result};

const DEFAULT_TABLE: &str = include_str!("amenities.json");

/// One canonical amenity and the words that mean it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmenityEntry {
    /// The canonical name, snake_case (`pool`, `garage`).
    pub canonical: String,
    /// Phrases that mean exactly this amenity.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Single words that are enough to recognise it inside a longer phrase.
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Deserialize)]
struct TableFile {
    #[serde(rename = "_doc", default)]
    _doc: Option<String>,
    amenities: Vec<AmenityEntry>,
}

/// The synonym table that maps free-text amenities to canonical names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmenityTable {
    synonyms: HashMap<String, String>,
    keywords: HashMap<String, String>,
    /// Keyword entries in table order, so that the first listed wins when a
    /// phrase holds keywords of two amenities.
    keyword_order: Vec<String>,
}

impl Default for AmenityTable {
    fn default() -> Self {
        Self::from_json(DEFAULT_TABLE).expect("the embedded amenity table is valid")
    }
}

impl AmenityTable {
    /// An empty table: every phrase becomes its own snake_case name.
    pub fn empty() -> Self {
        AmenityTable {
            synonyms: HashMap::new(),
            keywords: HashMap::new(),
            keyword_order: Vec::new(),
        }
    }

    /// Parse a table in the shape of the embedded `amenities.json`:
    /// `{"amenities": [{"canonical": "pool", "synonyms": [...], "keywords": [...]}]}`.
    pub fn from_json(text: &str) -> Result<Self> {
        let file: TableFile = serde_json::from_str(text).map_err(|e| MiraError::Parse {
            source_name: "<amenity table>".into(),
            line: e.line() as u64,
            column: e.column() as u64,
            message: e.to_string(),
        })?;
        let mut table = Self::empty();
        for entry in file.amenities {
            table = table.with_entry(entry)?;
        }
        Ok(table)
    }

    /// Add a whole entry (canonical name, synonyms, keywords).
    pub fn with_entry(mut self, entry: AmenityEntry) -> Result<Self> {
        let canonical = snake_case(&entry.canonical);
        if canonical.is_empty() {
            return Err(MiraError::invalid(
                RecordRef::Other("amenity table".into()),
                "canonical",
                format!("{:?}", entry.canonical),
                "a non-empty amenity name",
            ));
        }
        self.synonyms
            .insert(clean(&entry.canonical), canonical.clone());
        for s in &entry.synonyms {
            self.synonyms.insert(clean(s), canonical.clone());
        }
        for k in &entry.keywords {
            let k = clean(k);
            if !self.keywords.contains_key(&k) {
                self.keyword_order.push(k.clone());
            }
            self.keywords.insert(k, canonical.clone());
        }
        Ok(self)
    }

    /// Add one synonym: `phrase` will normalise to `canonical`.
    pub fn with_synonym(mut self, phrase: &str, canonical: &str) -> Self {
        self.synonyms.insert(clean(phrase), snake_case(canonical));
        self
    }

    /// The canonical name of a free-text amenity.
    pub fn normalize(&self, phrase: &str) -> String {
        let cleaned = clean(phrase);
        if let Some(c) = self.synonyms.get(&cleaned) {
            return c.clone();
        }
        let words: Vec<&str> = cleaned.split(' ').collect();
        for k in &self.keyword_order {
            if words.iter().any(|w| w == k) {
                return self.keywords[k].clone();
            }
        }
        cleaned.replace(' ', "_")
    }
}

/// The exact, serialisable form of an [`AmenityTable`] (used by catalog
/// snapshots): every cleaned phrase with its canonical name, and the keywords
/// in matching order. Unlike the `amenities.json` shape, this keeps tables
/// changed with [`AmenityTable::with_synonym`] exactly as they are.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableData {
    synonyms: BTreeMap<String, String>,
    keywords: Vec<(String, String)>,
}

/// Serialises as `{"synonyms": {"swimming pool": "pool", ...},
/// "keywords": [["pool", "pool"], ...]}` (phrases already cleaned, keywords in
/// the order they are tried), so that a table survives a round trip exactly.
impl Serialize for AmenityTable {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        TableData {
            synonyms: self
                .synonyms
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            keywords: self
                .keyword_order
                .iter()
                .map(|k| (k.clone(), self.keywords[k].clone()))
                .collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for AmenityTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let data = TableData::deserialize(d)?;
        let mut table = AmenityTable::empty();
        table.synonyms = data.synonyms.into_iter().collect();
        for (k, c) in data.keywords {
            if table.keywords.insert(k.clone(), c).is_none() {
                table.keyword_order.push(k);
            }
        }
        Ok(table)
    }
}

/// Lower-case, punctuation to spaces, whitespace collapsed.
fn clean(phrase: &str) -> String {
    let mapped: String = phrase
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn snake_case(name: &str) -> String {
    clean(name).replace(' ', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_study_synonyms_map_to_the_three_scored_amenities() {
        let t = AmenityTable::default();
        for (raw, canon) in [
            ("Swimming Pool", "pool"),
            ("Community Pool", "pool"),
            ("pool", "pool"),
            ("Garage", "garage"),
            ("Two-Car Garage", "garage"),
            ("Private Garden", "garden"),
            ("Garden", "garden"),
            ("  GARDEN ", "garden"),
            ("Fitness Center", "gym"),
            ("24/7 Concierge", "concierge"),
        ] {
            assert_eq!(t.normalize(raw), canon, "{raw}");
        }
    }

    #[test]
    fn keywords_catch_longer_phrases() {
        let t = AmenityTable::default();
        assert_eq!(t.normalize("Heated lap pool"), "pool");
        assert_eq!(t.normalize("Oversized 3-car garage"), "garage");
    }

    #[test]
    fn unknown_phrases_become_snake_case() {
        let t = AmenityTable::default();
        assert_eq!(t.normalize("Wine Cellar"), "wine_cellar");
        assert_eq!(
            AmenityTable::empty().normalize("Swimming Pool"),
            "swimming_pool"
        );
    }

    #[test]
    fn callers_can_extend_the_table() {
        let t = AmenityTable::default().with_synonym("Plunge tub", "pool");
        assert_eq!(t.normalize("plunge-tub"), "pool");
        let entry = AmenityEntry {
            canonical: "Sauna".into(),
            synonyms: vec!["steam room".into()],
            keywords: vec!["sauna".into()],
        };
        let t = t.with_entry(entry).unwrap();
        assert_eq!(t.normalize("Steam Room"), "sauna");
        assert_eq!(t.normalize("finnish sauna"), "sauna");
    }

    #[test]
    fn serde_round_trip_keeps_the_table_exactly() {
        let t = AmenityTable::default().with_synonym("Plunge tub", "pool");
        let text = serde_json::to_string(&t).unwrap();
        let back: AmenityTable = serde_json::from_str(&text).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.normalize("plunge tub"), "pool");
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn a_bad_table_is_a_parse_error() {
        let err = AmenityTable::from_json("{\"amenities\": [{\"canonical\": 3}]}").unwrap_err();
        assert_eq!(err.code(), "MIRA_PARSE");
    }
}
