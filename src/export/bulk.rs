//! OpenSearch and Elasticsearch: the `_bulk` API's NDJSON (a `create` action line naming the
//! index and a stable document id, then the document) and the index mapping. Both engines
//! read the same bulk format and the same mapping (OpenSearch forked from Elasticsearch 7.10;
//! neither takes mapping types any more), so one writer serves both.

use std::io::Write;

use serde_json::{json, Value};

use super::ExportDocument;
use crate::corpus::hex_sha256;

/// Longest document id written as it is: Elasticsearch refuses ids over 512 bytes.
const MAX_PLAIN_ID: usize = 400;

/// The action line of a document: `create`, so that loading the same export twice is refused
/// document by document (409) instead of duplicating it. The id is the file and start offset,
/// unique in an index (a file is indexed once, and its sentences and passages do not overlap).
pub fn write_action(out: &mut dyn Write, index: &str, doc: &ExportDocument) -> std::io::Result<()> {
    let id = document_id(doc.file, doc.start);
    serde_json::to_writer(&mut *out, &json!({"create": {"_index": index, "_id": id}}))?;
    out.write_all(b"\n")
}

/// `FILE:START`, or the file's SHA-256 in its place when the path is very long.
pub fn document_id(file: &str, start: usize) -> String {
    if file.len() > MAX_PLAIN_ID {
        format!("{}:{start}", hex_sha256(file.as_bytes()))
    } else {
        format!("{file}:{start}")
    }
}

/// The index body for `PUT /INDEX`: keyword fields for filters and aggregations, the text and
/// title with the built-in `english` analyser, the timestamp as a date. `dynamic: strict`
/// makes a document with a field the mapping does not know an error, not a guess. The same for
/// both units: a keyword field takes a passage's array of polarities as it takes one.
pub fn mapping() -> Value {
    let keyword = || json!({"type": "keyword"});
    // Keyword terms over 32 KB are an error in Lucene; a long section title is kept unindexed.
    let long_keyword = || json!({"type": "keyword", "ignore_above": 1024});
    let english = || json!({"type": "text", "analyzer": "english"});
    json!({
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "report": keyword(),
                "title": {
                    "type": "text",
                    "analyzer": "english",
                    "fields": {"raw": long_keyword()}
                },
                "region": keyword(),
                "year": {"type": "integer"},
                "date": keyword(),
                "timestamp": {"type": "date", "format": "strict_date_optional_time"},
                "type": keyword(),
                "file": long_keyword(),
                "offsets": keyword(),
                "section": long_keyword(),
                "page": {"type": "integer"},
                "start": {"type": "long"},
                "end": {"type": "long"},
                "text": english(),
                "themes": keyword(),
                "polarity": keyword(),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_ids_are_file_and_start_and_stay_short() {
        assert_eq!(document_id("a/b.txt", 120), "a/b.txt:120");
        let long = "x".repeat(1000);
        let id = document_id(&long, 7);
        assert!(id.len() < 80 && id.ends_with(":7"), "{id}");
    }
}
