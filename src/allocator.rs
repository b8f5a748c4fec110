//! The allocator of the `themis` binary and of the scale benchmark: mimalloc, tuned. Indexing
//! allocates from several threads at once; with glibc's malloc, allocation was ~10% of indexing
//! CPU (perf, 100 MB benchmark corpus).
//!
//! Not part of the library (a library must not choose its users' allocator): `main.rs` and
//! `benches/scale.rs` include this file with `#[path]`, so the benchmark measures the allocator
//! users run.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc commits whole arenas up front by default: indexing the 100 MB benchmark corpus
/// peaked at 338 MB resident against 227 MB with glibc's malloc. Committing on demand gives
/// 235 MB and keeps the speed: ~10% less CPU and wall time than glibc (13.8–14.5 s against
/// 15.0–16.9 s, `/usr/bin/time`, alternating runs). Returning freed pages at once as well
/// (`purge_delay` 0) saved another 25 MB but cost all of the speed.
///
/// It runs as an ELF constructor, before the Rust runtime's first allocation reserves mimalloc's
/// first arena: set from `main`, the option came too late for that arena.
#[used]
#[link_section = ".init_array"]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

/// The position of `mi_option_arena_eager_commit` in mimalloc v3's `mi_option_e`
/// (include/mimalloc.h), which the Rust binding does not name.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

extern "C" fn tune_allocator() {
    // SAFETY: setting an option stores an integer in mimalloc's option table; nothing else runs
    // yet, and mimalloc reads the option when it reserves an arena.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_arenas_commit_on_demand() {
        use super::ARENA_EAGER_COMMIT;
        // The constructor ran before this test binary's first allocation.
        // SAFETY: reading an option has no preconditions.
        let eager = unsafe { libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT) };
        assert_eq!(eager, 0);
    }
}
