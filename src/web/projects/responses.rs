//! What the projects API answers: its own shapes, built from the domain's records, so the wire
//! format and the OpenAPI document change only when these do.

use crate::domain::channel::Channel;
use crate::domain::dates::{serialize_iso, serialize_iso_option};
use crate::domain::ids::{HistoryEntryId, InvestorId, ProjectId, ReferrerId, UnitId, UserId};
use crate::domain::listing::Totals;
use crate::domain::money::Money;
use crate::domain::records::project::{HistoryEntry, HistoryKind, Project};
use crate::domain::stage::Stage;
use crate::service::Page;
use serde::Serialize;
use time::Date;

/// A project as the API answers it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ProjectResponse {
    id: ProjectId,
    name: String,
    investor_name: String,
    industry_code: String,
    channel: Option<Channel>,
    total_investment: Money,
    /// In whole ㎡.
    land_area_m2: Option<i64>,
    /// In whole ㎡.
    building_area_m2: Option<i64>,
    expected_output: Option<Money>,
    expected_tax: Option<Money>,
    jobs: Option<i64>,
    unit_id: UnitId,
    unit_name: String,
    officer_id: Option<UserId>,
    officer_name: Option<String>,
    /// 包联领导. Left out of an enterprise's answers, like `leader_name`, `referrer`,
    /// `referrer_id` and `notes`: they are the office's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<UserId>)]
    leader_id: Option<Option<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    leader_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    referrer: Option<Option<String>>,
    investor_id: Option<InvestorId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ReferrerId>)]
    referrer_id: Option<Option<ReferrerId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    notes: Option<Option<String>>,
    stage: Stage,
    paused_from: Option<Stage>,
    #[serde(serialize_with = "serialize_iso")]
    stage_since: Date,
    #[serde(serialize_with = "serialize_iso")]
    lead_on: Date,
    #[serde(serialize_with = "serialize_iso_option")]
    negotiating_on: Option<Date>,
    #[serde(serialize_with = "serialize_iso_option")]
    intent_on: Option<Date>,
    #[serde(serialize_with = "serialize_iso_option")]
    contracted_on: Option<Date>,
    contract_amount: Option<Money>,
    #[serde(serialize_with = "serialize_iso_option")]
    landed_on: Option<Date>,
    credit_code: Option<String>,
    #[serde(serialize_with = "serialize_iso_option")]
    land_grant_date: Option<Date>,
    #[serde(serialize_with = "serialize_iso_option")]
    construction_on: Option<Date>,
    #[serde(serialize_with = "serialize_iso_option")]
    production_on: Option<Date>,
    #[serde(serialize_with = "serialize_iso_option")]
    at_capacity_on: Option<Date>,
    #[serde(serialize_with = "serialize_iso")]
    last_progress_on: Date,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl From<Project> for ProjectResponse {
    fn from(p: Project) -> Self {
        // The office's own fields: absent for a reader they were withheld from.
        let shown = !p.internal_withheld;
        ProjectResponse {
            id: p.id,
            name: p.name,
            investor_name: p.investor_name,
            industry_code: p.industry_code,
            channel: p.channel,
            total_investment: p.total_investment,
            land_area_m2: p.land_area.map(|a| a.m2),
            building_area_m2: p.building_area.map(|a| a.m2),
            expected_output: p.expected_output,
            expected_tax: p.expected_tax,
            jobs: p.jobs,
            unit_id: p.unit_id,
            unit_name: p.unit_name,
            officer_id: p.officer_id,
            officer_name: p.officer_name,
            leader_id: shown.then_some(p.leader_id),
            leader_name: shown.then_some(p.leader_name),
            referrer: shown.then_some(p.referrer),
            investor_id: p.investor_id,
            referrer_id: shown.then_some(p.referrer_id),
            notes: shown.then_some(p.notes),
            stage: p.stage,
            paused_from: p.paused_from,
            stage_since: p.stage_since,
            lead_on: p.lead_on,
            negotiating_on: p.negotiating_on,
            intent_on: p.intent_on,
            contracted_on: p.contracted_on,
            contract_amount: p.contract_amount,
            landed_on: p.landed_on,
            credit_code: p.credit_code,
            land_grant_date: p.land_grant_date,
            construction_on: p.construction_on,
            production_on: p.production_on,
            at_capacity_on: p.at_capacity_on,
            last_progress_on: p.last_progress_on,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A page of projects and the sums over every project the filters select.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ProjectList {
    items: Vec<ProjectResponse>,
    total: i64,
    page: i64,
    per_page: i64,
    sums: Totals,
}

impl ProjectList {
    pub(crate) fn of(page: Page<Project>, sums: Totals) -> ProjectList {
        let page = page.map(ProjectResponse::from);
        ProjectList {
            items: page.items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
            sums,
        }
    }
}

/// One entry of a project's history: a stage change, a progress note or an edit.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct HistoryEntryResponse {
    id: HistoryEntryId,
    kind: HistoryKind,
    from_stage: Option<Stage>,
    to_stage: Option<Stage>,
    #[serde(serialize_with = "serialize_iso")]
    effective_date: Date,
    body: Option<String>,
    /// The facts a stage change recorded (contract amount, credit code, reason…).
    facts: Option<serde_json::Value>,
    actor_name: Option<String>,
    recorded_at: String,
}

impl From<HistoryEntry> for HistoryEntryResponse {
    fn from(e: HistoryEntry) -> Self {
        HistoryEntryResponse {
            id: e.id,
            kind: e.kind,
            from_stage: e.from_stage,
            to_stage: e.to_stage,
            effective_date: e.effective_date,
            body: e.body,
            facts: e.facts,
            actor_name: e.actor_name,
            recorded_at: e.recorded_at,
        }
    }
}

/// A project's history, oldest first.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct History {
    items: Vec<HistoryEntryResponse>,
}

impl History {
    pub(crate) fn of(entries: Vec<HistoryEntry>) -> History {
        History {
            items: entries
                .into_iter()
                .map(HistoryEntryResponse::from)
                .collect(),
        }
    }
}
