//! Pure types and rules: no I/O, no database or web types.

pub mod area;
pub mod audit_diff;
pub mod channel;
pub mod contract;
pub mod credit_code;
pub mod dates;
pub mod event;
pub mod glossary;
pub mod ids;
pub mod import;
pub mod industry;
pub mod investor;
pub mod lead;
pub mod listing;
pub mod money;
pub mod pick;
pub mod project;
pub mod records;
pub mod referrer;
pub mod reward;
pub mod search;
pub mod stage;
pub mod transition;
pub mod user;
pub mod validation;
pub mod visit;
