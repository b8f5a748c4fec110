//! Views: what the reporting commands show, computed once in the library as serialisable
//! models, so that the binary only parses arguments, calls, and renders (with
//! [`crate::render`]).

pub mod frequency;
