//! Progress of a long build (cache, dataset), reported as fractions k/100.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

/// Where fractions go: called with 0.01, 0.02, ... 0.99, each at most once,
/// in increasing order, from whichever worker thread crossed the step. The
/// caller reports 1.0 itself once the result exists.
pub type Sink<'a> = &'a (dyn Fn(f64) + Sync);

/// Counts work done and reports each new whole percent (at most 99 calls).
pub struct Progress<'a> {
    sink: Option<Sink<'a>>,
    total: u64,
    done: AtomicU64,
    /// the last percent reported (read without the lock to skip it cheaply)
    percent: AtomicU32,
    /// serialises reports so that they stay in increasing order
    lock: Mutex<()>,
}

impl<'a> Progress<'a> {
    /// Progress over `total` units of work, reported to `sink` if any.
    pub fn new(sink: Option<Sink<'a>>, total: u64) -> Self {
        Progress {
            sink,
            total: total.max(1),
            done: AtomicU64::new(0),
            percent: AtomicU32::new(0),
            lock: Mutex::new(()),
        }
    }

    /// No reports.
    pub fn none() -> Progress<'static> {
        Progress::new(None, 1)
    }

    /// Records `units` more units of work done.
    pub fn advance(&self, units: u64) {
        let Some(sink) = self.sink else { return };
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        let percent = ((done.min(self.total) as u128 * 100) / self.total as u128).min(99) as u32;
        if percent <= self.percent.load(Ordering::Relaxed) {
            return;
        }
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        if percent > self.percent.load(Ordering::Relaxed) {
            self.percent.store(percent, Ordering::Relaxed);
            sink(percent as f64 / 100.0);
        }
    }
}
