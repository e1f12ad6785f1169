//! Investment metrics: what a home for sale would earn as a rental.
//!
//! Every figure comes from the listing's price, a monthly rent (the
//! listing's own estimate or a rent model's), a few operating assumptions
//! and, for cash flow, the mortgage the investor describes:
//!
//! | metric | formula |
//! |---|---|
//! | gross yield | `12 × rent ÷ price` |
//! | price-to-rent ratio | `price ÷ (12 × rent)` |
//! | effective gross income | `12 × rent × (1 − vacancy)` |
//! | net operating income (NOI) | `effective gross income × (1 − expense_ratio)` |
//! | cap rate | `NOI ÷ price` |
//! | mortgage payment (per month) | `L × r ÷ (1 − (1 + r)^−n)` with loan `L = price × (1 − down_payment)`, `r = rate ÷ 12`, `n = 12 × years` (`L ÷ n` at a zero rate) |
//! | monthly cash flow | `NOI ÷ 12 − mortgage payment` |
//! | cash invested | `price × (down_payment + closing_costs)` |
//! | cash-on-cash return | `12 × monthly cash flow ÷ cash invested` |
//! | value gap | `predicted price ÷ listed price − 1` (with a price model) |
//!
//! Rates and shares are fractions: `0.072` is 7.2 %. Operating expenses
//! (taxes, insurance, upkeep, management) are a share of the rent actually
//! collected, so NOI is the rent after vacancy and expenses.
//!
//! Defaults ([`Assumptions::default`], [`Mortgage::default`]): vacancy
//! [`DEFAULT_VACANCY`] (5 %, about 18 days a year), expenses
//! [`DEFAULT_EXPENSE_RATIO`] (35 % of collected rent: between the 25–30 %
//! of a new, self-managed home and the "50 % rule" investors use as a
//! pessimistic bound), closing costs [`DEFAULT_CLOSING_COSTS`] (3 % of the
//! price), and a mortgage of [`DEFAULT_DOWN_PAYMENT`] (20 %) down over
//! [`DEFAULT_MORTGAGE_YEARS`] (30) years. There is no default interest
//! rate: it changes with the market, so the investor names it.
//!
//! A worked example (its numbers are checked when the docs are tested): a home
//! listed at $400,000 that would rent for $2,500 a month, with the default
//! assumptions and 20 % down at 6.5 % over 30 years:
//!
//! ```
//! use agent_mira::investment::{Assumptions, Mortgage, RentSource, metrics};
//! let mortgage = Mortgage { annual_rate: 0.065, ..Mortgage::default() };
//! let m = metrics(400_000.0, 2_500.0, RentSource::Given, None,
//!                 &Assumptions::default(), Some(&mortgage)).unwrap();
//! assert_eq!(m.gross_yield, 0.075);                     // 30,000 / 400,000
//! assert_eq!(m.net_operating_income, 18_525.0);         // 30,000 × 0.95 × 0.65
//! assert_eq!(m.cap_rate, 0.0463125);                    // 18,525 / 400,000
//! let payment = mortgage.monthly_payment(400_000.0);    // on a $320,000 loan
//! assert_eq!((payment * 100.0).round() / 100.0, 2_022.62);
//! let flow = m.monthly_cash_flow.unwrap();              // 1,543.75 − 2,022.62
//! assert_eq!((flow * 100.0).round() / 100.0, -478.87);
//! let coc = m.cash_on_cash.unwrap();                    // 12 × flow / 92,000
//! assert_eq!((coc * 10_000.0).round() / 10_000.0, -0.0625);
//! assert_eq!(m.value_gap, None);                        // no price model
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{MiraError, RecordRef, Result};

/// Share of the year a rental stands empty, by default (5 %).
pub const DEFAULT_VACANCY: f64 = 0.05;
/// Operating expenses as a share of the rent collected, by default (35 %).
pub const DEFAULT_EXPENSE_RATIO: f64 = 0.35;
/// Closing costs as a share of the price, paid in cash, by default (3 %).
pub const DEFAULT_CLOSING_COSTS: f64 = 0.03;
/// Down payment as a share of the price, by default (20 %).
pub const DEFAULT_DOWN_PAYMENT: f64 = 0.20;
/// Term of the mortgage in years, by default (30).
pub const DEFAULT_MORTGAGE_YEARS: u32 = 30;
/// Longest mortgage accepted, in years.
pub const MAX_MORTGAGE_YEARS: u32 = 50;

/// Where a rent estimate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RentSource {
    /// The listing's own `estimated_rent`.
    Given,
    /// A rent model's prediction.
    Model,
}

impl RentSource {
    /// `"given"` or `"model"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RentSource::Given => "given",
            RentSource::Model => "model",
        }
    }
}

/// How a rental is run: what share of the year it stands empty, what share
/// of the rent collected goes to expenses, and the closing costs of buying.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Assumptions {
    /// Share of the year empty, `0 ≤ vacancy < 1`.
    pub vacancy: f64,
    /// Operating expenses as a share of the rent collected, `0 ≤ e < 1`.
    pub expense_ratio: f64,
    /// Closing costs as a share of the price, `0 ≤ c ≤ 0.5`.
    pub closing_costs: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            vacancy: DEFAULT_VACANCY,
            expense_ratio: DEFAULT_EXPENSE_RATIO,
            closing_costs: DEFAULT_CLOSING_COSTS,
        }
    }
}

impl Assumptions {
    /// Check the ranges, naming the field (`record` says whose request).
    pub fn validate(&self, record: &RecordRef) -> Result<()> {
        share(record, "vacancy", self.vacancy, false)?;
        share(record, "expense_ratio", self.expense_ratio, false)?;
        if !(self.closing_costs.is_finite() && (0.0..=0.5).contains(&self.closing_costs)) {
            return Err(MiraError::invalid(
                record.clone(),
                "closing_costs",
                self.closing_costs,
                "a share of the price between 0 and 0.5 (0.03 for 3 %)",
            ));
        }
        Ok(())
    }
}

/// A fixed-rate mortgage: the share of the price paid down, the yearly
/// interest rate and the term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mortgage {
    /// Share of the price paid in cash, `0 ≤ d ≤ 1` (1: no loan).
    pub down_payment: f64,
    /// Yearly interest rate as a fraction (`0.065` for 6.5 %).
    pub annual_rate: f64,
    /// Term in years, 1 to [`MAX_MORTGAGE_YEARS`].
    pub years: u32,
}

impl Default for Mortgage {
    /// 20 % down over 30 years at a 0 % rate: name the rate.
    fn default() -> Self {
        Mortgage {
            down_payment: DEFAULT_DOWN_PAYMENT,
            annual_rate: 0.0,
            years: DEFAULT_MORTGAGE_YEARS,
        }
    }
}

impl Mortgage {
    /// Check the ranges, naming the field. A rate above 1 is refused as
    /// the likely slip of writing a percentage (6.5 for 0.065).
    pub fn validate(&self, record: &RecordRef) -> Result<()> {
        share(record, "down_payment", self.down_payment, true)?;
        if !(self.annual_rate.is_finite() && (0.0..1.0).contains(&self.annual_rate)) {
            return Err(MiraError::invalid(
                record.clone(),
                "mortgage_rate",
                self.annual_rate,
                "a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)",
            ));
        }
        if !(1..=MAX_MORTGAGE_YEARS).contains(&self.years) {
            return Err(MiraError::invalid(
                record.clone(),
                "mortgage_years",
                self.years,
                format!("a whole number of years between 1 and {MAX_MORTGAGE_YEARS}"),
            ));
        }
        Ok(())
    }

    /// The loan on a home bought at `price`.
    pub fn loan(&self, price: f64) -> f64 {
        price * (1.0 - self.down_payment)
    }

    /// The standard fixed-rate amortised payment per month on the loan for
    /// a home bought at `price`: `L·r / (1 − (1 + r)^−n)`, `r` the monthly
    /// rate, `n` the number of monthly payments; `L / n` at a zero rate.
    pub fn monthly_payment(&self, price: f64) -> f64 {
        Payment::of(self).on(price)
    }
}

/// A mortgage's payment per unit of loan, worked out once: every payment
/// the engine computes (one listing's metrics, a request's cash-flow
/// filter and score over a whole catalog) goes through [`Payment::on`], so
/// they agree to the last bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Payment {
    /// Share of the price borrowed, `1 − down_payment`.
    borrowed: f64,
    /// Number of monthly payments.
    months: f64,
    /// `r / (1 − (1 + r)^−n)`, or `None` at a zero rate (`L / n`).
    per_loan: Option<f64>,
}

impl Payment {
    pub(crate) fn of(m: &Mortgage) -> Payment {
        let months = f64::from(m.years * 12);
        let r = m.annual_rate / 12.0;
        Payment {
            borrowed: 1.0 - m.down_payment,
            months,
            per_loan: (r != 0.0).then(|| r / (1.0 - (1.0 + r).powf(-months))),
        }
    }

    /// The payment per month for a home bought at `price`.
    #[inline]
    pub(crate) fn on(&self, price: f64) -> f64 {
        let loan = price * self.borrowed;
        match self.per_loan {
            Some(k) => loan * k,
            None => loan / self.months,
        }
    }
}

/// Net operating income per year of a home renting for `monthly_rent`:
/// `12 × rent × (1 − vacancy) × (1 − expense_ratio)`.
#[inline]
pub(crate) fn net_operating_income(monthly_rent: f64, a: &Assumptions) -> f64 {
    12.0 * monthly_rent * (1.0 - a.vacancy) * (1.0 - a.expense_ratio)
}

/// `12 × rent ÷ price`.
#[inline]
pub(crate) fn gross_yield(price: f64, monthly_rent: f64) -> f64 {
    12.0 * monthly_rent / price
}

/// `NOI ÷ 12 − payment`.
#[inline]
pub(crate) fn cash_flow(noi: f64, payment: f64) -> f64 {
    noi / 12.0 - payment
}

/// What an investor assumes for
/// [`Engine::analyze_investment`](crate::Engine::analyze_investment): operating assumptions, and the
/// mortgage when the purchase is financed (no mortgage: no cash flow or
/// cash-on-cash figures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct InvestmentTerms {
    /// Vacancy, expenses and closing costs.
    pub assumptions: Assumptions,
    /// The mortgage, if any.
    pub mortgage: Option<Mortgage>,
}

/// An investor's terms as a request writes them (a flat object; see
/// [`InvestmentTerms::from_json`]). Rates and shares are fractions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    /// Share of the price paid in cash (default 0.2); needs `mortgage_rate`.
    #[schemars(range(min = 0, max = 1))]
    pub down_payment: Option<f64>,
    /// Yearly interest rate of the mortgage (0.065 for 6.5 %); with it the
    /// metrics include the monthly cash flow and cash-on-cash return.
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    pub mortgage_rate: Option<f64>,
    /// Term of the mortgage in years (default 30); needs `mortgage_rate`.
    #[schemars(range(min = 1, max = 50))]
    pub mortgage_years: Option<u32>,
    /// Operating expenses as a share of the rent collected (default 0.35).
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    pub expense_ratio: Option<f64>,
    /// Share of the year the home stands empty (default 0.05).
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    pub vacancy: Option<f64>,
    /// Closing costs as a share of the price, paid in cash (default 0.03).
    #[schemars(range(min = 0, max = 0.5))]
    pub closing_costs: Option<f64>,
}

/// The keys [`InvestmentTerms::from_json`] reads.
pub const TERM_FIELDS: &[&str] = &[
    "down_payment",
    "mortgage_rate",
    "mortgage_years",
    "expense_ratio",
    "vacancy",
    "closing_costs",
];

impl InvestmentTerms {
    /// Terms from a JSON object of [`TERM_FIELDS`] (each optional, `null`
    /// meaning "the default"): a mortgage when `mortgage_rate` is given
    /// (`down_payment` and `mortgage_years` default to 20 % and 30 years,
    /// and need a rate beside them); unknown keys are refused with a
    /// suggestion, values out of range naming the field.
    ///
    /// ```
    /// use agent_mira::investment::InvestmentTerms;
    /// let t = InvestmentTerms::from_json(serde_json::json!({"mortgage_rate": 0.065, "vacancy": 0.08})).unwrap();
    /// assert_eq!(t.mortgage.unwrap().years, 30);
    /// assert_eq!(t.assumptions.vacancy, 0.08);
    /// let err = InvestmentTerms::from_json(serde_json::json!({"down_payment": 0.25})).unwrap_err();
    /// assert_eq!(err.to_string(), "investment terms: field `down_payment` = 0.25: expected a mortgage_rate beside it (the yearly rate of the mortgage, e.g. 0.065)");
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<InvestmentTerms> {
        let record = RecordRef::Other("investment terms".into());
        let serde_json::Value::Object(mut map) = value else {
            return Err(MiraError::invalid(
                record,
                "<terms>",
                crate::record::render(&value),
                "a JSON object",
            ));
        };
        map.retain(|_, v| !v.is_null());
        crate::record::check_keys(&map, TERM_FIELDS, &record)?;
        let raw: TermsInput = crate::record::from_object(map, &record)?;
        InvestmentTerms::from_input(&raw, &record)
    }

    /// Terms from their written form (see [`InvestmentTerms::from_json`]);
    /// `record` says whose request an error names.
    pub fn from_input(raw: &TermsInput, record: &RecordRef) -> Result<InvestmentTerms> {
        let defaults = Assumptions::default();
        let assumptions = Assumptions {
            vacancy: raw.vacancy.unwrap_or(defaults.vacancy),
            expense_ratio: raw.expense_ratio.unwrap_or(defaults.expense_ratio),
            closing_costs: raw.closing_costs.unwrap_or(defaults.closing_costs),
        };
        assumptions.validate(record)?;
        let mortgage = match raw.mortgage_rate {
            Some(rate) => Some(Mortgage {
                down_payment: raw.down_payment.unwrap_or(DEFAULT_DOWN_PAYMENT),
                annual_rate: rate,
                years: raw.mortgage_years.unwrap_or(DEFAULT_MORTGAGE_YEARS),
            }),
            None => {
                let lone = [
                    ("down_payment", raw.down_payment.map(|d| d.to_string())),
                    ("mortgage_years", raw.mortgage_years.map(|y| y.to_string())),
                ];
                if let Some((field, Some(value))) = lone.into_iter().find(|(_, v)| v.is_some()) {
                    return Err(MiraError::invalid(
                        record.clone(),
                        field,
                        value,
                        "a mortgage_rate beside it (the yearly rate of the mortgage, e.g. 0.065)",
                    ));
                }
                None
            }
        };
        if let Some(m) = &mortgage {
            m.validate(record)?;
        }
        Ok(InvestmentTerms {
            assumptions,
            mortgage,
        })
    }
}

/// Every metric of one listing (see the [module docs](self) for the
/// formulas). Rates and shares are fractions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InvestmentMetrics {
    /// The monthly rent the metrics assume.
    pub estimated_rent: f64,
    /// Where that rent came from.
    pub rent_source: RentSource,
    /// `12 × rent ÷ price`.
    pub gross_yield: f64,
    /// `price ÷ (12 × rent)`.
    pub price_to_rent: f64,
    /// Yearly rent after vacancy and operating expenses.
    pub net_operating_income: f64,
    /// `NOI ÷ price`.
    pub cap_rate: f64,
    /// The mortgage payment per month (with a mortgage).
    pub mortgage_payment: Option<f64>,
    /// NOI per month minus the mortgage payment (with a mortgage).
    pub monthly_cash_flow: Option<f64>,
    /// `12 × monthly cash flow ÷ (down payment + closing costs)` (with a
    /// mortgage; `None` when nothing is paid in cash).
    pub cash_on_cash: Option<f64>,
    /// `predicted price ÷ listed price − 1` (with a price model).
    pub value_gap: Option<f64>,
}

/// The metrics of a home listed at `price` that would rent for
/// `monthly_rent`, optionally valued at `predicted_price` and bought with
/// `mortgage`. Refuses a price or rent that is not a finite number > 0 and
/// assumptions or mortgage terms out of range, naming the field.
pub fn metrics(
    price: f64,
    monthly_rent: f64,
    rent_source: RentSource,
    predicted_price: Option<f64>,
    assumptions: &Assumptions,
    mortgage: Option<&Mortgage>,
) -> Result<InvestmentMetrics> {
    let record = RecordRef::Other("investment metrics".into());
    for (field, value) in [("price", price), ("estimated_rent", monthly_rent)] {
        if !(value.is_finite() && value > 0.0) {
            return Err(MiraError::invalid(
                record.clone(),
                field,
                value,
                "a finite amount > 0",
            ));
        }
    }
    assumptions.validate(&record)?;
    if let Some(m) = mortgage {
        m.validate(&record)?;
    }
    let yearly_rent = 12.0 * monthly_rent;
    let noi = net_operating_income(monthly_rent, assumptions);
    let mortgage_payment = mortgage.map(|m| m.monthly_payment(price));
    let monthly_cash_flow = mortgage_payment.map(|payment| cash_flow(noi, payment));
    let cash_on_cash = mortgage.zip(monthly_cash_flow).and_then(|(m, flow)| {
        let invested = price * (m.down_payment + assumptions.closing_costs);
        (invested > 0.0).then(|| 12.0 * flow / invested)
    });
    Ok(InvestmentMetrics {
        estimated_rent: monthly_rent,
        rent_source,
        gross_yield: gross_yield(price, monthly_rent),
        price_to_rent: price / yearly_rent,
        net_operating_income: noi,
        cap_rate: noi / price,
        mortgage_payment,
        monthly_cash_flow,
        cash_on_cash,
        value_gap: predicted_price
            .filter(|p| p.is_finite() && *p > 0.0)
            .map(|p| p / price - 1.0),
    })
}

/// A share: finite, at least 0, below 1 (or up to 1 when `one_allowed`).
fn share(record: &RecordRef, field: &str, value: f64, one_allowed: bool) -> Result<()> {
    let in_range = value.is_finite()
        && value >= 0.0
        && if one_allowed {
            value <= 1.0
        } else {
            value < 1.0
        };
    if in_range {
        return Ok(());
    }
    let upper = if one_allowed { "up to 1" } else { "below 1" };
    Err(MiraError::invalid(
        record.clone(),
        field,
        value,
        format!("a share from 0 {upper} (0.05 for 5 %)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(x: f64) -> f64 {
        (x * 100.0).round() / 100.0
    }

    /// Payments from published amortisation tables (principal and interest,
    /// fixed rate, monthly): $200,000 at 6 % over 30 years is $1,199.10;
    /// $100,000 at 5 % over 30 years $536.82; $150,000 at 4 % over 15 years
    /// $1,109.53; $300,000 at 7 % over 30 years $1,995.91.
    #[test]
    fn payments_match_published_amortisation_tables() {
        let table = [
            (200_000.0, 0.06, 30, 1_199.10),
            (100_000.0, 0.05, 30, 536.82),
            (150_000.0, 0.04, 15, 1_109.53),
            (300_000.0, 0.07, 30, 1_995.91),
        ];
        for (loan, rate, years, published) in table {
            // All borrowed: the loan is the price.
            let m = Mortgage {
                down_payment: 0.0,
                annual_rate: rate,
                years,
            };
            assert_eq!(
                cents(m.monthly_payment(loan)),
                published,
                "{loan} at {rate}"
            );
        }
    }

    #[test]
    fn a_zero_rate_repays_the_loan_in_equal_parts() {
        let m = Mortgage {
            down_payment: 0.25,
            annual_rate: 0.0,
            years: 10,
        };
        assert_eq!(m.monthly_payment(480_000.0), 3_000.0);
    }

    #[test]
    fn paid_in_cash_there_is_no_payment() {
        let m = Mortgage {
            down_payment: 1.0,
            annual_rate: 0.065,
            years: 30,
        };
        assert_eq!(m.monthly_payment(400_000.0), 0.0);
        let got = metrics(
            400_000.0,
            2_500.0,
            RentSource::Model,
            Some(440_000.0),
            &Assumptions::default(),
            Some(&m),
        )
        .unwrap();
        assert_eq!(got.monthly_cash_flow, Some(18_525.0 / 12.0));
        assert_eq!(got.value_gap.map(|g| (g * 1e12).round() / 1e12), Some(0.1));
        assert_eq!(got.rent_source.as_str(), "model");
    }

    #[test]
    fn bad_terms_are_named() {
        let record = RecordRef::Preferences;
        let slip = Mortgage {
            annual_rate: 6.5,
            ..Mortgage::default()
        };
        assert_eq!(
            slip.validate(&record).unwrap_err().to_string(),
            "preferences: field `mortgage_rate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)"
        );
        let long = Mortgage {
            years: 60,
            ..Mortgage::default()
        };
        assert_eq!(
            long.validate(&record).unwrap_err().to_string(),
            "preferences: field `mortgage_years` = 60: expected a whole number of years between 1 and 50"
        );
        let empty = Assumptions {
            vacancy: 1.0,
            ..Assumptions::default()
        };
        assert_eq!(
            empty.validate(&record).unwrap_err().to_string(),
            "preferences: field `vacancy` = 1: expected a share from 0 below 1 (0.05 for 5 %)"
        );
        let err = metrics(
            0.0,
            2_000.0,
            RentSource::Given,
            None,
            &Assumptions::default(),
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "investment metrics: field `price` = 0: expected a finite amount > 0"
        );
    }
}
