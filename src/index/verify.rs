//! Cheap verification when an index is opened, so that a damaged file is reported by the
//! command that meets it rather than answered from in silence.
//!
//! Every tantivy file ends with a footer holding the CRC32 of its body; tantivy checks the
//! footer's framing when it opens a file, but not the checksum. Computing every checksum reads
//! the whole index, which `themis check` does. On open, themis checks the checksums of the
//! segment files it has not verified yet, smallest first, up to [`OPEN_BUDGET_BYTES`] per open;
//! files verified before are remembered by size and modification time in [`VERIFIED_FILE`]
//! (segment files are written once and never changed, so a changed stamp means a changed file).
//! On a small index every file is checked on every first open after a change; on a large one,
//! successive commands work through the files.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::Index;

use crate::corpus::FileStamp;

/// Bytes of not-yet-verified files whose checksums one open computes at most (about 5 ms).
pub const OPEN_BUDGET_BYTES: u64 = 16 << 20;

/// The record of verified files in the index folder.
pub const VERIFIED_FILE: &str = "themis-verified.json";

/// Verifies the checksums of unverified segment files within the budget; `Err` names the first
/// damaged file. With `record`, the files verified are remembered in [`VERIFIED_FILE`].
pub fn verify_on_open(index: &Index, dir: &Path, record: bool) -> Result<(), String> {
    let metas = index
        .searchable_segment_metas()
        .map_err(|e| format!("cannot list segments: {e}"))?;
    let segments: HashSet<String> = metas.iter().map(|m| m.id().uuid_string()).collect();
    let mut files: Vec<(FileStamp, PathBuf)> = index
        .directory()
        .list_managed_files()
        .into_iter()
        .filter(|path| {
            let name = path.to_string_lossy();
            segments.contains(name.split('.').next().unwrap_or_default())
        })
        .filter_map(|path| Some((FileStamp::of(&dir.join(&path))?, path)))
        .collect();
    files.sort_by_key(|(stamp, path)| (stamp.size, path.clone()));

    let recorded = read_verified(dir);
    let mut verified: BTreeMap<String, FileStamp> = BTreeMap::new();
    let mut spent = 0u64;
    for (stamp, path) in files {
        let name = path.to_string_lossy().into_owned();
        if recorded.get(&name) == Some(&stamp) {
            verified.insert(name, stamp);
            continue;
        }
        if spent + stamp.size > OPEN_BUDGET_BYTES {
            continue;
        }
        spent += stamp.size;
        match index.directory().validate_checksum(&path) {
            Ok(true) => {
                verified.insert(name, stamp);
            }
            Ok(false) => return Err(format!("checksum mismatch in {name}")),
            Err(e) => return Err(format!("cannot read {name}: {e}")),
        }
    }
    if record && verified != recorded {
        // Best effort: a read-only index folder is verified again next time, nothing worse.
        let _ = write_verified(dir, &verified);
    }
    Ok(())
}

fn read_verified(dir: &Path) -> BTreeMap<String, FileStamp> {
    std::fs::read_to_string(dir.join(VERIFIED_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_verified(dir: &Path, verified: &BTreeMap<String, FileStamp>) -> std::io::Result<()> {
    let json = serde_json::to_vec(verified)?;
    // A name of its own per process: two commands opening the index at once must not write
    // into one temporary file.
    let temporary = dir.join(format!("{VERIFIED_FILE}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, json)?;
    std::fs::rename(&temporary, dir.join(VERIFIED_FILE))
}
