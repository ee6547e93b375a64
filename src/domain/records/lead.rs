//! A lead as read back, and its follow-ups.

use crate::domain::channel::Channel;
use crate::domain::ids::LeadId;
use crate::domain::ids::{InvestorId, ProjectId, UnitId, UserId};
use crate::domain::lead::LeadStatus;
use crate::domain::money::Money;
use crate::domain::user::UnitPath;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Lead {
    pub id: LeadId,
    pub title: String,
    pub investor_name: String,
    pub investor_id: Option<InvestorId>,
    pub industry_code: Option<String>,
    pub amount: Option<Money>,
    pub channel: Option<Channel>,
    pub source: Option<String>,
    pub contact: Option<String>,
    pub notes: Option<String>,
    /// 获取日期: when the office learned of it.
    #[serde(serialize_with = "crate::domain::dates::serialize_iso")]
    pub received_on: time::Date,
    pub unit_id: UnitId,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub officer_id: Option<UserId>,
    pub officer_name: Option<String>,
    pub status: LeadStatus,
    pub status_label: &'static str,
    pub drop_reason: Option<String>,
    pub project_id: Option<ProjectId>,
    pub version: i64,
    pub created_by: Option<UserId>,
    pub created_by_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Lead {
    /// The lead as `role` may see it: an enterprise that submitted it sees where it stands,
    /// not why the office gave it up.
    pub fn seen_by(mut self, role: crate::domain::user::Role) -> Lead {
        if role == crate::domain::user::Role::Enterprise {
            self.drop_reason = None;
        }
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LeadNote {
    pub body: String,
    pub noted_on: String,
    pub actor_name: Option<String>,
    pub recorded_at: String,
}
