//! The records of each entity as the system reads them back: the shapes the use cases and the
//! pages work with, and what the audit trail's snapshots serialise. `store` maps rows into them;
//! rules on them live beside them in `domain`. The JSON API answers with its own response types
//! (`web/<feature>/responses.rs`), built from these.

pub mod audit;
pub mod contract;
pub mod event;
pub mod investor;
pub mod lead;
pub mod project;
pub mod referrer;
pub mod unit;
pub mod user;
pub mod visit;
