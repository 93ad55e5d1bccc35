//! Which code path runs: AES-NI + PCLMULQDQ where the CPU has them, portable
//! Rust everywhere else. Both produce the same bytes.

use crate::engine::{self, KeyBlocks, MovedEntries};
use crate::haraka;
use crate::VerusVersion;

/// A VerusHash / Haraka code path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Implementation {
    /// Portable Rust (table-driven AES round, software carry-less multiply),
    /// any CPU.
    Portable,
    /// x86-64 AES-NI, PCLMULQDQ, SSSE3 and SSE4.1. Asking for it on a CPU
    /// without them runs `Portable` instead (same bytes, slower).
    AesNi,
}

/// The fastest path this CPU runs: `AesNi` on x86-64 with AES-NI,
/// PCLMULQDQ, SSSE3 and SSE4.1, else `Portable`. Detection is cached by std.
pub fn best_implementation() -> Implementation {
    if aesni_available() {
        Implementation::AesNi
    } else {
        Implementation::Portable
    }
}

fn aesni_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        crate::aesni::available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl Implementation {
    /// The name bindings show: "portable" or "aes-ni".
    pub fn name(self) -> &'static str {
        match self {
            Implementation::Portable => "portable",
            Implementation::AesNi => "aes-ni",
        }
    }

    /// Whether this CPU runs this path (`Portable` always).
    pub fn is_available(self) -> bool {
        match self {
            Implementation::Portable => true,
            Implementation::AesNi => aesni_available(),
        }
    }

    /// Every path this CPU runs, fastest first.
    pub fn available() -> Vec<Implementation> {
        [Implementation::AesNi, Implementation::Portable]
            .into_iter()
            .filter(|imp| imp.is_available())
            .collect()
    }

    /// Resolves a requested name: "auto" (or none) picks
    /// [`best_implementation`]; "aes-ni" is refused on a CPU without it.
    ///
    /// # Errors
    /// A message naming the value and the rule, for an unknown name or an
    /// unavailable path.
    pub fn resolve(requested: Option<&str>) -> Result<Implementation, String> {
        match requested.unwrap_or("auto") {
            "auto" => Ok(best_implementation()),
            "portable" => Ok(Implementation::Portable),
            "aes-ni" if aesni_available() => Ok(Implementation::AesNi),
            "aes-ni" => Err(
                "implementation \"aes-ni\" needs an x86-64 CPU with AES-NI, PCLMULQDQ, SSSE3 and SSE4.1; this one lacks them (use \"portable\" or \"auto\")"
                    .to_owned(),
            ),
            other => Err(format!(
                "implementation {other:?} is unknown; expected \"auto\", \"portable\" or \"aes-ni\""
            )),
        }
    }

    /// The path that actually runs: `self`, or `Portable` when `self` is
    /// `AesNi` and the CPU lacks it. Every dispatch below goes through this,
    /// so `AesNi` code never runs where it cannot.
    pub(crate) fn effective(self) -> Implementation {
        if self == Implementation::AesNi && aesni_available() {
            Implementation::AesNi
        } else {
            Implementation::Portable
        }
    }

    /// Haraka-256 (standard constants) on this path.
    pub fn haraka256(self, input: &[u8; 32]) -> [u8; 32] {
        match self.effective() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `effective()` returned AesNi, so the CPU has it.
            Implementation::AesNi => unsafe { crate::aesni::haraka256(input) },
            _ => haraka::haraka256::<u128>(input),
        }
    }

    /// Haraka-512 (standard constants) on this path.
    pub fn haraka512(self, input: &[u8; 64]) -> [u8; 32] {
        self.haraka512_keyed(input, &haraka::HARAKA_ROUND_CONSTANTS)
    }

    /// Haraka-512 with the 40 round constants `rc` on this path.
    pub fn haraka512_keyed(self, input: &[u8; 64], rc: &[[u8; 16]; 40]) -> [u8; 32] {
        match self.effective() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `effective()` returned AesNi, so the CPU has it.
            Implementation::AesNi => unsafe { crate::aesni::haraka512_with(input, rc) },
            _ => haraka::haraka512_with::<u128>(input, rc),
        }
    }

    pub(crate) fn absorb(self, prefix: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
        match self.effective() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `effective()` returned AesNi, so the CPU has it.
            Implementation::AesNi => unsafe { crate::aesni::absorb(prefix) },
            _ => engine::absorb::<u128>(prefix),
        }
    }

    pub(crate) fn expand_key(self, seed: &[u8; 32], key: &mut KeyBlocks) {
        match self.effective() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `effective()` returned AesNi, so the CPU has it.
            Implementation::AesNi => unsafe { crate::aesni::expand_key(seed, key) },
            _ => engine::expand_key::<u128>(seed, key),
        }
    }

    pub(crate) fn finish(
        self,
        key: &mut KeyBlocks,
        cur_buf: &[u8; 64],
        version: VerusVersion,
        moved: &mut MovedEntries,
    ) -> ([u8; 32], u64) {
        match self.effective() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `effective()` returned AesNi, so the CPU has it.
            Implementation::AesNi => unsafe { crate::aesni::finish(key, cur_buf, version, moved) },
            _ => engine::finish::<u128>(key, cur_buf, version, moved),
        }
    }

    pub(crate) fn verus_hash(self, header: &[u8; 80], version: VerusVersion) -> [u8; 32] {
        match self.effective() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `effective()` returned AesNi, so the CPU has it.
            Implementation::AesNi => unsafe { crate::aesni::verus_hash(header, version) },
            _ => engine::verus_hash::<u128>(header, version),
        }
    }
}
