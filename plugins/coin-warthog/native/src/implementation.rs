//! Names of the VerusHash code paths as JS sees them: "aes-ni" (AES-NI plus
//! PCLMULQDQ, picked at run time where the CPU has them) and "portable"
//! (scalar Rust, any CPU). Both give the same bytes.

use lode_verushash::{best_implementation, Implementation};

/// The name JS sees.
pub fn name(implementation: Implementation) -> &'static str {
    implementation.name()
}

/// Every path this CPU runs, fastest first.
pub fn available() -> Vec<Implementation> {
    Implementation::available()
}

/// Resolves a requested name: "auto" (or none) is the fastest this CPU
/// runs; "aes-ni" is refused on a CPU without AES-NI and PCLMULQDQ.
pub fn resolve(requested: Option<&str>) -> Result<Implementation, String> {
    match requested.unwrap_or("auto") {
        "auto" => Ok(best_implementation()),
        "portable" => Ok(Implementation::Portable),
        "aes-ni" if Implementation::AesNi.is_available() => Ok(Implementation::AesNi),
        "aes-ni" => Err(
            "implementation \"aes-ni\" needs a CPU with AES-NI and PCLMULQDQ; this one lacks them (use \"portable\" or \"auto\")"
                .to_owned(),
        ),
        other => Err(format!(
            "implementation {other:?} is unknown; expected \"auto\", \"portable\" or \"aes-ni\""
        )),
    }
}
