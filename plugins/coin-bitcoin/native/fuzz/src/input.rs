//! Shared by the three hasher fuzz crates (coin-ethereum and coin-warthog include it by path).
//! Fuzzer bytes to JS-shaped arguments: numbers as JS hands them to napi
//! (f64, biased to the edges: NaN, ±inf, -0, fractions, bounds ± 1, raw bit
//! patterns), byte buffers of lengths near the expected one, strings.

use libfuzzer_sys::arbitrary::Unstructured;

const SPECIAL: [f64; 11] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -0.0,
    0.0,
    0.5,
    -1.0,
    f64::EPSILON,
    f64::MIN_POSITIVE,
    9_007_199_254_740_992.0,
    f64::MAX,
];

/// A JS number: a special value, a value at or near one of `edges`, a small
/// integer, or any bit pattern.
pub fn js_number(u: &mut Unstructured, edges: &[f64]) -> f64 {
    let pick = u.arbitrary::<u8>().unwrap_or(0);
    match pick % 6 {
        0 => SPECIAL[usize::from(pick / 6) % SPECIAL.len()],
        1 | 2 if !edges.is_empty() => {
            let e = edges[usize::from(pick / 6) % edges.len()];
            let k = u.arbitrary::<u8>().unwrap_or(0);
            [e - 1.0, e, e + 1.0, e - 0.5, e + 0.25, -e, e * 2.0][usize::from(k) % 7]
        }
        3 => f64::from(u.arbitrary::<u16>().unwrap_or(0)),
        4 => u.arbitrary::<u64>().unwrap_or(0) as f64,
        _ => f64::from_bits(u.arbitrary::<u64>().unwrap_or(0)),
    }
}

/// A buffer whose length is usually `expected`, sometimes near it or anything up to 2·expected + 8.
pub fn bytes_near(u: &mut Unstructured, expected: usize) -> Vec<u8> {
    let pick = u.arbitrary::<u8>().unwrap_or(0);
    let len = match pick % 4 {
        0 | 1 => expected,
        2 => (expected + usize::from(pick / 4) % 3).saturating_sub(1),
        _ => usize::from(pick / 4) % (2 * expected + 9),
    };
    let mut out = vec![0u8; len];
    for b in out.iter_mut() {
        *b = u.arbitrary().unwrap_or(0);
    }
    out
}

/// A fixed-size array (zero-filled once the input runs out).
pub fn array<const N: usize>(u: &mut Unstructured) -> [u8; N] {
    let mut out = [0u8; N];
    for b in out.iter_mut() {
        *b = u.arbitrary().unwrap_or(0);
    }
    out
}

/// An implementation name: one of `known`, or any short string.
pub fn name(u: &mut Unstructured, known: &[&str]) -> Option<String> {
    let pick = u.arbitrary::<u8>().unwrap_or(0);
    match pick % 4 {
        0 => None,
        1 | 2 => Some(known[usize::from(pick / 4) % known.len()].to_owned()),
        _ => {
            let len = usize::from(u.arbitrary::<u8>().unwrap_or(0) % 12);
            let bytes: Vec<u8> = (0..len).map(|_| u.arbitrary().unwrap_or(0)).collect();
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
    }
}

/// `x` is an integer in [lo, hi] (the oracle for every range check).
pub fn is_integer_in(x: f64, lo: f64, hi: f64) -> bool {
    x.is_finite() && x == x.floor() && x >= lo && x <= hi
}
