//! Training-domain checks: is this listing like the ones the model learned from?

use crate::catalog::location_key;
use crate::format::{number, thousands};
use crate::listing::{Currency, Property};

use super::card::{Range, TrainingDomain};

/// Reads one numeric field of a listing.
type FieldGetter = fn(&Property) -> Option<f64>;

/// The listing fields whose training ranges are recorded and checked.
pub(crate) const DOMAIN_FIELDS: &[(&str, FieldGetter)] = &[
    ("bedrooms", |p| p.bedrooms.map(f64::from)),
    ("bathrooms", |p| p.bathrooms),
    ("size_sqft", |p| p.size_sqft),
    ("lot_sqft", |p| p.lot_sqft),
    ("year_built", |p| p.year_built.map(f64::from)),
    ("school_rating", |p| p.school_rating),
    ("commute_time", |p| p.commute_time),
];

impl TrainingDomain {
    /// The domain of `props` (the training listings).
    pub fn of(props: &[&Property]) -> TrainingDomain {
        let mut d = TrainingDomain {
            rows: props.len(),
            ..TrainingDomain::default()
        };
        for (name, f) in DOMAIN_FIELDS {
            if let Some(r) = range(props.iter().filter_map(|p| f(p))) {
                d.ranges.insert(name.to_string(), r);
            }
        }
        d.price = range(props.iter().map(|p| p.price));
        let mut locations: Vec<String> = props.iter().filter_map(|p| p.location.clone()).collect();
        locations.sort_by_key(|l| location_key(l));
        locations.dedup_by_key(|l| location_key(l));
        d.locations = locations;
        let lat = range(props.iter().filter_map(|p| p.latitude));
        let lon = range(props.iter().filter_map(|p| p.longitude));
        if let (Some(lat), Some(lon)) = (lat, lon) {
            d.lat_lon_box = Some([lat.min, lon.min, lat.max, lon.max]);
        }
        if props.iter().any(|p| p.currency.is_some()) {
            let mut currencies: Vec<Currency> = props
                .iter()
                .map(|p| p.currency.unwrap_or(Currency::USD))
                .collect();
            currencies.sort_by_key(|c| c.code().to_string());
            currencies.dedup();
            d.currencies = currencies;
        }
        d
    }

    /// Whether the model's amounts can be read in the currency of `p`
    /// (its `currency`, or USD): always when the training listings named
    /// none.
    pub fn knows_currency_of(&self, p: &Property) -> bool {
        self.currencies.is_empty()
            || self
                .currencies
                .contains(&p.currency.unwrap_or(Currency::USD))
    }

    /// The training currencies as a list for messages: `INR`, `EUR, USD`.
    pub fn currency_list(&self) -> String {
        self.currencies
            .iter()
            .map(|c| c.code().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Why `p` lies outside the training domain; empty when it does not.
    ///
    /// ```
    /// use agent_mira::model::TrainingDomain;
    /// use agent_mira::Property;
    /// let mut a = Property::new(1, 500_000.0);
    /// a.size_sqft = Some(1_000.0);
    /// a.location = Some("Kent, WA".into());
    /// let mut b = a.clone();
    /// b.size_sqft = Some(3_000.0);
    /// let domain = TrainingDomain::of(&[&a, &b]);
    ///
    /// let mut big = Property::new(9, 1.0);
    /// big.size_sqft = Some(40_000.0);
    /// big.location = Some("Boise, ID".into());
    /// assert_eq!(domain.check(&big), vec![
    ///     "size_sqft 40,000 above training range (1,000–3,000)".to_string(),
    ///     "location Boise, ID not seen in training".to_string(),
    /// ]);
    /// ```
    pub fn check(&self, p: &Property) -> Vec<String> {
        let mut out = Vec::new();
        for (name, f) in DOMAIN_FIELDS {
            if let (Some(v), Some(r)) = (f(p), self.ranges.get(*name)) {
                let span = format!("({}–{})", fmt(name, r.min), fmt(name, r.max));
                if v > r.max {
                    out.push(format!(
                        "{name} {} above training range {span}",
                        fmt(name, v)
                    ));
                } else if v < r.min {
                    out.push(format!(
                        "{name} {} below training range {span}",
                        fmt(name, v)
                    ));
                }
            }
        }
        if let Some(l) = &p.location {
            let key = location_key(l);
            if !self.locations.is_empty() && !self.locations.iter().any(|s| location_key(s) == key)
            {
                out.push(format!("location {} not seen in training", l.trim()));
            }
        }
        if !self.knows_currency_of(p) {
            out.push(format!(
                "currency {} not seen in training ({})",
                p.currency.unwrap_or(Currency::USD).code(),
                self.currency_list()
            ));
        }
        if let (Some(lat), Some(lon), Some([a, b, c, d])) =
            (p.latitude, p.longitude, self.lat_lon_box)
        {
            if lat < a || lat > c || lon < b || lon > d {
                out.push("coordinates outside the area seen in training".to_string());
            }
        }
        out
    }
}

fn fmt(name: &str, v: f64) -> String {
    if name == "year_built" {
        format!("{}", v as i64)
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        thousands(v.abs() as u64)
    } else {
        number(v)
    }
}

fn range(values: impl Iterator<Item = f64>) -> Option<Range> {
    values.fold(None, |acc, v| match acc {
        None => Some(Range { min: v, max: v }),
        Some(r) => Some(Range {
            min: r.min.min(v),
            max: r.max.max(v),
        }),
    })
}
