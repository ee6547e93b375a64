//! A project as read back, with its unit's and people's names, and its history entries.

use crate::domain::area::Area;
use crate::domain::channel::Channel;
use crate::domain::ids::{HistoryEntryId, InvestorId, ProjectId, UnitId, UserId};
use crate::domain::industry::IndustryCode;
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::domain::transition::StageState;
use serde::Serialize;
use time::Date;

/// A project as read back, with the names of its unit and people.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub investor_name: String,
    pub industry_code: String,
    pub channel: Option<Channel>,
    pub total_investment: Money,
    /// In whole ㎡.
    #[serde(serialize_with = "ser_area", rename = "land_area_m2")]
    pub land_area: Option<Area>,
    /// In whole ㎡.
    #[serde(serialize_with = "ser_area", rename = "building_area_m2")]
    pub building_area: Option<Area>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub officer_id: Option<UserId>,
    pub officer_name: Option<String>,
    pub leader_id: Option<UserId>,
    pub leader_name: Option<String>,
    pub referrer: Option<String>,
    pub investor_id: Option<InvestorId>,
    pub referrer_id: Option<crate::domain::ids::ReferrerId>,
    pub notes: Option<String>,
    pub stage: Stage,
    pub paused_from: Option<Stage>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub stage_since: Date,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub lead_on: Date,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub negotiating_on: Option<Date>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub intent_on: Option<Date>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub contracted_on: Option<Date>,
    pub contract_amount: Option<Money>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub landed_on: Option<Date>,
    pub credit_code: Option<String>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub land_grant_date: Option<Date>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub construction_on: Option<Date>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub production_on: Option<Date>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    pub at_capacity_on: Option<Date>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub last_progress_on: Date,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// Set by `seen_by` for a reader outside the office (an enterprise): the office's own
    /// fields — 备注, 引荐人, 包联领导 — were taken out, and answers leave their keys out.
    #[serde(skip)]
    pub internal_withheld: bool,
}

fn ser_area<S: serde::Serializer>(a: &Option<Area>, s: S) -> Result<S::Ok, S::Error> {
    match a {
        Some(a) => s.serialize_i64(a.m2),
        None => s.serialize_none(),
    }
}

impl Project {
    /// The project as `role` may see it: an enterprise sees its own project's facts and stages,
    /// not the investment office's working notes (备注) nor who referred it (引荐人).
    pub fn seen_by(mut self, role: crate::domain::user::Role) -> Project {
        if role == crate::domain::user::Role::Enterprise {
            self.notes = None;
            self.referrer = None;
            self.referrer_id = None;
            self.leader_id = None;
            self.leader_name = None;
            self.internal_withheld = true;
        }
        self
    }

    pub fn stage_state(&self) -> StageState {
        StageState {
            stage: self.stage,
            paused_from: self.paused_from,
            since: self.stage_since,
        }
    }
    pub fn industry(&self) -> Option<IndustryCode> {
        IndustryCode::parse(&self.industry_code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Created,
    Transition,
    Note,
    Edited,
}

impl HistoryKind {
    pub fn key(self) -> &'static str {
        match self {
            HistoryKind::Created => "created",
            HistoryKind::Transition => "transition",
            HistoryKind::Note => "note",
            HistoryKind::Edited => "edited",
        }
    }
    pub fn parse(key: &str) -> Option<HistoryKind> {
        [
            HistoryKind::Created,
            HistoryKind::Transition,
            HistoryKind::Note,
            HistoryKind::Edited,
        ]
        .into_iter()
        .find(|k| k.key() == key)
    }
    pub fn label(self) -> &'static str {
        match self {
            HistoryKind::Created => "录入项目",
            HistoryKind::Transition => "阶段变更",
            HistoryKind::Note => "进展情况",
            HistoryKind::Edited => "修改信息",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub id: HistoryEntryId,
    pub kind: HistoryKind,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub effective_date: Date,
    pub body: Option<String>,
    pub facts: Option<serde_json::Value>,
    pub actor_name: Option<String>,
    pub recorded_at: String,
}
