//! A referrer as read back.

use crate::domain::ids::ReferrerId;
use crate::domain::ids::{UnitId, UserId};
use crate::domain::referrer::ReferrerKind;
use crate::domain::user::UnitPath;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Referrer {
    pub id: ReferrerId,
    pub kind: ReferrerKind,
    pub kind_label: &'static str,
    pub name: String,
    pub affiliation: Option<String>,
    pub contact: Option<String>,
    pub notes: Option<String>,
    pub unit_id: UnitId,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub version: i64,
    pub created_by: Option<UserId>,
}
