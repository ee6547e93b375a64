//! What the events API answers: its own shapes, built from the domain's records.

use crate::domain::dates::serialize_iso;
use crate::domain::event::EventKind;
use crate::domain::ids::{EventId, InvestorId, ProjectId, UnitId, UserId};
use crate::domain::money::Money;
use crate::domain::records::event::{MetInvestor, PromotionEvent, Signing};
use crate::service::events::{EventDetail, EventTotals};
use serde::Serialize;
use time::Date;

/// A promotion event as the API answers it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct EventResponse {
    id: EventId,
    kind: EventKind,
    kind_label: &'static str,
    title: String,
    #[serde(serialize_with = "serialize_iso")]
    held_on: Date,
    city: String,
    organiser: Option<String>,
    delegation: Option<String>,
    notes: Option<String>,
    unit_id: UnitId,
    unit_name: String,
    version: i64,
    created_by: Option<UserId>,
}

impl From<PromotionEvent> for EventResponse {
    fn from(e: PromotionEvent) -> Self {
        EventResponse {
            id: e.id,
            kind: e.kind,
            kind_label: e.kind_label,
            title: e.title,
            held_on: e.held_on,
            city: e.city,
            organiser: e.organiser,
            delegation: e.delegation,
            notes: e.notes,
            unit_id: e.unit_id,
            unit_name: e.unit_name,
            version: e.version,
            created_by: e.created_by,
        }
    }
}

/// An investor met at an event.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct MetInvestorResponse {
    id: InvestorId,
    name: String,
}

impl From<MetInvestor> for MetInvestorResponse {
    fn from(m: MetInvestor) -> Self {
        MetInvestorResponse {
            id: m.id,
            name: m.name,
        }
    }
}

/// A project signed at an event, for the amount signed there.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SigningResponse {
    project_id: ProjectId,
    project_name: String,
    investor_name: String,
    amount: Money,
}

impl From<Signing> for SigningResponse {
    fn from(s: Signing) -> Self {
        SigningResponse {
            project_id: s.project_id,
            project_name: s.project_name,
            investor_name: s.investor_name,
            amount: s.amount,
        }
    }
}

/// An event with the investors met, the projects signed, and its totals.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct EventDetailResponse {
    #[serde(flatten)]
    event: EventResponse,
    investors: Vec<MetInvestorResponse>,
    /// Investors met that are kept outside the caller's scope: counted, not named.
    investors_elsewhere: usize,
    signings: Vec<SigningResponse>,
    totals: EventTotals,
}

impl From<EventDetail> for EventDetailResponse {
    fn from(d: EventDetail) -> Self {
        EventDetailResponse {
            event: d.event.into(),
            investors: d
                .investors
                .into_iter()
                .map(MetInvestorResponse::from)
                .collect(),
            investors_elsewhere: d.investors_elsewhere,
            signings: d.signings.into_iter().map(SigningResponse::from).collect(),
            totals: d.totals,
        }
    }
}
