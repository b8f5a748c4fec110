//! What goes from the indexer's main thread to tantivy's indexing threads: documents that carry
//! their passage's tokens, and a bound on how many bytes of them may wait in tantivy's queue.
//!
//! Each report is handed to tantivy as one batch (so that it lands in one segment, in order).
//! tantivy bounds its queue by batches, not documents: 10,000 reports could wait in it. The
//! [`InFlight`] budget bounds the queue by bytes instead; a report's budget is released when
//! its last document (the report document) has been indexed, i.e. dropped by tantivy.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::schema::document::CompactDocValue;
use tantivy::schema::{Document, Field};
use tantivy::TantivyDocument;

use crate::analysis::{self, PreparedTokens};

/// A document for tantivy, with the tokens of its passage text when the worker could make
/// them, and for a report's last document the ticket that holds its batch's place in the queue.
pub struct QueuedDocument {
    doc: TantivyDocument,
    tokens: Option<Arc<PreparedTokens>>,
    ticket: Option<Ticket>,
}

impl QueuedDocument {
    /// A document without prepared tokens.
    pub fn new(doc: TantivyDocument) -> Self {
        QueuedDocument {
            doc,
            tokens: None,
            ticket: None,
        }
    }

    /// A document whose analysed field holds `tokens.text()`.
    pub fn with_tokens(doc: TantivyDocument, tokens: Option<PreparedTokens>) -> Self {
        QueuedDocument {
            doc,
            tokens: tokens.map(Arc::new),
            ticket: None,
        }
    }

    /// Bytes this document holds, roughly: what the queue budget counts.
    pub fn heap_bytes(&self) -> usize {
        let text: usize = self
            .doc
            .field_values()
            .filter_map(|(_, v)| tantivy::schema::Value::as_str(&v).map(str::len))
            .sum();
        text + self.tokens.as_ref().map_or(0, |t| t.heap_bytes()) + 256
    }

    /// The tokens handed over with this document.
    #[cfg(test)]
    pub fn prepared_tokens(&self) -> Option<&PreparedTokens> {
        self.tokens.as_deref()
    }

    /// The document.
    #[cfg(test)]
    pub fn document(&self) -> &TantivyDocument {
        &self.doc
    }

    /// Attaches the ticket released when tantivy is done with this document.
    pub fn hold(&mut self, ticket: Ticket) {
        self.ticket = Some(ticket);
    }
}

impl Document for QueuedDocument {
    type Value<'a> = CompactDocValue<'a>;
    type FieldsValuesIter<'a> = Box<dyn Iterator<Item = (Field, CompactDocValue<'a>)> + 'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        // tantivy walks a document's fields and then tokenizes its text on this thread: offer
        // the passage's tokens to the tokenizer (it checks they are for the text it is given).
        analysis::hand_over(self.tokens.clone());
        Box::new(self.doc.field_values())
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

/// A byte budget for documents queued for tantivy.
pub struct InFlight {
    used: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

/// How long to wait for the queue to drain before admitting a batch anyway: tantivy's threads
/// stop taking documents while they write a segment, but if they have died nothing would ever
/// be released, and tantivy's own error must get through instead of a hang.
const PATIENCE: Duration = Duration::from_secs(5);

impl InFlight {
    /// A budget of `limit` bytes.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(InFlight {
            used: Mutex::new(0),
            freed: Condvar::new(),
            limit,
        })
    }

    /// Waits until `bytes` more fit (a batch larger than the budget waits for an empty queue),
    /// then counts them until the returned ticket is dropped.
    pub fn admit(self: &Arc<Self>, bytes: usize) -> Ticket {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + bytes > self.limit {
            let before = *used;
            let (guard, wait) = self
                .freed
                .wait_timeout(used, PATIENCE)
                .unwrap_or_else(|e| e.into_inner());
            used = guard;
            if wait.timed_out() && *used >= before {
                break;
            }
        }
        *used += bytes;
        Ticket {
            budget: Arc::clone(self),
            bytes,
        }
    }

    /// Bytes counted now.
    #[cfg(test)]
    fn used(&self) -> usize {
        *self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Holds `bytes` of an [`InFlight`] budget until dropped.
pub struct Ticket {
    budget: Arc<InFlight>,
    bytes: usize,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.bytes);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_admit_waits_for_room_and_tickets_release_it() {
        let budget = InFlight::new(100);
        let first = budget.admit(60);
        assert_eq!(budget.used(), 60);
        let waiter = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || {
                let _second = budget.admit(60);
                budget.used()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "60 + 60 bytes do not fit in 100");
        drop(first);
        assert_eq!(waiter.join().unwrap(), 60);
        assert_eq!(budget.used(), 0);
        // A batch larger than the whole budget still goes through when the queue is empty.
        let big = budget.admit(1_000);
        assert_eq!(budget.used(), 1_000);
        drop(big);
    }
}
