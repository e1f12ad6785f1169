//! The `homes_like_this` example prints exactly this (the fixtures and
//! the toy text embedding are deterministic).

#[test]
fn homes_like_this_prints_what_it_should() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = agent_mira_examples::homes_like_this::run(&root).unwrap();
    assert_eq!(
        out,
        r#"Like 103, single-family homes only (structured embedding):
  110 score 84.2 (similarity 84.2): Like listing 103: similarity 0.84 (84/100); Same 4 bd; 9.1 km away; Also a single-family home
  109 score 28.3 (similarity 28.3): Like listing 103: similarity 0.28 (28/100); Also a single-family home
  111 score 28.1 (similarity 28.1): Like listing 103: similarity 0.28 (28/100); Built within 5 years (2000 vs 1998); Also a single-family home
Attached 12 vectors of 64 numbers (257 bytes a listing).
Like 104 (text vectors):
  107 score 44.1 (similarity 44.1): Like listing 104: similarity 0.44 (44/100); Same 2 bd / 2 ba; Also a condo
  102 score 38.9 (similarity 38.9): Like listing 104: similarity 0.39 (39/100); 7.3 km away
  105 score 33.3 (similarity 33.3): Like listing 104: similarity 0.33 (33/100)
Recommended under $700,000 for a buyer who saved 104 and 107:
  102 score 74.0 (similarity 43.7): Listed $689,000, within your $700,000 budget; School rating 7/10 (70/100); Commute 28 min (59/100); Built 2021 (4 years old, 100/100); Like the homes you saved: similarity 0.44 (44/100); No price model: the predicted price is the listed price
  112 score 70.7 (similarity 29.7): Listed $600,000, within your $700,000 budget; School rating 7/10 (70/100); Commute 25 min (73/100); Built 2000 (25 years old, 84/100); Like the homes you saved: similarity 0.30 (30/100); No price model: the predicted price is the listed price
  111 score 69.8 (similarity 26.6): Listed $600,000, within your $700,000 budget; School rating 7/10 (70/100); Commute 25 min (73/100); Built 2000 (25 years old, 84/100); Like the homes you saved: similarity 0.27 (27/100); No price model: the predicted price is the listed price
"#
    );
}
