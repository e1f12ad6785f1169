//! The one place where JavaScript's camelCase keys meet the core's
//! snake_case field names, in both directions, error messages included:
//! [`to_core`] renames the keys of objects on their way in (the conversion
//! layer applies it), [`camel_error`] the field names in the core's errors on
//! their way out (`crate::error::guard_js` applies it).
//!
//! Only the top-level keys of listings, preferences and mapping objects are
//! renamed. What is inside them stays as the core names it: `weights` keys
//! and result `components` are component names (`price_match`),
//! `attributes` keys are the caller's own, and enum values
//! (`long_term_rent`, `keep_last`) are data.

use agent_mira::{MiraError, RecordRef};

/// `minBedrooms` → `min_bedrooms`.
pub fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `min_bedrooms` → `minBedrooms`: the core's rule
/// ([`agent_mira::schema::camel_case`]), the one the generated TypeScript
/// types were written with.
pub fn camel(name: &str) -> String {
    agent_mira::schema::camel_case(name)
}

/// The snake_case field for a key typed in JavaScript, or `None` when the key
/// is not camelCase (`min_bedrooms`, `minBedrooms_`): such keys are refused
/// rather than guessed at.
pub fn field_for_key(key: &str) -> Option<String> {
    let s = snake(key);
    (camel(&s) == key).then_some(s)
}

/// The core's field for a top-level key typed in JavaScript (`minBedrooms`
/// → `min_bedrooms`). A key that is not camelCase (`min_bedrooms`) is
/// refused, with a suggestion among the camelCase forms of `fields` (the
/// core's field list for `record`); a camelCase key the core does not know
/// is renamed all the same, and the core refuses it with its own suggestion.
pub fn to_core(key: &str, fields: &[&str], record: &RecordRef) -> Result<String, MiraError> {
    field_for_key(key).ok_or_else(|| {
        let camel: Vec<String> = fields.iter().map(|f| camel(f)).collect();
        let camel: Vec<&str> = camel.iter().map(String::as_str).collect();
        MiraError::unknown_field(record.clone(), key, &camel)
    })
}

/// A field path as the core writes it (`property_types[1]`, `weights.commute`)
/// as the JavaScript caller wrote it (`propertyTypes[1]`, `weights.commute`):
/// only the first segment is a key of ours.
pub fn camel_path(path: &str) -> String {
    if path.starts_with('<') {
        return path.to_string();
    }
    let end = path.find(['.', '[']).unwrap_or(path.len());
    format!("{}{}", camel(&path[..end]), &path[end..])
}

/// `text` with every listing, preference or similar-filter field it names
/// in snake_case (`available_from`, `listing_type`, `max_price`) written in
/// camelCase, as whole words
/// only: an expectation that names another field ("a date on or after
/// available_from") names it the way the caller typed it. Values such as
/// `long_term_rent` are no field's name and stay as they are.
pub fn camel_fields_in(text: &str) -> String {
    if !text.contains('_') {
        return text.to_string();
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_word) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c: char| !is_word(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        let known = word.contains('_')
            && (agent_mira::listing::PROPERTY_FIELDS.contains(&word)
                || agent_mira::preferences::PREFERENCE_FIELDS.contains(&word)
                || agent_mira::engine::SIMILAR_FILTER_FIELDS.contains(&word));
        if known {
            out.push_str(&camel(word));
        } else {
            out.push_str(word);
        }
        rest = &rest[start + word_len..];
    }
    out.push_str(rest);
    out
}

/// The same error, naming fields the way the JavaScript caller typed them.
/// Only for errors about objects that came from JavaScript; errors about
/// files keep the files' snake_case.
pub fn camel_error(err: MiraError) -> MiraError {
    match err {
        MiraError::InvalidField {
            record,
            field,
            value,
            expected,
        } => MiraError::InvalidField {
            record,
            field: camel_path(&field),
            value,
            expected: camel_fields_in(&expected),
        },
        MiraError::MissingField { record, field } => MiraError::MissingField {
            record,
            field: camel_path(&field),
        },
        MiraError::UnknownField {
            record,
            field,
            suggestion,
            allowed,
        } => MiraError::UnknownField {
            record,
            field: camel_path(&field),
            suggestion: suggestion.map(|s| camel_path(&s)),
            allowed: allowed.iter().map(|s| camel_path(s)).collect(),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for (c, s) in [
            ("minBedrooms", "min_bedrooms"),
            ("maxCommuteTime", "max_commute_time"),
            ("sizeSqft", "size_sqft"),
            ("imageUrls", "image_urls"),
            ("budget", "budget"),
        ] {
            assert_eq!(snake(c), s);
            assert_eq!(camel(s), c);
            assert_eq!(field_for_key(c).as_deref(), Some(s));
        }
        assert_eq!(field_for_key("min_bedrooms"), None);
        assert_eq!(camel_path("property_types[1]"), "propertyTypes[1]");
        assert_eq!(camel_path("weights.price_match"), "weights.price_match");
        assert_eq!(camel_path("<record>"), "<record>");
    }

    #[test]
    fn fields_named_in_an_expectation_are_camel_case() {
        assert_eq!(
            camel_fields_in("a date on or after available_from (2022-06-28)"),
            "a date on or after availableFrom (2022-06-28)"
        );
        assert_eq!(
            camel_fields_in("listing_type long_term_rent or short_term_rent beside it"),
            "listingType long_term_rent or short_term_rent beside it"
        );
        assert_eq!(
            camel_fields_in("at least min_lease_months (11); not my_field"),
            "at least minLeaseMonths (11); not my_field"
        );
        assert_eq!(camel_fields_in("a number > 0"), "a number > 0");
    }

    #[test]
    fn keys_on_their_way_in() {
        let fields = agent_mira::preferences::PREFERENCE_FIELDS;
        let at = RecordRef::Preferences;
        assert_eq!(
            to_core("maxCommuteTime", fields, &at).unwrap(),
            "max_commute_time"
        );
        // A camelCase key the core does not know is left for the core to refuse.
        assert_eq!(to_core("minBedroom", fields, &at).unwrap(), "min_bedroom");
        assert_eq!(
            to_core("must_have_amenities", fields, &at)
                .unwrap_err()
                .to_string(),
            "preferences: unknown field `must_have_amenities` (did you mean `mustHaveAmenities`?)"
        );
    }

    #[test]
    fn unknown_nested_keys_keep_the_cores_names() {
        let err = MiraError::unknown_field(
            agent_mira::RecordRef::Preferences,
            "weights.prise_match",
            &["weights.price_match", "weights.commute"],
        );
        assert_eq!(
            camel_error(err).to_string(),
            "preferences: unknown field `weights.prise_match` (did you mean `weights.price_match`?)"
        );
        let err = MiraError::unknown_field(
            agent_mira::RecordRef::Preferences,
            "min_bedroom",
            &["min_bedrooms"],
        );
        assert_eq!(
            camel_error(err).to_string(),
            "preferences: unknown field `minBedroom` (did you mean `minBedrooms`?)"
        );
    }
}
