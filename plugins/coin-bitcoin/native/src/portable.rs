//! The portable nonce kernel: scalar SHA-256d of an 80-byte header with
//! everything that does not depend on the nonce computed once per header.

use crate::sha256::{
    big_sigma0, big_sigma1, ch, expand, maj, rounds, slot, small_sigma0, small_sigma1, IV, K,
};

/// What a scan precomputes once per header for this path.
#[derive(Clone, Copy, Debug)]
pub struct Kernel {
    /// SHA-256 state after header bytes 0..64
    mid: [u32; 8],
    /// second-block working state after rounds 0..2 (they read only W0..W2)
    s3: [u32; 8],
    /// round 3's T1 without W3, and its T2 (neither reads the nonce)
    t1_base: u32,
    t2: u32,
    /// W0..W2 of the second block (header bytes 64..76, big-endian words)
    w: [u32; 3],
    /// the nonce-free parts of W16..W19
    w16: u32,
    w17: u32,
    w18_base: u32,
    w19_base: u32,
}

const PAD: u32 = 0x8000_0000;
/// bit length of an 80-byte header, W15 of its second block
const LEN_HEADER: u32 = 640;
/// bit length of a 32-byte digest, W15 of the second hash's block
const LEN_DIGEST: u32 = 256;

impl Kernel {
    /// Precomputes a header from its midstate and W0..W2 of its second block.
    pub fn new(mid: &[u32; 8], w: [u32; 3]) -> Self {
        let mut s = *mid;
        rounds!(s, |t: usize| K[t].wrapping_add(w[t]); 0 1 2);
        let (a, b, c) = (s[slot(0, 3)], s[slot(1, 3)], s[slot(2, 3)]);
        let (e, f, g, h) = (s[slot(4, 3)], s[slot(5, 3)], s[slot(6, 3)], s[slot(7, 3)]);
        let t1_base = h
            .wrapping_add(big_sigma1(e))
            .wrapping_add(ch(e, f, g))
            .wrapping_add(K[3]);
        let t2 = big_sigma0(a).wrapping_add(maj(a, b, c));
        // W16 = σ1(W14) + W9 + σ0(W1) + W0, with W9 = W14 = 0
        let w16 = small_sigma0(w[1]).wrapping_add(w[0]);
        // W17 = σ1(W15) + W10 + σ0(W2) + W1
        let w17 = small_sigma1(LEN_HEADER)
            .wrapping_add(small_sigma0(w[2]))
            .wrapping_add(w[1]);
        // W18 = σ1(W16) + W11 + σ0(W3) + W2: all but σ0(W3)
        let w18_base = small_sigma1(w16).wrapping_add(w[2]);
        // W19 = σ1(W17) + W12 + σ0(W4) + W3: all but W3
        let w19_base = small_sigma1(w17).wrapping_add(small_sigma0(PAD));
        Kernel {
            mid: *mid,
            s3: s,
            t1_base,
            t2,
            w,
            w16,
            w17,
            w18_base,
            w19_base,
        }
    }

    /// The first SHA-256 of the header with `nonce` (as the uint32 stored
    /// little-endian at bytes 76..80): its eight state words.
    #[inline(always)]
    fn first(&self, nonce: u32) -> [u32; 8] {
        let w3 = nonce.swap_bytes();
        let mut w = [0u32; 64];
        w[0] = self.w[0];
        w[1] = self.w[1];
        w[2] = self.w[2];
        w[3] = w3;
        w[4] = PAD;
        w[15] = LEN_HEADER;
        w[16] = self.w16;
        w[17] = self.w17;
        w[18] = self.w18_base.wrapping_add(small_sigma0(w3));
        w[19] = self.w19_base.wrapping_add(w3);
        // W5..W14 are zero, so W20..W31 lose most terms.
        w[20] = small_sigma1(w[18]).wrapping_add(PAD);
        w[21] = small_sigma1(w[19]);
        w[22] = small_sigma1(w[20]).wrapping_add(LEN_HEADER);
        w[23] = small_sigma1(w[21]).wrapping_add(w[16]);
        w[24] = small_sigma1(w[22]).wrapping_add(w[17]);
        w[25] = small_sigma1(w[23]).wrapping_add(w[18]);
        w[26] = small_sigma1(w[24]).wrapping_add(w[19]);
        w[27] = small_sigma1(w[25]).wrapping_add(w[20]);
        w[28] = small_sigma1(w[26]).wrapping_add(w[21]);
        w[29] = small_sigma1(w[27]).wrapping_add(w[22]);
        w[30] = small_sigma1(w[28])
            .wrapping_add(w[23])
            .wrapping_add(small_sigma0(LEN_HEADER));
        w[31] = small_sigma1(w[29])
            .wrapping_add(w[24])
            .wrapping_add(small_sigma0(w[16]))
            .wrapping_add(LEN_HEADER);
        expand(&mut w, 32);

        let mut s = self.s3;
        let t1 = self.t1_base.wrapping_add(w3);
        s[slot(3, 3)] = s[slot(3, 3)].wrapping_add(t1);
        s[slot(7, 3)] = t1.wrapping_add(self.t2);
        let kw = |t: usize| K[t].wrapping_add(w[t]);
        rounds!(s, kw; 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33);
        rounds!(s, kw; 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63);
        let mut out = self.mid;
        for (x, y) in out.iter_mut().zip(s) {
            *x = x.wrapping_add(y);
        }
        out
    }

    /// H7 of SHA-256d(header with `nonce`): the final state's last word, so
    /// the hash's most significant little-endian word is `h7.swap_bytes()`.
    /// Rounds 61..63 of the second hash are skipped: H7 = IV7 + e after round 60.
    #[inline(always)]
    pub fn h7(&self, nonce: u32) -> u32 {
        let d = self.first(nonce);
        let mut w = [0u32; 64];
        w[..8].copy_from_slice(&d);
        w[8] = PAD;
        w[15] = LEN_DIGEST;
        w[16] = small_sigma0(d[1]).wrapping_add(d[0]);
        w[17] = small_sigma1(LEN_DIGEST)
            .wrapping_add(small_sigma0(d[2]))
            .wrapping_add(d[1]);
        w[18] = small_sigma1(w[16])
            .wrapping_add(small_sigma0(d[3]))
            .wrapping_add(d[2]);
        w[19] = small_sigma1(w[17])
            .wrapping_add(small_sigma0(d[4]))
            .wrapping_add(d[3]);
        w[20] = small_sigma1(w[18])
            .wrapping_add(small_sigma0(d[5]))
            .wrapping_add(d[4]);
        w[21] = small_sigma1(w[19])
            .wrapping_add(small_sigma0(d[6]))
            .wrapping_add(d[5]);
        w[22] = small_sigma1(w[20])
            .wrapping_add(LEN_DIGEST)
            .wrapping_add(small_sigma0(d[7]))
            .wrapping_add(d[6]);
        w[23] = small_sigma1(w[21])
            .wrapping_add(w[16])
            .wrapping_add(small_sigma0(PAD))
            .wrapping_add(d[7]);
        w[24] = small_sigma1(w[22]).wrapping_add(w[17]).wrapping_add(PAD);
        w[25] = small_sigma1(w[23]).wrapping_add(w[18]);
        w[26] = small_sigma1(w[24]).wrapping_add(w[19]);
        w[27] = small_sigma1(w[25]).wrapping_add(w[20]);
        w[28] = small_sigma1(w[26]).wrapping_add(w[21]);
        w[29] = small_sigma1(w[27]).wrapping_add(w[22]);
        w[30] = small_sigma1(w[28])
            .wrapping_add(w[23])
            .wrapping_add(small_sigma0(LEN_DIGEST));
        w[31] = small_sigma1(w[29])
            .wrapping_add(w[24])
            .wrapping_add(small_sigma0(w[16]))
            .wrapping_add(LEN_DIGEST);
        for t in 32..=60 {
            w[t] = small_sigma1(w[t - 2])
                .wrapping_add(w[t - 7])
                .wrapping_add(small_sigma0(w[t - 15]))
                .wrapping_add(w[t - 16]);
        }

        let mut s = IV;
        let kw = |t: usize| K[t].wrapping_add(w[t]);
        rounds!(s, kw; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30);
        rounds!(s, kw; 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60);
        IV[7].wrapping_add(s[slot(3, 60)])
    }

    /// Walks `count` nonces from `start` and calls `candidate` for each nonce
    /// whose H7, byte-swapped, is <= `t7`.
    pub fn scan(&self, start: u32, count: u64, t7: u32, candidate: &mut dyn FnMut(u32)) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("bmi2") {
            // SAFETY: the CPU has BMI2.
            return unsafe { self.scan_bmi2(start, count, t7, candidate) };
        }
        self.scan_generic(start, count, t7, candidate)
    }

    /// The same code compiled with BMI2, whose three-operand `rorx` saves the
    /// register copy in front of nearly every rotate of the rounds.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "bmi2")]
    unsafe fn scan_bmi2(&self, start: u32, count: u64, t7: u32, candidate: &mut dyn FnMut(u32)) {
        self.scan_generic(start, count, t7, candidate)
    }

    #[inline(always)]
    fn scan_generic(&self, start: u32, count: u64, t7: u32, candidate: &mut dyn FnMut(u32)) {
        let mut nonce = start;
        for _ in 0..count {
            if self.h7(nonce).swap_bytes() <= t7 {
                candidate(nonce);
            }
            nonce = nonce.wrapping_add(1);
        }
    }
}
