//! What the leads API answers: its own shapes, built from the domain's records.

use crate::domain::channel::Channel;
use crate::domain::ids::{InvestorId, LeadId, ProjectId, UnitId, UserId};
use crate::domain::lead::LeadStatus;
use crate::domain::money::Money;
use crate::domain::records::lead::{Lead, LeadNote};
use serde::Serialize;

/// A lead as the API answers it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LeadResponse {
    id: LeadId,
    title: String,
    investor_name: String,
    investor_id: Option<InvestorId>,
    industry_code: Option<String>,
    amount: Option<Money>,
    channel: Option<Channel>,
    source: Option<String>,
    contact: Option<String>,
    notes: Option<String>,
    /// 获取日期, `YYYY-MM-DD`.
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    #[schema(value_type = String, format = Date)]
    received_on: time::Date,
    unit_id: UnitId,
    unit_name: String,
    officer_id: Option<UserId>,
    officer_name: Option<String>,
    status: LeadStatus,
    status_label: &'static str,
    drop_reason: Option<String>,
    project_id: Option<ProjectId>,
    version: i64,
    created_by: Option<UserId>,
    created_by_name: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<Lead> for LeadResponse {
    fn from(l: Lead) -> Self {
        LeadResponse {
            id: l.id,
            title: l.title,
            investor_name: l.investor_name,
            investor_id: l.investor_id,
            industry_code: l.industry_code,
            amount: l.amount,
            channel: l.channel,
            source: l.source,
            contact: l.contact,
            notes: l.notes,
            received_on: l.received_on,
            unit_id: l.unit_id,
            unit_name: l.unit_name,
            officer_id: l.officer_id,
            officer_name: l.officer_name,
            status: l.status,
            status_label: l.status_label,
            drop_reason: l.drop_reason,
            project_id: l.project_id,
            version: l.version,
            created_by: l.created_by,
            created_by_name: l.created_by_name,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

/// One follow-up of a lead.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LeadNoteResponse {
    body: String,
    noted_on: String,
    actor_name: Option<String>,
    recorded_at: String,
}

impl From<LeadNote> for LeadNoteResponse {
    fn from(n: LeadNote) -> Self {
        LeadNoteResponse {
            body: n.body,
            noted_on: n.noted_on,
            actor_name: n.actor_name,
            recorded_at: n.recorded_at,
        }
    }
}

/// A lead and its follow-ups.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LeadDetail {
    #[serde(flatten)]
    lead: LeadResponse,
    follow_ups: Vec<LeadNoteResponse>,
}

impl LeadDetail {
    pub(crate) fn of(lead: Lead, follow_ups: Vec<LeadNote>) -> LeadDetail {
        LeadDetail {
            lead: lead.into(),
            follow_ups: follow_ups.into_iter().map(LeadNoteResponse::from).collect(),
        }
    }
}
