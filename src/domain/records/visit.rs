//! A visit as read back, with who took part.

use crate::domain::ids::VisitId;
use crate::domain::ids::{InvestorId, UnitId, UserId};
use crate::domain::user::UnitPath;
use crate::domain::visit::Direction;
use serde::Serialize;
use time::Date;

#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    pub id: VisitId,
    pub direction: Direction,
    pub direction_label: &'static str,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub visit_date: Date,
    pub place: String,
    pub investor_id: Option<InvestorId>,
    pub investor_name: Option<String>,
    pub investor_side: String,
    pub participants: Vec<Participant>,
    pub leader_id: Option<UserId>,
    pub leader_name: Option<String>,
    pub purpose: String,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub follow_up_on: Option<Date>,
    pub follow_up_done_at: Option<String>,
    pub unit_id: UnitId,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub version: i64,
    pub created_by: Option<UserId>,
    pub created_at: String,
}

impl Visit {
    /// Whether this account took part in the visit (recorded it, led it, or was there): it
    /// sees the visit wherever the visit is kept — a department asked along by the county.
    pub fn involves(&self, user: UserId) -> bool {
        self.created_by == Some(user)
            || self.leader_id == Some(user)
            || self.participants.iter().any(|p| p.id == user)
    }
}
