//! TargetV2 (`facts/warthog.md` §3.1) and the exact comparisons of §1.1.

use crate::custom_float::CustomFloat;

/// A header's 4-byte target field (bytes 32..36, big-endian): 10-bit
/// `zeros10`, 22-bit `bits22`; τ = bits22 · 2^-(zeros10 + 22).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetV2(pub u32);

impl TargetV2 {
    /// The target field of an 80-byte header (bytes 32..36, big-endian).
    pub fn of_header(header: &[u8; 80]) -> Self {
        TargetV2(u32::from_be_bytes([
            header[32], header[33], header[34], header[35],
        ]))
    }

    /// The exponent part: τ's leading zero bits.
    pub fn zeros10(self) -> u32 {
        self.0 >> 22
    }

    /// The mantissa part (normalised to [2^21, 2^22) by the node's encoder).
    pub fn bits22(self) -> u32 {
        self.0 & 0x3f_ffff
    }

    /// The consensus `hashproduct < target` (NODE `view.cpp`, §1.1): with
    /// zT = zeros10 and zH = -exponent (as uint32), zT > zH is not below,
    /// zT < zH is below, and on a tie the mantissa must be < bits22 << 10.
    pub fn is_above(self, product: CustomFloat) -> bool {
        debug_assert!(product.positive());
        let zeros_target = self.zeros10();
        let zeros_product = product.exponent().wrapping_neg() as u32;
        if zeros_target > zeros_product {
            return false;
        }
        if zeros_target < zeros_product {
            return true;
        }
        u64::from(product.mantissa()) < u64::from(self.bits22()) << 10
    }

    /// τ · 2^256 = bits22 · 2^(234 - zeros10), floored, as a 32-byte
    /// big-endian integer (saturating at 2^256 - 1, which no valid TargetV2
    /// reaches): the 256-bit target that `comparison_value` is compared with.
    pub fn to_u256_be(self) -> [u8; 32] {
        shifted_u256_be(u64::from(self.bits22()), 234 - i64::from(self.zeros10()))
    }
}

/// `floor(m · 2^shift)` as a 32-byte big-endian integer, all-ff when it
/// does not fit in 256 bits.
pub fn shifted_u256_be(m: u64, shift: i64) -> [u8; 32] {
    let mut out = [0u8; 32];
    if m == 0 {
        return out;
    }
    if shift < 0 {
        let value = if -shift >= 64 { 0 } else { m >> -shift };
        out[24..].copy_from_slice(&value.to_be_bytes());
        return out;
    }
    let bits = 64 - i64::from(m.leading_zeros());
    if bits + shift > 256 {
        return [0xff; 32];
    }
    // Place m's 64 bits at bit offset `shift` from the least significant end.
    let shift = shift as usize;
    let (byte_shift, bit_shift) = (shift / 8, shift % 8);
    let wide = u128::from(m) << bit_shift;
    for (i, byte) in wide.to_le_bytes().iter().enumerate() {
        let pos = byte_shift + i; // little-endian byte index
        if *byte != 0 {
            out[31 - pos] = *byte;
        }
    }
    out
}

/// `value + 1` for a 32-byte big-endian integer; all-ff stays all-ff.
pub fn increment_u256_be(mut value: [u8; 32]) -> [u8; 32] {
    if value == [0xff; 32] {
        return value;
    }
    for byte in value.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    value
}
