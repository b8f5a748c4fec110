//! Which segments tantivy merges while indexing: its log-structured policy, with merges capped in
//! size.
//!
//! A merge reads every byte of the segments it merges through memory maps, and those pages count
//! towards the process's resident memory until the merge ends. With tantivy's default policy
//! the last merges of a large corpus combine segments of millions of documents: indexing 1 GB of
//! reports peaked at 1.4 GB resident, of which 1 GB was the mapped files of one merge (measured
//! by sampling `RssFile` while `themis index` ran). Capping the documents per merge bounds that
//! by a constant instead of by the corpus, at the price of a few more segments to search.

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// At most this many documents (passages, tagged sentences and reports) go into one merge: about
/// 400 MB of segment files at the index's measured ~275 bytes per document, or three segments as
/// the writer flushes them with the default budget (~500,000 documents each).
pub const MAX_MERGED_DOCS: u32 = 1_500_000;

/// tantivy's [`LogMergePolicy`], with each of its merges split into merges of at most
/// `max_docs` documents.
#[derive(Debug, Clone)]
pub struct BoundedMergePolicy {
    log: LogMergePolicy,
    max_docs: u32,
}

impl BoundedMergePolicy {
    /// A policy that never builds a merge of more than `max_docs` documents.
    pub fn new(max_docs: u32) -> BoundedMergePolicy {
        let mut log = LogMergePolicy::default();
        log.set_max_docs_before_merge(max_docs as usize);
        BoundedMergePolicy { log, max_docs }
    }
}

impl Default for BoundedMergePolicy {
    fn default() -> Self {
        BoundedMergePolicy::new(MAX_MERGED_DOCS)
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs_of = |id| {
            segments
                .iter()
                .find(|s| s.id() == id)
                .map_or(0, |s| s.num_docs())
        };
        let mut bounded = Vec::new();
        for MergeCandidate(ids) in self.log.compute_merge_candidates(segments) {
            let mut group = Vec::new();
            let mut docs = 0u32;
            for id in ids {
                let size = docs_of(id);
                if !group.is_empty() && docs.saturating_add(size) > self.max_docs {
                    if group.len() > 1 {
                        bounded.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    docs = 0;
                }
                group.push(id);
                docs = docs.saturating_add(size);
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
        let merges = merged_sizes(&BoundedMergePolicy::new(1_000_000), &metas);
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
        let merges = merged_sizes(&BoundedMergePolicy::new(1_000_000), &metas);
        assert_eq!(merges, vec![vec![400_000; 2]; 4]);
        for merge in &merges {
            assert!(merge.iter().sum::<u32>() <= 1_000_000);
        }
    }

    #[test]
    fn test_segments_that_cannot_pair_under_the_cap_are_left_alone() {
        let metas = segments(&[600_000; 8]);
        assert!(merged_sizes(&BoundedMergePolicy::new(1_000_000), &metas).is_empty());
        let metas = segments(&[2_000_000; 8]);
        assert!(merged_sizes(&BoundedMergePolicy::new(1_000_000), &metas).is_empty());
    }

    #[test]
    fn test_too_few_segments_do_not_merge() {
        let metas = segments(&[1_000; 3]);
        assert!(merged_sizes(&BoundedMergePolicy::default(), &metas).is_empty());
    }
}
