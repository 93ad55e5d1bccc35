//! `CustomFloat`: Warthog's deterministic software float, in which Janushash
//! (`J = X · Y^0.7`) is computed by consensus.
//!
//! A Rust port of `CustomFloat` from the Warthog reference node
//! (warthog-network/Warthog, MIT licence, `src/shared/src/block/header/custom_float.hpp`,
//! checked against master @ 172276e), written from its description in
//! `facts/warthog.md` §1.1 and a reading of that file. Every operation
//! truncates exactly where the reference truncates, so that the consensus
//! value is reproduced bit for bit (vectors: `facts/warthog.md` §6-G). Its
//! `log2` and `pow2` are polynomial approximations: the result is not the
//! IEEE `pow` and must not be replaced by it (§6-G: -0.07 % on vector A1).
//!
//! A value is `(sign, exponent e, mantissa m)` with m in [2^31, 2^32), or
//! m = 0 for zero; it stands for `m / 2^32 · 2^e`.

use std::ops::{Add, Mul, Neg, Sub};

/// One Warthog software float. Equality is field-wise (a zero keeps the
/// exponent it had, as in the reference).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CustomFloat {
    mantissa: u32,
    exponent: i32,
    positive: bool,
}

/// The `c` of Janus7/Janus8: a header with `Y < c` is invalid (≈ 0.005, §1.1).
pub const JANUS_C: CustomFloat = CustomFloat::new(-7, 2_748_779_069, true);

/// The Janushash factor 0.7 (§1.1).
pub const JANUS_FACTOR: CustomFloat = CustomFloat::new(0, 3_006_477_107, true);

// log2 polynomial (reference comment: constants from nadavrot/fast_log).
const LOG2_C0: CustomFloat = CustomFloat::new(1, 2_872_373_668, true);
const LOG2_C1: CustomFloat = CustomFloat::new(3, 2_377_545_675, false);
const LOG2_C2: CustomFloat = CustomFloat::new(3, 3_384_280_813, true);
const LOG2_C3: CustomFloat = CustomFloat::new(2, 3_451_338_727, false);

// pow2 fraction polynomial.
const POW2_C0: CustomFloat = CustomFloat::new(-3, 3_207_796_260, true);
const POW2_C1: CustomFloat = CustomFloat::new(-2, 3_510_493_713, true);
const POW2_C2: CustomFloat = CustomFloat::new(0, 3_014_961_390, true);
const POW2_C3: CustomFloat = CustomFloat::new(1, 2_147_933_481, true);

const TOP_BIT: u64 = 1 << 31;
const ONE_PAST_MANTISSA: u64 = 1 << 32;

/// The exponent as the reference stores it: an int32 (the reference asserts
/// the range; our inputs stay within a few hundred).
fn exponent_i32(e: i64) -> i32 {
    debug_assert!(e > i64::from(i32::MIN) && e < i64::from(i32::MAX));
    e as i32
}

impl CustomFloat {
    /// A value from its parts. `mantissa` must be 0 or in [2^31, 2^32)
    /// (checked in debug builds, as the reference asserts it).
    pub const fn new(exponent: i32, mantissa: u64, positive: bool) -> Self {
        debug_assert!(mantissa == 0 || (mantissa >= TOP_BIT && mantissa < ONE_PAST_MANTISSA));
        CustomFloat {
            mantissa: mantissa as u32,
            exponent,
            positive,
        }
    }

    /// Zero (exponent 0).
    pub const fn zero() -> Self {
        CustomFloat::new(0, 0, true)
    }

    /// The mantissa, 0 or in [2^31, 2^32).
    pub fn mantissa(self) -> u32 {
        self.mantissa
    }

    /// The binary exponent: the value is `mantissa / 2^32 · 2^exponent`.
    pub fn exponent(self) -> i32 {
        self.exponent
    }

    /// Whether the sign is positive (a zero may carry either sign).
    pub fn positive(self) -> bool {
        self.positive
    }

    /// Whether the value is zero (mantissa 0).
    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// Normalises `m` (nonzero, < 2^32) upwards: shifts left until bit 31 is set.
    fn shift_left(e: i64, mut m: u64, positive: bool) -> Self {
        debug_assert!(m != 0 && m < ONE_PAST_MANTISSA);
        let mut e = e;
        while m < TOP_BIT {
            m <<= 1;
            e -= 1;
        }
        CustomFloat::new(exponent_i32(e), m, positive)
    }

    /// Normalises `m` (>= 2^31) downwards: shifts right (truncating) until it is < 2^32.
    fn shift_right(e: i64, mut m: u64, positive: bool) -> Self {
        debug_assert!(m >= TOP_BIT);
        let mut e = e;
        while m >= ONE_PAST_MANTISSA {
            m >>= 1;
            e += 1;
        }
        CustomFloat::new(exponent_i32(e), m, positive)
    }

    /// 2^e as the reference's `from_exponent`: exponent e + 1, mantissa 2^31.
    fn from_exponent(e: i64, positive: bool) -> Self {
        CustomFloat::new(exponent_i32(e + 1), TOP_BIT, positive)
    }

    fn add_exponent(mut self, add: i64) -> Self {
        self.exponent = exponent_i32(i64::from(self.exponent) + add);
        self
    }

    fn negate_exponent(mut self) -> Self {
        self.exponent = exponent_i32(-i64::from(self.exponent));
        self
    }

    /// A 32-byte hash read as a big-endian fraction in [0, 1): e drops by 8
    /// per leading zero byte, the next 4 bytes are the mantissa (bytes past
    /// the end count as 0xff), then it is normalised by shifting zeros in
    /// (§1.1: sha256t `02a50740 0d…` gives (-6, 0xa941d000)).
    pub fn from_hash(hash: &[u8; 32]) -> Self {
        let leading = hash.iter().take_while(|&&b| b == 0).count();
        let e = -8 * leading as i64;
        let mut m: u64 = 0;
        for j in 0..4 {
            let byte = hash.get(leading + j).copied().unwrap_or(0xff);
            m = (m << 8) | u64::from(byte);
        }
        CustomFloat::shift_left(e, m, true)
    }

    /// An integer, exactly (from_int in the reference).
    pub fn from_int(i: i32) -> Self {
        if i == 0 {
            return CustomFloat::zero();
        }
        CustomFloat::shift_left(32, u64::from(i.unsigned_abs()), i > 0)
    }

    /// The value as an IEEE double (for logs and tests; never for consensus).
    pub fn to_f64(self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let r = f64::from(self.mantissa) / ONE_PAST_MANTISSA as f64;
        ldexp(if self.positive { r } else { -r }, self.exponent)
    }

    /// Base-2 logarithm of a positive nonzero value: the integer exponent
    /// plus a cubic in the mantissa taken with exponent 0.
    pub fn log2(self) -> Self {
        debug_assert!(!self.is_zero() && self.positive);
        let e = self.exponent;
        let x = CustomFloat {
            exponent: 0,
            ..self
        };
        let d = LOG2_C3 + x * (LOG2_C2 + x * (LOG2_C1 + x * LOG2_C0));
        CustomFloat::from_int(e) + d
    }

    fn pow2_fraction(f: Self) -> Self {
        POW2_C3 + f * (POW2_C2 + f * (POW2_C1 + f * POW2_C0))
    }

    /// 2^x, with the reference's branches: zero; exponent > 0 (integer part
    /// split off, exact integers apart); exponent <= 0. For Janushash x is
    /// always negative.
    pub fn pow2(self) -> Self {
        if self.is_zero() {
            return CustomFloat::from_int(1);
        }
        let e_x = self.exponent;
        let m = self.mantissa;
        if e_x >= 32 {
            // The reference asserts e_x <= 31 (2^x would overflow); a hash's
            // logarithm never gets there (|0.7 · log2 Y| <= 180).
            debug_assert!(false, "pow2 of a value >= 2^31");
            return if self.positive {
                CustomFloat::from_exponent(i64::from(m), true)
            } else {
                CustomFloat::from_exponent(-i64::from(m), true)
            };
        }
        if e_x > 0 {
            let e = i64::from(m >> (32 - e_x));
            let m_frac = m << e_x;
            if m_frac == 0 {
                return if self.positive {
                    CustomFloat::from_exponent(e, true)
                } else {
                    CustomFloat::from_exponent(e, true)
                        .negate_exponent()
                        .add_exponent(2)
                };
            }
            let frac = CustomFloat::shift_left(0, u64::from(m_frac), true);
            if self.positive {
                CustomFloat::pow2_fraction(frac).add_exponent(e)
            } else {
                CustomFloat::pow2_fraction(CustomFloat::from_int(1) - frac)
                    .add_exponent(e - 1)
                    .negate_exponent()
            }
        } else if self.positive {
            CustomFloat::pow2_fraction(self)
        } else {
            CustomFloat::pow2_fraction(CustomFloat::from_int(1) + self)
                .negate_exponent()
                .add_exponent(1)
        }
    }

    /// `base^exponent` as `pow2(exponent · log2(base))`.
    pub fn pow(self, exponent: Self) -> Self {
        (exponent * self.log2()).pow2()
    }

    /// The reference's `CustomFloat < CustomFloat` (used for `Y < c`): both
    /// positive with exponent <= 0; more leading zero bits is smaller, then
    /// the mantissas decide.
    pub fn less_than(self, bound: Self) -> bool {
        debug_assert!(self.positive && bound.positive);
        debug_assert!(self.exponent <= 0 && bound.exponent <= 0);
        // uint32 casts of -exponent, as in the reference
        let zeros_bound = bound.exponent.wrapping_neg() as u32;
        let zeros_arg = self.exponent.wrapping_neg() as u32;
        if zeros_arg != zeros_bound {
            return zeros_arg > zeros_bound;
        }
        self.mantissa < bound.mantissa
    }
}

impl Neg for CustomFloat {
    type Output = CustomFloat;

    /// The sign flipped.
    fn neg(mut self) -> Self {
        self.positive = !self.positive;
        self
    }
}

impl Add for CustomFloat {
    type Output = CustomFloat;

    /// Sum: aligned on the larger exponent with a truncating shift; an
    /// operand 64 or more binary places smaller is ignored.
    fn add(self, other: Self) -> Self {
        if self.is_zero() {
            return other;
        }
        if other.is_zero() {
            return self;
        }
        let (a, b) = if self.exponent < other.exponent {
            (other, self)
        } else {
            (self, other)
        };
        let (e1, e2) = (i64::from(a.exponent), i64::from(b.exponent));
        if e1 - e2 >= 64 {
            return a;
        }
        let tmp = u64::from(a.mantissa);
        let operand = u64::from(b.mantissa) >> (e1 - e2);
        if a.positive == b.positive {
            CustomFloat::shift_right(e1, tmp + operand, a.positive)
        } else if operand == tmp {
            // the reference keeps the exponent and sign of the larger operand
            CustomFloat { mantissa: 0, ..a }
        } else if operand > tmp {
            // only possible with equal exponents
            CustomFloat::shift_left(e2, operand - tmp, b.positive)
        } else {
            CustomFloat::shift_left(e1, tmp - operand, a.positive)
        }
    }
}

impl Sub for CustomFloat {
    type Output = CustomFloat;

    /// Difference, as `self + (-other)`.
    fn sub(self, other: Self) -> Self {
        self + -other
    }
}

impl Mul for CustomFloat {
    type Output = CustomFloat;

    /// Product: e = e1 + e2, t = m1·m2; if t < 2^63 then t <<= 1 and e -= 1;
    /// the mantissa is t >> 32 (truncating).
    fn mul(self, other: Self) -> Self {
        let positive = self.positive == other.positive;
        if self.is_zero() || other.is_zero() {
            return CustomFloat {
                mantissa: 0,
                exponent: self.exponent,
                positive: self.positive,
            };
        }
        let mut e = i64::from(self.exponent) + i64::from(other.exponent);
        let mut t = u64::from(self.mantissa) * u64::from(other.mantissa);
        if t < 1 << 63 {
            e -= 1;
            t <<= 1;
        }
        CustomFloat::new(exponent_i32(e), t >> 32, positive)
    }
}

/// `x · 2^e` without intermediate overflow or underflow (std has no ldexp).
fn ldexp(mut x: f64, mut e: i32) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e)
}
