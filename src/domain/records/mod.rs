//! The records of each entity as the system reads them back: the shapes the use cases, the
//! pages and the API work with. `store` maps rows into them; rules on them live beside them in
//! `domain`.

pub mod event;
pub mod investor;
pub mod lead;
pub mod project;
pub mod referrer;
pub mod unit;
pub mod visit;
