//! The corpus: finding report files in a folder, reading and decoding them, and resolving each
//! report's metadata from the manifest (`reports.toml`) or, for files it does not list, by
//! inference from the text.
//!
//! Per-file problems never abort a run: they come back as [`FileProblem`]s naming the file, and
//! the caller reports them and carries on with the rest.

pub mod gazetteer;
pub mod infer;
mod json_report;
pub mod manifest;
mod report_type;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
pub use json_report::{looks_like_json_report, parse_json_report, BadLine, JsonReport};
pub use manifest::{Manifest, ManifestEntry, MANIFEST_FILE};
pub use report_type::ReportType;

/// Extensions themis reads: plain text and Markdown as they are, PDF and HTML through
/// [`crate::formats`].
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "pdf", "html", "htm"];

/// Files larger than this are refused rather than read into memory whole.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Most text read from one file; the rest is cut off with a warning (see [`read_source`]).
///
/// A report is indexed in one piece: its passages and its report document go to tantivy as one
/// batch, which lands in one segment (search relies on it), so indexing holds a report's whole
/// text several times over (passage copies, their tokens, tantivy's postings): about 15 times
/// its size at the peak. 32 MiB of text keeps one file under ~0.6 GB however large it is; real
/// inspection reports hold well under 1 MiB.
pub const MAX_TEXT_BYTES: usize = 32 << 20;

/// How far back from [`MAX_TEXT_BYTES`] a cut looks for a line break, then for whitespace.
const CUT_WINDOW: usize = 64 << 10;

/// Deepest folder nesting followed while discovering files; deeper folders are reported.
const MAX_DEPTH: usize = 64;

/// A report file found in the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Absolute or caller-relative path used to read the file.
    pub path: PathBuf,
    /// Path relative to the corpus folder, with `/` separators: the file's identity in the index.
    pub rel: String,
    /// Size and modification time when the corpus was walked (`None` for a file named
    /// directly): what tells a changed corpus without reading it.
    pub stamp: Option<FileStamp>,
}

/// Size and modification time of one file, as the file system reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileStamp {
    /// Bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 when unknown).
    pub modified_ns: u128,
}

impl FileStamp {
    /// The stamp of the file at `path`, when it can be read.
    pub fn of(path: &Path) -> Option<FileStamp> {
        fs::metadata(path)
            .ok()
            .map(|meta| FileStamp::from_metadata(&meta))
    }

    /// The stamp in metadata already read.
    pub fn from_metadata(meta: &fs::Metadata) -> FileStamp {
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        FileStamp {
            size: meta.len(),
            modified_ns,
        }
    }
}

/// Why a file was skipped or failed; always names the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The file (relative to the corpus when possible).
    pub file: String,
    /// What happened, in words for the user.
    pub message: String,
    /// `true` when the file could not be read at all (counts as an error, exit code 2);
    /// `false` for a warning (skipped or read with repairs).
    pub is_error: bool,
}

/// The result of walking a corpus folder.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Readable report files, sorted by relative path.
    pub files: Vec<CorpusFile>,
    /// Files skipped (unsupported extension) or folders that could not be walked.
    pub problems: Vec<FileProblem>,
}

/// Walks `dir` recursively, in sorted order, skipping hidden files and folders and the manifest.
pub fn discover(dir: &Path) -> Result<Discovery> {
    if !dir.is_dir() {
        return Err(Error::MissingCorpus(dir.to_path_buf()));
    }
    let mut discovery = Discovery::default();
    let mut visited = Vec::new();
    walk(dir, dir, 0, &mut visited, &mut discovery);
    discovery.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(discovery)
}

fn walk(root: &Path, dir: &Path, depth: usize, visited: &mut Vec<PathBuf>, out: &mut Discovery) {
    let rel_dir = relative(root, dir);
    if depth > MAX_DEPTH {
        out.problems.push(FileProblem {
            file: rel_dir,
            message: format!("skipped: folders nested deeper than {MAX_DEPTH} levels"),
            is_error: false,
        });
        return;
    }
    // Symlinked folders can form loops; remember the real paths already walked.
    if let Ok(real) = fs::canonicalize(dir) {
        if visited.contains(&real) {
            out.problems.push(FileProblem {
                file: rel_dir,
                message: "skipped: symbolic link loop".into(),
                is_error: false,
            });
            return;
        }
        visited.push(real);
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            out.problems.push(FileProblem {
                file: rel_dir,
                message: format!("cannot read folder: {err}"),
                is_error: true,
            });
            return;
        }
    };
    // One stat a file: a corpus of 100,000 files is walked before every command that reads
    // the index. The entry's own metadata is a stat relative to the open folder (cheaper than
    // resolving the whole path again); a symbolic link is followed with a second one.
    let mut entries: Vec<(std::ffi::OsString, Option<fs::Metadata>)> = entries
        .filter_map(|e| e.ok())
        // Hidden files and folders are skipped before they cost a stat.
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
        .map(|e| {
            let meta = match e.file_type() {
                Ok(kind) if kind.is_symlink() => fs::metadata(e.path()).ok(),
                _ => e.metadata().ok(),
            };
            (e.file_name(), meta)
        })
        .collect();
    // All in one folder: ordering by name is ordering by path.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (file_name, meta) in entries {
        let name = file_name.to_string_lossy();
        let path = dir.join(&file_name);
        let rel = if rel_dir == "." {
            name.to_string()
        } else {
            format!("{rel_dir}/{name}")
        };
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            walk(root, &path, depth + 1, visited, out);
            continue;
        }
        if depth == 0 && name == MANIFEST_FILE {
            continue;
        }
        let Some(meta) = meta.filter(|m| m.is_file()) else {
            out.problems.push(FileProblem {
                file: rel,
                message: "skipped: not a regular file (broken link or special file)".into(),
                is_error: false,
            });
            continue;
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if SUPPORTED_EXTENSIONS.contains(&ext.as_str()) {
            out.files.push(CorpusFile {
                path,
                rel,
                stamp: Some(FileStamp::from_metadata(&meta)),
            });
        } else {
            let what = if ext.is_empty() {
                "no extension".to_string()
            } else {
                format!(".{ext}")
            };
            out.problems.push(FileProblem {
                file: rel,
                message: format!(
                    "skipped: unsupported file type ({what}); themis reads .txt, .md, .pdf and .html"
                ),
                is_error: false,
            });
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// A report's text, decoded, with what it takes to map offsets back to the file's bytes.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The decoded text (BOM removed).
    pub text: String,
    /// Bytes removed from the start of the file (a UTF-8 BOM): add to offsets into `text` to get
    /// offsets into the file.
    pub offset_base: usize,
    /// SHA-256 of the raw bytes, hex.
    pub hash: String,
    /// `true` when the file was not valid UTF-8 and was decoded as Windows-1252; offsets then
    /// refer to the decoded text.
    pub transcoded: bool,
    /// `true` for PDF and HTML: `text` was extracted, and offsets refer to it, not the file.
    pub extracted: bool,
    /// For PDFs: the offset in `text` where each page starts (page 1 first); empty otherwise.
    pub pages: Vec<usize>,
    /// Title found in the file's own metadata (PDF Info, HTML `<title>`), if any.
    pub embedded_title: Option<String>,
    /// Date found in the file's own metadata, ISO, if any.
    pub embedded_date: Option<String>,
}

impl SourceText {
    /// The 1-based page of an offset into `text`, for paged formats.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        if self.pages.is_empty() {
            return None;
        }
        let index = self.pages.partition_point(|&start| start <= offset);
        u32::try_from(index.max(1)).ok()
    }

    /// How offsets relate to the file: `"source"` (bytes of the file) or `"extracted"` (the
    /// text themis extracted from a PDF or HTML file; `themis show` prints it).
    pub fn offsets_kind(&self) -> &'static str {
        if self.extracted {
            "extracted"
        } else {
            "source"
        }
    }
}

/// Reads and decodes one report file.
///
/// Errors (as [`FileProblem`] with `is_error`) for unreadable, oversized, empty or binary files;
/// a warning in `Ok((_, Some(problem)))` when invalid UTF-8 had to be transcoded or the text
/// was cut at [`MAX_TEXT_BYTES`] (so that one file's memory is bounded whatever its size).
pub fn read_source(
    file: &CorpusFile,
    max_bytes: u64,
) -> std::result::Result<(SourceText, Option<FileProblem>), FileProblem> {
    let problem = |message: String, is_error: bool| FileProblem {
        file: file.rel.clone(),
        message,
        is_error,
    };
    let size = fs::metadata(&file.path)
        .map_err(|e| problem(format!("cannot read: {e}"), true))?
        .len();
    if size > max_bytes {
        return Err(problem(
            format!("skipped: {size} bytes is over the {max_bytes}-byte limit (raise it with --max-file-size)"),
            true,
        ));
    }
    let bytes = fs::read(&file.path).map_err(|e| problem(format!("cannot read: {e}"), true))?;
    let extension = file
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let extracted = match extension.as_str() {
        "pdf" => Some(crate::formats::extract_pdf(&bytes)),
        "html" | "htm" => Some(crate::formats::extract_html(&bytes)),
        _ => None,
    };
    if let Some(result) = extracted {
        let extracted = result.map_err(|e| problem(e.to_string(), true))?;
        let mut source = SourceText {
            text: extracted.text,
            offset_base: 0,
            hash: hex_sha256(&bytes),
            transcoded: false,
            extracted: true,
            pages: extracted.pages,
            embedded_title: extracted.title,
            embedded_date: extracted.date,
        };
        drop(bytes);
        let warning = cap_text(&mut source, MAX_TEXT_BYTES).map(|m| problem(m, false));
        return Ok((source, warning));
    }
    let mut source =
        decode_owned(bytes).map_err(|err| problem(err.to_string(), err == DecodeError::Binary))?;
    let transcoded = source.transcoded.then(|| {
        "not valid UTF-8: decoded as Windows-1252; offsets refer to the decoded text".to_string()
    });
    let cut = cap_text(&mut source, MAX_TEXT_BYTES);
    let message = match (transcoded, cut) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    Ok((source, message.map(|m| problem(m, false))))
}

/// Cuts `source.text` to at most `limit` bytes, at the last line break (else whitespace) in the
/// [`CUT_WINDOW`] before the limit, else at a character boundary; pages that start after the
/// cut go. Returns the warning to give, or `None` when the text is within the limit.
pub fn cap_text(source: &mut SourceText, limit: usize) -> Option<String> {
    let total = source.text.len();
    if total <= limit {
        return None;
    }
    let mut end = limit;
    while !source.text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &source.text.as_bytes()[end.saturating_sub(CUT_WINDOW)..end];
    let back = window
        .iter()
        .rposition(|&b| b == b'\n')
        .or_else(|| window.iter().rposition(u8::is_ascii_whitespace));
    if let Some(i) = back {
        end = end - window.len() + i;
    }
    source.text.truncate(end);
    source.text.shrink_to_fit();
    source.pages.retain(|&start| start == 0 || start < end);
    let mib = |n: usize| n as f64 / f64::from(1 << 20);
    Some(format!(
        "only the first {:.1} MiB of its {:.1} MiB of text are read: one file's text is read \
         whole into memory, several times over while it is indexed, so it is cut at {} MiB \
         (split the file to index all of it)",
        mib(end),
        mib(total),
        limit >> 20
    ))
}

/// Why bytes could not be decoded as a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Nothing but whitespace: skipped with a warning.
    #[error("skipped: empty file, nothing to index")]
    Empty,
    /// NUL bytes: not text, an error.
    #[error("looks like a binary file, not text (it contains NUL bytes)")]
    Binary,
}

/// Decodes raw bytes: UTF-8 (BOM stripped), else Windows-1252. Refuses empty and binary input.
pub fn decode(bytes: &[u8]) -> std::result::Result<SourceText, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`], taking the bytes: valid UTF-8 becomes the text without a copy.
fn decode_owned(bytes: Vec<u8>) -> std::result::Result<SourceText, DecodeError> {
    let hash = hex_sha256(&bytes);
    let offset_base = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[offset_base..];
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if looks_binary(body) {
        return Err(DecodeError::Binary);
    }
    let (text, transcoded) = match String::from_utf8(bytes) {
        Ok(mut text) => {
            text.replace_range(..offset_base, "");
            (text, false)
        }
        Err(err) => {
            let body = &err.as_bytes()[offset_base..];
            let (cow, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            (cow.into_owned(), true)
        }
    };
    Ok(SourceText {
        text,
        offset_base,
        hash,
        transcoded,
        extracted: false,
        pages: Vec::new(),
        embedded_title: None,
        embedded_date: None,
    })
}

/// A NUL byte in the first 8 KiB is the same test git and ripgrep use for "binary".
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// Lowercase hex SHA-256.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A report's metadata as indexed and shown (the default: nothing known).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReportMeta {
    /// Short stable slug.
    pub id: String,
    /// Path relative to the corpus folder.
    pub file: String,
    /// Title.
    pub title: String,
    /// Publisher, when known.
    pub publisher: Option<String>,
    /// Canonical region, when known.
    pub region: Option<String>,
    /// ISO date (or year-month), when known.
    pub date: Option<String>,
    /// Year, when known.
    pub year: Option<i32>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: ReportType,
    /// Where the report comes from.
    pub source: Option<String>,
    /// Licence.
    pub licence: Option<String>,
    /// `true` when the metadata came from inference rather than the manifest.
    pub inferred: bool,
}

impl ReportMeta {
    /// Metadata for `file`: the manifest entry when there is one, else inferred from `text`.
    pub fn resolve(file: &CorpusFile, source: &SourceText, manifest: &Manifest) -> ReportMeta {
        if let Some(entry) = manifest.entry(&file.rel) {
            return entry.to_meta(&file.rel);
        }
        let mut inferred = infer::infer_metadata(&source.text, &file.rel);
        // A PDF's own title is the author's word for it, better than the first line of a
        // letterhead; an HTML <title> often carries the site's name, so the text wins there.
        let is_pdf = !source.pages.is_empty();
        if inferred.title.is_none() || (is_pdf && source.embedded_title.is_some()) {
            inferred.title = source.embedded_title.clone().or(inferred.title);
        }
        if inferred.date.is_none() {
            if let Some(date) = &source.embedded_date {
                inferred.year = inferred.year.or_else(|| date.get(..4)?.parse().ok());
                inferred.date = Some(date.clone());
            }
        }
        let stem = Path::new(&file.rel)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("report");
        ReportMeta {
            id: slug(
                file.rel
                    .rsplit_once('.')
                    .map_or(file.rel.as_str(), |(a, _)| a),
            ),
            file: file.rel.clone(),
            title: inferred.title.unwrap_or_else(|| stem.to_string()),
            publisher: inferred.publisher,
            region: inferred.region,
            date: inferred.date,
            year: inferred.year,
            report_type: inferred.report_type.unwrap_or(ReportType::Other),
            source: None,
            licence: None,
            inferred: true,
        }
    }
}

/// A lowercase ASCII slug of `s`: letters and digits kept, runs of anything else become `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("report");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_decode_strips_bom_and_records_offset() {
        let src = decode("\u{feff}Hello".as_bytes()).unwrap();
        assert_eq!(src.text, "Hello");
        assert_eq!(src.offset_base, 3);
        assert!(!src.transcoded);
    }

    #[test]
    fn test_decode_transcodes_invalid_utf8() {
        let src = decode(b"caf\xe9 society").unwrap();
        assert_eq!(src.text, "café society");
        assert!(src.transcoded);
    }

    #[test]
    fn test_decode_refuses_empty_and_binary() {
        assert_eq!(decode(b"  \n\n").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b"abc\0def").unwrap_err(), DecodeError::Binary);
    }

    fn source(text: &str, pages: Vec<usize>) -> SourceText {
        SourceText {
            pages,
            ..decode(text.as_bytes()).unwrap()
        }
    }

    #[test]
    fn test_decode_takes_valid_utf8_whole() {
        let src = decode_owned(b"\xEF\xBB\xBFna\xC3\xAFve text".to_vec()).unwrap();
        assert_eq!((src.text.as_str(), src.offset_base), ("naïve text", 3));
        let src = decode_owned(b"\xEF\xBB\xBFcaf\xe9".to_vec()).unwrap();
        assert_eq!((src.text.as_str(), src.transcoded), ("café", true));
    }

    #[test]
    fn test_cap_text_keeps_short_texts_whole() {
        let mut src = source("short text\n", vec![]);
        assert_eq!(cap_text(&mut src, 100), None);
        assert_eq!(src.text, "short text\n");
    }

    #[test]
    fn test_cap_text_cuts_at_a_line_break_then_whitespace_then_a_char_boundary() {
        let mut src = source("first line\nsecond line\nthird", vec![0, 12, 24]);
        let warning = cap_text(&mut src, 20).unwrap();
        assert_eq!(src.text, "first line");
        assert_eq!(src.pages, [0]);
        assert!(warning.contains("only the first"), "{warning}");

        let mut src = source("one long line of words", vec![]);
        cap_text(&mut src, 12);
        assert_eq!(src.text, "one long");

        // No whitespace: the cut backs off to a character boundary ('é' is 2 bytes).
        let mut src = source("ééééé", vec![]);
        cap_text(&mut src, 5);
        assert_eq!(src.text, "éé");
    }

    #[test]
    fn test_slug() {
        assert_eq!(slug("000_ae5a409d9173e71e"), "000-ae5a409d9173e71e");
        assert_eq!(slug("Reports/South West 2024!"), "reports-south-west-2024");
        assert_eq!(slug("!!!"), "report");
    }

    #[test]
    fn test_discover_sorts_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("b.txt"), "b").unwrap();
        fs::write(dir.path().join("sub/a.md"), "a").unwrap();
        fs::write(dir.path().join(".hidden.txt"), "h").unwrap();
        fs::write(dir.path().join("x.docx"), "p").unwrap();
        fs::write(dir.path().join(MANIFEST_FILE), "").unwrap();
        let found = discover(dir.path()).unwrap();
        let rels: Vec<_> = found.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["b.txt", "sub/a.md"]);
        assert_eq!(found.problems.len(), 1);
        assert!(found.problems[0].message.contains(".docx"));
    }
}
