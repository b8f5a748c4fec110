//! Quickwit: its NDJSON ingest format is one document a line (what [`super::export`] writes
//! for it), and its index configuration (`quickwit index create --index-config FILE`, or the
//! REST API) is made here: the doc mapping, `tag_fields` on themes, region and year (Quickwit
//! records their values per split and skips splits a filter on them cannot match), and the
//! timestamp field, from the report's date, which prunes splits by time. Quickwit refuses a
//! document without a timestamp, so the documents of an undated report carry
//! [`UNDATED_TIMESTAMP`] in a Quickwit export.
//!
//! Text is tokenised with Quickwit's `default` tokenizer (words, lowercased): its stemming
//! `en_stem` exists only in builds with the `multilang` feature, which Quickwit removed in
//! 2026, and an index configuration naming a tokenizer the server lacks is refused.

use serde_json::{json, Value};

use super::Unit;

/// The timestamp of the documents of a report with neither a date nor a year.
pub const UNDATED_TIMESTAMP: &str = "1970-01-01T00:00:00Z";

/// The configuration format version written.
const CONFIG_VERSION: &str = "0.8";

/// The index configuration for documents of `unit`, named `index_id`.
pub fn index_config(unit: Unit, index_id: &str) -> Value {
    let raw = |name: &str| json!({"name": name, "type": "text", "tokenizer": "raw", "fast": true});
    let keyword = |name: &str| json!({"name": name, "type": "text", "tokenizer": "raw"});
    let english = |name: &str| json!({"name": name, "type": "text", "tokenizer": "default", "record": "position"});
    let number = |name: &str, kind: &str| json!({"name": name, "type": kind, "fast": true});
    // A passage carries the polarities of all its tagged sentences.
    let polarity = match unit {
        Unit::Sentence => raw("polarity"),
        Unit::Passage => json!({
            "name": "polarity", "type": "array<text>", "tokenizer": "raw", "fast": true
        }),
    };
    json!({
        "version": CONFIG_VERSION,
        "index_id": index_id,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": [
                raw("report"),
                english("title"),
                raw("region"),
                number("year", "i64"),
                keyword("date"),
                {
                    "name": "timestamp",
                    "type": "datetime",
                    "input_formats": ["rfc3339"],
                    "output_format": "rfc3339",
                    "fast": true,
                    "fast_precision": "seconds"
                },
                raw("type"),
                raw("file"),
                keyword("offsets"),
                raw("section"),
                number("page", "u64"),
                number("start", "u64"),
                number("end", "u64"),
                english("text"),
                {"name": "themes", "type": "array<text>", "tokenizer": "raw", "fast": true},
                polarity,
            ],
            "tag_fields": ["themes", "region", "year"],
            "timestamp_field": "timestamp"
        },
        "search_settings": {"default_search_fields": ["text", "title"]}
    })
}
