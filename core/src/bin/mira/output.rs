//! Printing results: a table for people, JSON for machines.

use agent_mira::format::{number, thousands};
use agent_mira::investment::{InvestmentMetrics, RentSource};
use agent_mira::{Catalog, Engine, Recommendation, RentPeriod};

/// Results as a JSON array.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("results serialise")
    );
}

/// An explanation: the listing and its total, one line per component
/// (score × share = points, then its sentence), the filters, and what
/// `recommend` says about it.
pub fn explanation(engine: &Engine, e: &agent_mira::Explanation) {
    let p = engine
        .get(&e.id)
        .expect("explanations come from the catalog");
    let title = p.title.as_deref().unwrap_or("(untitled)");
    let place = p.location.as_deref().unwrap_or("location unknown");
    let verdict = if e.passed {
        "ranked (passes every filter)".to_string()
    } else {
        let failed: Vec<&str> = e
            .filters
            .iter()
            .filter(|f| !f.passed)
            .map(|f| f.name.as_str())
            .collect();
        format!("not ranked (removed by {})", failed.join(", "))
    };
    println!("{title} — {place}  [id {}]", e.id);
    println!("    score {:.2}/100, {verdict}", e.total);
    let width = e.components.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut not_asked = Vec::new();
    for c in &e.components {
        match (c.asked, c.score) {
            (false, _) => not_asked.push(c.name.as_str()),
            (true, Some(score)) => println!(
                "    {:<width$}  {score:>5.1} × {:>4.1} % = {:>5.2}  {}",
                c.name,
                100.0 * c.share,
                c.contribution,
                c.sentence.as_deref().unwrap_or("")
            ),
            (true, None) => println!(
                "    {:<width$}  unknown, left out       {}",
                c.name,
                c.sentence.as_deref().unwrap_or("no listing has this field")
            ),
        }
    }
    if !not_asked.is_empty() {
        println!("    not asked: {}", not_asked.join(", "));
    }
    for f in &e.filters {
        let mark = if f.passed { "passed" } else { "FAILED" };
        println!("    filter {} {mark}: {}", f.name, f.detail);
    }
    println!("    the points add up to the score; the weights are the profile's, shared among the known components");
}

/// Results as a numbered list with reasons.
pub fn table(engine: &Engine, results: &[Recommendation], offset: usize) {
    if results.is_empty() {
        println!("No listing matches. Loosen a filter (must-have amenities, property types, listing type, move-in day, lease length, pets) or raise k.");
        return;
    }
    items(engine, results, offset);
    if let Some(note) = unknown_note(&engine.stats().unknown_fields) {
        println!("{note}");
    }
}

/// "Homes like this one" as a numbered list, laid out as [`table`] lays
/// out recommendations (the score is the similarity, 0–100).
pub fn similar(engine: &Engine, results: &[Recommendation]) {
    if results.is_empty() {
        println!("No other listing passes these filters with a vector to compare. Loosen a filter (listing type, property types, max price, currency) or raise k.");
        return;
    }
    items(engine, results, 0);
}

/// Each result: rank, title, place and id; score and prices; investment
/// metrics when known; reasons.
fn items(engine: &Engine, results: &[Recommendation], offset: usize) {
    for (i, r) in results.iter().enumerate() {
        let p = engine.get(&r.id).expect("results come from the catalog");
        let title = p.title.as_deref().unwrap_or("(untitled)");
        let place = p.location.as_deref().unwrap_or("location unknown");
        println!("{:>2}. {title} — {place}  [id {}]", offset + i + 1, r.id);
        let money = |x: f64| r.currency.format_amount(x);
        match r.rent_per_month {
            Some(monthly) => {
                let period = p.rent_period.unwrap_or(RentPeriod::Month);
                let quoted = if period == RentPeriod::Month {
                    String::new()
                } else {
                    format!(" ({}/{period})", money(r.listed_price))
                };
                println!(
                    "    score {:.1}/100 · rent {}/month{quoted} · predicted {}/{period} ({})",
                    r.score,
                    money(monthly),
                    money(r.predicted_price),
                    r.price_source.as_str()
                );
            }
            None => println!(
                "    score {:.1}/100 · listed {} · predicted {} ({})",
                r.score,
                money(r.listed_price),
                money(r.predicted_price),
                r.price_source.as_str()
            ),
        }
        if let Some(m) = &r.metrics {
            println!(
                "    {}",
                investment_line(m, |x| r.currency.format_amount(x))
            );
        }
        for reason in &r.reasons {
            println!("    - {reason}");
        }
    }
}

/// A result's investment metrics on one line: gross yield, cap rate and
/// the rent they assume; the cash flow and cash-on-cash return with a
/// mortgage; the value gap with a price model.
fn investment_line(m: &InvestmentMetrics, money: impl Fn(f64) -> String) -> String {
    let source = match m.rent_source {
        RentSource::Given => "the listing's estimate",
        RentSource::Model => "from the rent model",
    };
    let mut parts = vec![
        format!("gross yield {}", rate(m.gross_yield, false)),
        format!("cap rate {}", rate(m.cap_rate, false)),
        format!("rent {}/month ({source})", money(m.estimated_rent)),
    ];
    if let Some(flow) = m.monthly_cash_flow {
        let sign = if flow.round() > 0.0 { "+" } else { "" };
        parts.push(format!("cash flow {sign}{}/month", money(flow)));
    }
    if let Some(coc) = m.cash_on_cash {
        parts.push(format!("cash-on-cash {}", rate(coc, true)));
    }
    if let Some(gap) = m.value_gap {
        parts.push(format!("value gap {}", rate(gap, true)));
    }
    parts.join(" · ")
}

/// A fraction as a percentage with at most two decimals: `0.0741` →
/// `"7.41 %"`, `0.12` → `"12 %"`; `signed` puts `+` before a positive one.
fn rate(fraction: f64, signed: bool) -> String {
    let text = format!("{:.2}", fraction * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    let sign = if signed && !text.starts_with('-') && text != "0" {
        "+"
    } else {
        ""
    };
    format!("{sign}{text} %")
}

/// Said once per answer: the fields no listing has, which every score
/// leaves out (`None` when every field is known somewhere).
fn unknown_note(fields: &[String]) -> Option<String> {
    let names: Vec<String> = fields.iter().map(|f| f.replace('_', " ")).collect();
    let list = match names.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    Some(format!(
        "Note: no listing in this catalog has a {list}, so no score counts them."
    ))
}

/// A summary of a catalog.
pub fn stats(catalog: &Catalog, as_json: bool) {
    let s = catalog.stats();
    let n = s.listings;
    let (lo, median, hi) = (s.price_min, s.price_median, s.price_max);
    let coverage = &s.known;
    let places = &s.locations;
    let amenities = &s.amenities;

    let currencies = catalog.currencies();
    let renting = renting_coverage(catalog);
    let rentals = catalog.properties().filter(|p| p.is_rental()).count();
    if as_json {
        let v = serde_json::json!({
            "listings": n,
            "version": s.version,
            "price": {"min": lo, "median": median, "max": hi},
            "currencies": currencies.iter().map(|(c, k)| serde_json::json!({"currency": c.code(), "listings": k})).collect::<Vec<_>>(),
            "rentals": rentals,
            "renting_known": renting,
            "known": coverage,
            "locations": places.iter().map(|(name, k)| serde_json::json!({"location": name, "listings": k})).collect::<Vec<_>>(),
            "amenities": amenities.iter().map(|(name, k)| serde_json::json!({"amenity": name, "listings": k})).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("stats serialise")
        );
        return;
    }
    println!(
        "{} listings (catalog version {})",
        thousands(n as u64),
        catalog.version()
    );
    match currencies {
        [] => {}
        [(one, _)] => println!(
            "price: {} min · {} median · {} max",
            one.format_amount(lo),
            one.format_amount(median),
            one.format_amount(hi)
        ),
        many => println!(
            "prices in {} currencies ({}): no single range; requests name their currency",
            many.len(),
            many.iter()
                .map(|(c, k)| format!("{c} {}", thousands(*k as u64)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
    let share = |k: usize| {
        if n == 0 {
            "0".to_string()
        } else {
            // One decimal: "9.9%", "0.8%".
            number((k as f64 / n as f64 * 1000.0).round() / 10.0)
        }
    };
    println!("known fields:");
    // Amenities are reported per amenity below: a listing whose amenity
    // list is known says nothing about which amenities occur.
    for (name, k) in coverage.iter().filter(|(name, _)| **name != "amenities") {
        println!("  {name:<14} {:>9} ({}%)", thousands(*k as u64), share(*k));
    }
    if rentals > 0 {
        println!(
            "{} rentals ({}%); renting fields known:",
            thousands(rentals as u64),
            share(rentals)
        );
        for (name, k) in &renting {
            println!("  {name:<16} {:>9} ({}%)", thousands(*k as u64), share(*k));
        }
    }
    println!("{} locations; largest:", places.len());
    for (name, k) in places.iter().take(10) {
        println!("  {name:<28} {}", thousands(*k as u64));
    }
    println!(
        "{} distinct amenities (amenity lists known for {} listings); listings with each:",
        amenities.len(),
        thousands(coverage.get("amenities").copied().unwrap_or(0) as u64)
    );
    for (name, k) in amenities.iter().take(15) {
        println!("  {name:<28} {:>9} ({}%)", thousands(*k as u64), share(*k));
    }
}

/// How many listings give each renting field, in field order.
fn renting_coverage(catalog: &Catalog) -> Vec<(&'static str, usize)> {
    let mut counts = [
        ("rent_period", 0),
        ("available_from", 0),
        ("available_until", 0),
        ("min_lease_months", 0),
        ("max_lease_months", 0),
        ("deposit", 0),
        ("furnishing", 0),
        ("pets_allowed", 0),
        ("floor", 0),
        ("total_floors", 0),
    ];
    for p in catalog.properties() {
        let given = [
            p.rent_period.is_some(),
            p.available_from.is_some(),
            p.available_until.is_some(),
            p.min_lease_months.is_some(),
            p.max_lease_months.is_some(),
            p.deposit.is_some(),
            p.furnishing.is_some(),
            p.pets_allowed.is_some(),
            p.floor.is_some(),
            p.total_floors.is_some(),
        ];
        for (count, known) in counts.iter_mut().zip(given) {
            count.1 += usize::from(known);
        }
    }
    counts.to_vec()
}
