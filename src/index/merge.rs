//! Which segments tantivy merges while indexing: its log-structured policy, with merges capped in
//! size.
//!
//! A merge reads every byte of the segments it merges through memory maps, and those pages count
//! towards the process's resident memory until the merge ends. With tantivy's default policy
//! the last merges of a large corpus combine segments of millions of documents: indexing 1 GB of
//! reports peaked at 1.4 GB resident, of which 1 GB was the mapped files of one merge (measured
//! by sampling `RssFile` while `themis index` ran). Capping the bytes per merge bounds that by a
//! constant instead of by the corpus, at the price of a few more segments to search. The cap is
//! in bytes, not documents, because what a document weighs changes with the schema.

use std::path::PathBuf;
use std::sync::Arc;

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// At most this many bytes of segment files go into one merge: two segments as the writer
/// flushes them with the default 200 MB budget (about 127 MB each), not the four or eight that
/// tantivy's policy would merge at once.
pub const MAX_MERGED_BYTES: u64 = 300_000_000;

/// How big a segment is, in bytes.
type SegmentSize = dyn Fn(&SegmentMeta) -> u64 + Send + Sync;

/// tantivy's [`LogMergePolicy`], with each of its merges split into merges of at most
/// `max_bytes` of segment files.
#[derive(Clone)]
pub struct BoundedMergePolicy {
    log: LogMergePolicy,
    max_bytes: u64,
    size_of: Arc<SegmentSize>,
}

impl std::fmt::Debug for BoundedMergePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundedMergePolicy")
            .field("log", &self.log)
            .field("max_bytes", &self.max_bytes)
            .finish_non_exhaustive()
    }
}

impl BoundedMergePolicy {
    /// A policy that never merges more than `max_bytes`, as `size_of` measures segments.
    pub fn new(
        max_bytes: u64,
        size_of: impl Fn(&SegmentMeta) -> u64 + Send + Sync + 'static,
    ) -> BoundedMergePolicy {
        BoundedMergePolicy {
            log: LogMergePolicy::default(),
            max_bytes,
            size_of: Arc::new(size_of),
        }
    }

    /// The policy for the index in `dir`, with segments measured by their files' sizes.
    pub fn for_directory(dir: PathBuf, max_bytes: u64) -> BoundedMergePolicy {
        BoundedMergePolicy::new(max_bytes, move |meta: &SegmentMeta| {
            // A segment's files are named by its id, one per component.
            let prefix = meta.id().uuid_string();
            std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
                .filter_map(|entry| entry.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let size_of = |id| {
            segments
                .iter()
                .find(|s| s.id() == id)
                .map_or(0, |s| (self.size_of)(s))
        };
        let mut bounded = Vec::new();
        for MergeCandidate(ids) in self.log.compute_merge_candidates(segments) {
            let mut group = Vec::new();
            let mut bytes = 0u64;
            for id in ids {
                let size = size_of(id);
                if !group.is_empty() && bytes.saturating_add(size) > self.max_bytes {
                    if group.len() > 1 {
                        bounded.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    bytes = 0;
                }
                group.push(id);
                bytes = bytes.saturating_add(size);
            }
            if group.len() > 1 {
                bounded.push(MergeCandidate(group));
            }
        }
        bounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
    use tantivy::IndexSettings;

    fn segments(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::builder()
            .schema(tantivy::schema::Schema::builder().build())
            .settings(IndexSettings::default())
            .create_in_ram()
            .expect("an index in RAM");
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    /// A policy measuring segments in documents, one byte each.
    fn by_docs(max: u64) -> BoundedMergePolicy {
        BoundedMergePolicy::new(max, |meta: &SegmentMeta| u64::from(meta.num_docs()))
    }

    fn merged_sizes(policy: &BoundedMergePolicy, metas: &[SegmentMeta]) -> Vec<Vec<u32>> {
        policy
            .compute_merge_candidates(metas)
            .into_iter()
            .map(|MergeCandidate(ids)| {
                ids.iter()
                    .map(|id| metas.iter().find(|m| m.id() == *id).unwrap().num_docs())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn test_small_segments_merge_as_tantivy_would() {
        let metas = segments(&[1_000; 8]);
        let merges = merged_sizes(&by_docs(1_000_000), &metas);
        assert_eq!(merges, vec![vec![1_000; 8]]);
    }

    #[test]
    fn test_no_merge_exceeds_the_cap() {
        // Eight freshly flushed segments of a large corpus: tantivy alone merges all eight.
        let metas = segments(&[400_000; 8]);
        assert_eq!(
            LogMergePolicy::default().compute_merge_candidates(&metas)[0]
                .0
                .len(),
            8
        );
        let merges = merged_sizes(&by_docs(1_000_000), &metas);
        assert_eq!(merges, vec![vec![400_000; 2]; 4]);
        for merge in &merges {
            assert!(merge.iter().sum::<u32>() <= 1_000_000);
        }
    }

    #[test]
    fn test_segments_that_cannot_pair_under_the_cap_are_left_alone() {
        let metas = segments(&[600_000; 8]);
        assert!(merged_sizes(&by_docs(1_000_000), &metas).is_empty());
        let metas = segments(&[2_000_000; 8]);
        assert!(merged_sizes(&by_docs(1_000_000), &metas).is_empty());
    }

    #[test]
    fn test_segments_are_measured_by_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let metas = segments(&[1_000; 8]);
        for meta in &metas {
            for (extension, bytes) in [("idx", 100), ("store", 50)] {
                let name = format!("{}.{extension}", meta.id().uuid_string());
                std::fs::write(dir.path().join(name), vec![0u8; bytes]).unwrap();
            }
        }
        std::fs::write(dir.path().join("meta.json"), vec![0u8; 10_000]).unwrap();
        let policy = BoundedMergePolicy::for_directory(dir.path().to_path_buf(), 300);
        assert_eq!(merged_sizes(&policy, &metas), vec![vec![1_000; 2]; 4]);
        let policy = BoundedMergePolicy::for_directory(dir.path().to_path_buf(), 1_200);
        assert_eq!(merged_sizes(&policy, &metas), vec![vec![1_000; 8]]);
    }

    #[test]
    fn test_too_few_segments_do_not_merge() {
        let metas = segments(&[1_000; 3]);
        assert!(merged_sizes(&by_docs(MAX_MERGED_BYTES), &metas).is_empty());
    }
}
