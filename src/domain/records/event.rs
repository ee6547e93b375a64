//! A promotion event as read back, the investors met there and the projects signed.

use crate::domain::event::EventKind;
use crate::domain::ids::EventId;
use crate::domain::ids::{InvestorId, ProjectId, UnitId, UserId};
use crate::domain::money::Money;
use crate::domain::user::UnitPath;
use serde::Serialize;
use time::Date;

#[derive(Debug, Clone, Serialize)]
pub struct PromotionEvent {
    pub id: EventId,
    pub kind: EventKind,
    pub kind_label: &'static str,
    pub title: String,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub held_on: Date,
    pub city: String,
    pub organiser: Option<String>,
    pub delegation: Option<String>,
    pub notes: Option<String>,
    pub unit_id: UnitId,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub version: i64,
    pub created_by: Option<UserId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetInvestor {
    pub id: InvestorId,
    pub name: String,
    /// Where the record is kept: whether the caller may be shown it.
    #[serde(skip)]
    pub unit_path: crate::domain::user::UnitPath,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signing {
    pub project_id: ProjectId,
    pub project_name: String,
    pub investor_name: String,
    /// The project's unit, for scope: a signing outside the reader's subtree shows no name.
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub amount: Money,
}
