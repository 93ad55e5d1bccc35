//! J = X · Y^0.7 in CustomFloat from any two 32-byte hashes (janus.rs
//! `Steps::from_hashes`: the part of Janushash after the hashes, steered
//! directly instead of through SHA-256 and VerusHash), and the 256-bit
//! helpers (facts/warthog.md §1.1, §3.1): no debug assertion of the
//! reference's invariants fires; X, Y and J lie in (0, 1); the pool's
//! comparison value floor(J·2^256) + 1 agrees with the consensus TargetV2
//! check for every normalised target near J with zeros10 <= 234 (beyond,
//! τ·2^256 is floored and a pool hit still implies a consensus hit); `shifted_u256_be` and
//! `increment_u256_be` against bit-by-bit references.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_warthog_native_fuzz::input::array;
use lode_coin_warthog_native_fuzz::janus::{comparison_value, Steps};
use lode_coin_warthog_native_fuzz::reference_shifted;
use lode_coin_warthog_native_fuzz::target::{increment_u256_be, shifted_u256_be, TargetV2};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let sha256t: [u8; 32] = array(&mut u);
    let verus: [u8; 32] = array(&mut u);
    let steps = Steps::from_hashes(&sha256t, &verus);
    for (name, v) in [("Y", steps.y), ("X", steps.x), ("J", steps.j)] {
        assert!(v.positive() && !v.is_zero(), "{name} = {v:?}");
        assert!(v.exponent() <= 0, "{name} = {v:?} is >= 1 ({sha256t:02x?}, {verus:02x?})");
        assert!(v.mantissa() >= 1 << 31, "{name} = {v:?} not normalised");
    }
    let below_c = steps.below_c();
    let j = (!below_c).then_some(steps.j);
    let value = comparison_value(j);
    let pick = u.arbitrary::<u8>().unwrap_or(0);
    let zeros = (i64::from(-steps.j.exponent()) + i64::from(pick % 5) - 2).clamp(0, 1023) as u32;
    let near = ((steps.j.mantissa() >> 10) + u32::from(pick / 5 % 3)).clamp(1 << 21, 0x3f_ffff);
    let bits22 = (1 << 21) | (u.arbitrary::<u32>().unwrap_or(0) & 0x1f_ffff);
    for raw in [zeros << 22 | near, zeros << 22 | bits22] {
        let t = TargetV2(raw);
        let consensus = !below_c && t.is_above(steps.j);
        let pool = value <= t.to_u256_be();
        if t.zeros10() <= 234 {
            // τ·2^256 = bits22·2^(234 - zeros10) is an integer: exact agreement
            assert_eq!(pool, consensus, "target {raw:08x}, J {:?}", steps.j);
        } else {
            // τ·2^256 < 2^22 floored (difficulty > 2^234, never seen): one way only
            assert!(!pool || consensus, "target {raw:08x}, J {:?}", steps.j);
        }
    }
    if let Some(j) = j {
        let exact = reference_shifted(u64::from(j.mantissa()), 224 + i64::from(j.exponent()));
        assert_eq!(value, increment_u256_be(exact));
    } else {
        assert_eq!(value, [0xff; 32]);
    }

    let m: u64 = u.arbitrary().unwrap_or(0);
    let shift = i64::from(u.arbitrary::<i16>().unwrap_or(0));
    assert_eq!(shifted_u256_be(m, shift), reference_shifted(m, shift), "m {m:#x} shift {shift}");
    let n: [u8; 32] = array(&mut u);
    let incremented = increment_u256_be(n);
    if n == [0xff; 32] {
        assert_eq!(incremented, n);
    } else {
        let mut back = incremented;
        for b in back.iter_mut().rev() {
            let (v, borrow) = b.overflowing_sub(1);
            *b = v;
            if !borrow {
                break;
            }
        }
        assert_eq!(back, n);
    }
});
