//! Plain-text primitives shared by the modules that read a report's text: what a line is and
//! what a heading's text is ([`lines`]), so that segmentation, structured extraction and
//! metadata inference agree on them.

pub mod lines;
