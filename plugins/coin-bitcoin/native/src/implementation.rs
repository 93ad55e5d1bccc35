//! Which SHA-256 code path runs: SHA-NI where the CPU has it, portable scalar
//! code everywhere else. Both produce the same bytes.

use crate::sha256::compress_portable;

/// A SHA-256 code path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implementation {
    /// x86-64 SHA extensions (`sha256rnds2`, `sha256msg1`, `sha256msg2`).
    ShaNi,
    /// Scalar Rust, any CPU.
    Portable,
}

impl Implementation {
    /// The name JS sees: "sha-ni" or "portable".
    pub fn name(self) -> &'static str {
        match self {
            Implementation::ShaNi => "sha-ni",
            Implementation::Portable => "portable",
        }
    }

    /// The fastest path this CPU runs.
    pub fn best() -> Self {
        if sha_ni_available() {
            Implementation::ShaNi
        } else {
            Implementation::Portable
        }
    }

    /// Every path this CPU runs, fastest first.
    pub fn available() -> Vec<Self> {
        let mut all = Vec::with_capacity(2);
        if sha_ni_available() {
            all.push(Implementation::ShaNi);
        }
        all.push(Implementation::Portable);
        all
    }

    /// Resolves a requested name: "auto" (or none) picks `best()`; "sha-ni" is
    /// refused on a CPU without the SHA extensions.
    pub fn resolve(requested: Option<&str>) -> Result<Self, String> {
        match requested.unwrap_or("auto") {
            "auto" => Ok(Self::best()),
            "portable" => Ok(Implementation::Portable),
            "sha-ni" if sha_ni_available() => Ok(Implementation::ShaNi),
            "sha-ni" => Err(
                "implementation \"sha-ni\" needs a CPU with the SHA extensions plus SSSE3 and SSE4.1; this one lacks them (use \"portable\" or \"auto\")"
                    .to_owned(),
            ),
            other => Err(format!(
                "implementation {other:?} is unknown; expected \"auto\", \"portable\" or \"sha-ni\""
            )),
        }
    }

    /// One SHA-256 block compression on this path.
    #[inline]
    pub fn compress(self, state: &mut [u32; 8], block: &[u8; 64]) {
        match self {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `ShaNi` is only ever constructed after `sha_ni_available()`.
            Implementation::ShaNi => unsafe { crate::shani::compress(state, block) },
            #[cfg(not(target_arch = "x86_64"))]
            Implementation::ShaNi => unreachable!("sha-ni is never selected off x86-64"),
            Implementation::Portable => compress_portable(state, block),
        }
    }
}

/// Whether this CPU has the SHA extensions and the SSE levels the SHA-NI code uses.
pub fn sha_ni_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse2")
            && std::arch::is_x86_feature_detected!("ssse3")
            && std::arch::is_x86_feature_detected!("sse4.1")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
