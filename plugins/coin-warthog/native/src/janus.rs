//! Janushash of an 80-byte header (`facts/warthog.md` §1.1, rules Janus7 and
//! Janus8 of §1.2): blockHash = SHA-256d(H), Y = frac(SHA-256t(H)),
//! X = frac(VerusHash(H)) with v2.1 for header version 2 and v2.2 otherwise
//! (versions 3 and 4), J = X · Y^0.7 in CustomFloat. A header is valid for a
//! target τ iff Y >= c and J < τ.

use lode_verushash::{verus_hash, Implementation, VerusVersion};

use crate::custom_float::{CustomFloat, JANUS_C, JANUS_FACTOR};
use crate::sha;
use crate::target::{increment_u256_be, shifted_u256_be, TargetV2};

/// The header's version field (bytes 68..72, big-endian, §2).
pub fn header_version(header: &[u8; 80]) -> u32 {
    u32::from_be_bytes([header[68], header[69], header[70], header[71]])
}

/// The VerusHash a header of this version is mined with: v2.1 for version 2
/// (Janus7), v2.2 for every other version (3 today, 4 planned), as the
/// node's `janus_number()` picks it (§1.2).
pub fn verus_version_for(version: u32) -> VerusVersion {
    VerusVersion::for_header_version(version)
}

/// The CustomFloat intermediates of J (the values of §6-G).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Steps {
    /// frac(sha256t)
    pub y: CustomFloat,
    /// frac(verus)
    pub x: CustomFloat,
    /// log2(Y)
    pub log2_y: CustomFloat,
    /// 0.7 · log2(Y)
    pub scaled_log: CustomFloat,
    /// Y^0.7 = pow2(0.7 · log2(Y))
    pub pow_y: CustomFloat,
    /// X · Y^0.7
    pub j: CustomFloat,
}

impl Steps {
    /// Every step of J from the two hashes. Computed whatever Y is (Y < c
    /// makes the header invalid, but the product still exists).
    pub fn from_hashes(sha256t: &[u8; 32], verus: &[u8; 32]) -> Self {
        let y = CustomFloat::from_hash(sha256t);
        let x = CustomFloat::from_hash(verus);
        let log2_y = y.log2();
        let scaled_log = JANUS_FACTOR * log2_y;
        let pow_y = scaled_log.pow2();
        Steps {
            y,
            x,
            log2_y,
            scaled_log,
            pow_y,
            j: x * pow_y,
        }
    }

    /// Y < c: the header is invalid at any target (Janus7, Janus8; no clamp).
    pub fn below_c(&self) -> bool {
        self.y.less_than(JANUS_C)
    }
}

/// The pool's comparison value of J: `floor(J · 2^256) + 1` as a 32-byte
/// big-endian integer, so that `value <= T` holds exactly when
/// `J · 2^256 < T` for a 256-bit integer target T. All-ff when Y < c (None).
///
/// J = m · 2^(e - 32), so J · 2^256 = m · 2^(224 + e) (J < 1, so it fits).
pub fn comparison_value(j: Option<CustomFloat>) -> [u8; 32] {
    match j {
        None => [0xff; 32],
        Some(j) => increment_u256_be(shifted_u256_be(
            u64::from(j.mantissa()),
            224 + i64::from(j.exponent()),
        )),
    }
}

/// Everything Janushash computes for one header.
#[derive(Clone, Debug)]
pub struct Janus {
    /// SHA-256d(header): the block id, digest byte order
    pub block_hash: [u8; 32],
    /// SHA-256(blockHash)
    pub sha256t: [u8; 32],
    /// VerusHash v2.1 (version 2) or v2.2 (any other version)
    pub verus: [u8; 32],
    pub steps: Steps,
    pub below_c: bool,
}

impl Janus {
    /// Hashes an 80-byte header on the given VerusHash implementation.
    pub fn of_header(header: &[u8; 80], implementation: Implementation) -> Self {
        let block_hash = sha::sha256d(header);
        let sha256t = sha::sha256_32(&block_hash);
        let version = verus_version_for(header_version(header));
        let verus = verus_hash(header, version, implementation);
        let steps = Steps::from_hashes(&sha256t, &verus);
        Janus {
            block_hash,
            sha256t,
            verus,
            below_c: steps.below_c(),
            steps,
        }
    }

    /// The consensus check (Janus7/Janus8): Y >= c and J < τ.
    pub fn valid(&self, target: TargetV2) -> bool {
        !self.below_c && target.is_above(self.steps.j)
    }

    /// See [`comparison_value`].
    pub fn comparison_value(&self) -> [u8; 32] {
        comparison_value((!self.below_c).then_some(self.steps.j))
    }

    /// J as a double for logs, or 1.0 when Y < c (as the node's `janus_number()`).
    pub fn number(&self) -> f64 {
        if self.below_c {
            1.0
        } else {
            self.steps.j.to_f64()
        }
    }
}
