//! Janushash of any 80-byte header (binding.rs `janushash`, `verusHash`,
//! `checkTarget`, `customFloatSteps`; facts/warthog.md §1.1, §5): every
//! implementation agrees on every value; the block hash and Sha256t equal
//! the `sha2` crate's; the keyed VerusHash (a per-job key of bytes 0..64,
//! one scratch reused across headers, a key whose prefix does not match)
//! equals the one-shot hash; Haraka-256/512 agree across implementations;
//! the pool's comparison value agrees with the consensus TargetV2 check for
//! targets near J.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use lode_coin_warthog_native_fuzz::input::array;
use lode_coin_warthog_native_fuzz::janus::{header_version, verus_version_for, Janus};
use lode_coin_warthog_native_fuzz::sha::HeaderMidstate;
use lode_coin_warthog_native_fuzz::target::TargetV2;
use lode_verushash::{verus_hash, verus_hash_with_key, Implementation, VerusKey, VerusScratch};
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut header: [u8; 80] = array(&mut u);
    let pick = u.arbitrary::<u8>().unwrap_or(0);
    if pick % 4 != 3 {
        // mostly a real version (2: v2.1; 3, 4: v2.2); otherwise whatever the bytes say
        header[68..72].copy_from_slice(&(2 + u32::from(pick % 4)).to_be_bytes());
    }
    let imps = Implementation::available();
    let janus = Janus::of_header(&header, imps[0]);
    for &imp in &imps[1..] {
        let other = Janus::of_header(&header, imp);
        assert_eq!(
            (other.block_hash, other.sha256t, other.verus, other.steps, other.below_c),
            (janus.block_hash, janus.sha256t, janus.verus, janus.steps, janus.below_c),
            "{imp:?}"
        );
    }
    let once: [u8; 32] = Sha256::digest(header).into();
    let twice: [u8; 32] = Sha256::digest(once).into();
    let thrice: [u8; 32] = Sha256::digest(twice).into();
    assert_eq!((janus.block_hash, janus.sha256t), (twice, thrice));
    let mid = HeaderMidstate::new(&header);
    assert_eq!(mid.hashes(header[64..].try_into().unwrap()), (twice, thrice));

    // Keyed VerusHash: one key, one scratch, two headers of the job, then a stranger.
    let version = verus_version_for(header_version(&header));
    let mut other = header;
    let tail: [u8; 16] = array(&mut u);
    other[64..].copy_from_slice(&tail);
    let mut stranger = header;
    stranger[u.arbitrary::<u8>().unwrap_or(0) as usize % 64] ^= 1 | u.arbitrary::<u8>().unwrap_or(0);
    for &imp in &imps {
        let key = VerusKey::new(header[..64].try_into().unwrap(), imp);
        assert!(key.matches(&header) && key.matches(&other) && !key.matches(&stranger));
        let mut scratch = VerusScratch::new();
        for h in [&header, &other, &header, &stranger, &other] {
            assert_eq!(
                verus_hash_with_key(&key, h, version, &mut scratch),
                verus_hash(h, version, imps[0]),
                "{imp:?}"
            );
        }
    }
    let h32: [u8; 32] = header[..32].try_into().unwrap();
    let h64: [u8; 64] = header[..64].try_into().unwrap();
    for &imp in &imps[1..] {
        assert_eq!(imp.haraka256(&h32), imps[0].haraka256(&h32));
        assert_eq!(imp.haraka512(&h64), imps[0].haraka512(&h64));
    }

    // The pool's 256-bit value against the consensus check, for targets near J
    // (normalised: bits22 with its top bit set) and one arbitrary target field.
    let value = janus.comparison_value();
    let j = janus.steps.j;
    let zeros = (i64::from(-j.exponent()) + i64::from(pick % 5) - 2).clamp(0, 1023) as u32;
    let near = ((j.mantissa() >> 10) + u32::from(pick / 5 % 3)).clamp(1 << 21, 0x3f_ffff);
    let bits22 = (1 << 21) | (u.arbitrary::<u32>().unwrap_or(0) & 0x1f_ffff);
    for raw in [zeros << 22 | near, zeros << 22 | bits22] {
        let t = TargetV2(raw);
        let pool = value <= t.to_u256_be();
        if t.zeros10() <= 234 {
            assert_eq!(pool, janus.valid(t), "target {raw:08x}, J {j:?}");
        } else {
            // τ·2^256 is floored there: a pool hit still implies a consensus hit
            assert!(!pool || janus.valid(t), "target {raw:08x}, J {j:?}");
        }
    }
    let any = TargetV2(u.arbitrary().unwrap_or(0));
    if janus.below_c {
        assert!(!janus.valid(any));
    }
});
