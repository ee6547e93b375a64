//! What the referrers API answers: its own shapes, built from the domain's records.

use crate::domain::ids::{ProjectId, ReferrerId, UnitId, UserId};
use crate::domain::records::referrer::Referrer;
use crate::domain::referrer::ReferrerKind;
use crate::domain::reward::RewardRule;
use crate::service::referrers::{ReferrerDetail, YearRewards};
use crate::web::projects::responses::ProjectResponse;
use serde::Serialize;

/// A referrer as the API answers it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ReferrerResponse {
    id: ReferrerId,
    kind: ReferrerKind,
    kind_label: &'static str,
    name: String,
    affiliation: Option<String>,
    contact: Option<String>,
    notes: Option<String>,
    unit_id: UnitId,
    unit_name: String,
    version: i64,
    created_by: Option<UserId>,
}

impl From<Referrer> for ReferrerResponse {
    fn from(r: Referrer) -> Self {
        ReferrerResponse {
            id: r.id,
            kind: r.kind,
            kind_label: r.kind_label,
            name: r.name,
            affiliation: r.affiliation,
            contact: r.contact,
            notes: r.notes,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            version: r.version,
            created_by: r.created_by,
        }
    }
}

/// A referrer with the projects credited to it and its rewards by year under the rule.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ReferrerDetailResponse {
    #[serde(flatten)]
    referrer: ReferrerResponse,
    projects: Vec<ProjectResponse>,
    rule: RewardRule,
    rule_text: String,
    rewards: Vec<YearRewards>,
}

impl From<ReferrerDetail> for ReferrerDetailResponse {
    fn from(d: ReferrerDetail) -> Self {
        ReferrerDetailResponse {
            referrer: d.referrer.into(),
            projects: d.projects.into_iter().map(ProjectResponse::from).collect(),
            rule: d.rule,
            rule_text: d.rule_text,
            rewards: d.rewards,
        }
    }
}

/// A project credited to a referrer, and the project's version after it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Credited {
    pub(super) project_id: ProjectId,
    pub(super) referrer_id: ReferrerId,
    pub(super) version: i64,
}
