//! What the visits API answers: its own shapes, built from the domain's records.

use crate::domain::dates::{serialize_iso, serialize_iso_option};
use crate::domain::ids::{InvestorId, UnitId, UserId, VisitId};
use crate::domain::records::visit::{Participant, Visit};
use crate::domain::visit::Direction;
use serde::Serialize;
use time::Date;

/// A visit as the API answers it, with who took part.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct VisitResponse {
    id: VisitId,
    direction: Direction,
    direction_label: &'static str,
    #[serde(serialize_with = "serialize_iso")]
    visit_date: Date,
    place: String,
    investor_id: Option<InvestorId>,
    investor_name: Option<String>,
    investor_side: String,
    participants: Vec<ParticipantResponse>,
    leader_id: Option<UserId>,
    leader_name: Option<String>,
    purpose: String,
    outcome: Option<String>,
    next_step: Option<String>,
    #[serde(serialize_with = "serialize_iso_option")]
    follow_up_on: Option<Date>,
    follow_up_done_at: Option<String>,
    unit_id: UnitId,
    unit_name: String,
    version: i64,
    created_by: Option<UserId>,
    created_at: String,
}

impl From<Visit> for VisitResponse {
    fn from(v: Visit) -> Self {
        VisitResponse {
            id: v.id,
            direction: v.direction,
            direction_label: v.direction_label,
            visit_date: v.visit_date,
            place: v.place,
            investor_id: v.investor_id,
            investor_name: v.investor_name,
            investor_side: v.investor_side,
            participants: v
                .participants
                .into_iter()
                .map(ParticipantResponse::from)
                .collect(),
            leader_id: v.leader_id,
            leader_name: v.leader_name,
            purpose: v.purpose,
            outcome: v.outcome,
            next_step: v.next_step,
            follow_up_on: v.follow_up_on,
            follow_up_done_at: v.follow_up_done_at,
            unit_id: v.unit_id,
            unit_name: v.unit_name,
            version: v.version,
            created_by: v.created_by,
            created_at: v.created_at,
        }
    }
}

/// One of our people who took part in a visit.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ParticipantResponse {
    id: UserId,
    name: String,
}

impl From<Participant> for ParticipantResponse {
    fn from(p: Participant) -> Self {
        ParticipantResponse {
            id: p.id,
            name: p.name,
        }
    }
}
