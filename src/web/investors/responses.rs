//! What the 客商库 API answers: its own shapes, built from the domain's records.

use crate::domain::ids::{InvestorId, ProjectId, UnitId};
use crate::domain::investor::{Contact, InvestorKind};
use crate::domain::money::Money;
use crate::domain::records::investor::Investor;
use crate::domain::records::project::Project;
use crate::domain::stage::Stage;
use crate::service::Excerpt;
use serde::Serialize;

/// An investor as the API answers it, with its contacts.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct InvestorResponse {
    id: InvestorId,
    name: String,
    credit_code: Option<String>,
    kind: InvestorKind,
    kind_label: &'static str,
    country: String,
    origin_city: Option<String>,
    fortune_global_500: bool,
    fortune_china_500: bool,
    listed: bool,
    industry_code: Option<String>,
    website: Option<String>,
    /// 意向投资, in its currency.
    intended_investment: Option<Money>,
    notes: Option<String>,
    unit_id: UnitId,
    unit_name: String,
    /// Set once this record was merged into another (it is kept for history).
    merged_into: Option<InvestorId>,
    version: i64,
    created_at: String,
    updated_at: String,
    contacts: Vec<ContactResponse>,
}

impl From<Investor> for InvestorResponse {
    fn from(i: Investor) -> Self {
        InvestorResponse {
            id: i.id,
            name: i.name,
            credit_code: i.credit_code,
            kind: i.kind,
            kind_label: i.kind_label,
            country: i.country,
            origin_city: i.origin_city,
            fortune_global_500: i.fortune_global_500,
            fortune_china_500: i.fortune_china_500,
            listed: i.listed,
            industry_code: i.industry_code,
            website: i.website,
            intended_investment: i.intended_investment,
            notes: i.notes,
            unit_id: i.unit_id,
            unit_name: i.unit_name,
            merged_into: i.merged_into,
            version: i.version,
            created_at: i.created_at,
            updated_at: i.updated_at,
            contacts: i.contacts.into_iter().map(ContactResponse::from).collect(),
        }
    }
}

/// A person to talk to at an investor.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ContactResponse {
    name: String,
    title: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    wechat: Option<String>,
}

impl From<Contact> for ContactResponse {
    fn from(c: Contact) -> Self {
        ContactResponse {
            name: c.name,
            title: c.title,
            phone: c.phone,
            email: c.email,
            wechat: c.wechat,
        }
    }
}

/// An investor, with how many projects name it and the latest of them.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct InvestorDetail {
    #[serde(flatten)]
    investor: InvestorResponse,
    projects_total: i64,
    projects: Vec<ProjectSummary>,
}

impl InvestorDetail {
    pub(crate) fn of(investor: Investor, projects: Excerpt<Project>) -> InvestorDetail {
        InvestorDetail {
            investor: investor.into(),
            projects_total: projects.total,
            projects: projects
                .items
                .into_iter()
                .map(ProjectSummary::from)
                .collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ProjectSummary {
    id: ProjectId,
    name: String,
    stage: Stage,
    total_investment: Money,
}

impl From<Project> for ProjectSummary {
    fn from(p: Project) -> Self {
        ProjectSummary {
            id: p.id,
            name: p.name,
            stage: p.stage,
            total_investment: p.total_investment,
        }
    }
}
