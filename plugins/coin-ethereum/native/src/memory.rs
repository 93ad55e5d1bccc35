//! Item storage for the light cache and the dataset: 64-byte items, each
//! 16 little-endian u32 words on its own cache line, in one allocation that
//! asks the kernel for transparent huge pages (one TLB entry per 2 MiB: the
//! random reads of hashimoto and of dataset items are mostly TLB misses on
//! 4 KiB pages).

use std::alloc::{alloc, dealloc, Layout};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// One 512-bit cache or dataset item, cache-line aligned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct Node(pub [u32; 16]);

impl Node {
    /// The item's 64 bytes (words little-endian).
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        for (dst, w) in out.chunks_exact_mut(4).zip(self.0.iter()) {
            dst.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

const HUGE_PAGE: usize = 2 << 20;

/// A zero-filled, fixed-length array of nodes (the cache or the dataset).
pub struct Nodes {
    ptr: NonNull<Node>,
    len: usize,
    layout: Layout,
}

// SAFETY: Nodes owns its allocation exclusively, like a Box<[Node]>.
unsafe impl Send for Nodes {}
// SAFETY: shared access is read-only (&[Node]).
unsafe impl Sync for Nodes {}

impl Nodes {
    /// Allocates `len` zeroed nodes, or says why it could not.
    pub fn zeroed(len: usize) -> Result<Self, String> {
        let bytes = len
            .checked_mul(std::mem::size_of::<Node>())
            .filter(|&b| b > 0 && b <= isize::MAX as usize / 2)
            .ok_or_else(|| {
                format!("{len} items of 64 bytes is not a size this process can allocate")
            })?;
        let align = if bytes >= HUGE_PAGE {
            HUGE_PAGE
        } else {
            std::mem::align_of::<Node>()
        };
        let layout = Layout::from_size_align(bytes, align).map_err(|e| e.to_string())?;
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc(layout) };
        let ptr = NonNull::new(raw.cast::<Node>())
            .ok_or_else(|| format!("out of memory: could not allocate {bytes} bytes"))?;
        #[cfg(target_os = "linux")]
        if align == HUGE_PAGE {
            // SAFETY: the range is our own fresh allocation; advice only.
            unsafe {
                libc::madvise(raw.cast(), bytes, libc::MADV_HUGEPAGE);
            }
        }
        // SAFETY: `bytes` bytes at `raw` are ours; zero them before any read
        // (this is also what faults the pages in, after the advice above).
        unsafe { std::ptr::write_bytes(raw, 0, bytes) };
        Ok(Nodes { ptr, len, layout })
    }
}

impl Deref for Nodes {
    type Target = [Node];
    fn deref(&self) -> &[Node] {
        // SAFETY: `len` initialised nodes live at `ptr` while self lives.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl DerefMut for Nodes {
    fn deref_mut(&mut self) -> &mut [Node] {
        // SAFETY: as in deref, and &mut self is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        // SAFETY: allocated in `zeroed` with this very layout.
        unsafe { dealloc(self.ptr.as_ptr().cast(), self.layout) };
    }
}
