//! A 客商库 record as read back, and a record a new one may duplicate.

use crate::domain::ids::{InvestorId, UnitId};
use crate::domain::investor::{Contact, InvestorKind};
use crate::domain::user::UnitPath;
use serde::Serialize;

/// An investor as stored, with its contacts.
#[derive(Debug, Clone, Serialize)]
pub struct Investor {
    pub id: InvestorId,
    pub name: String,
    pub credit_code: Option<String>,
    pub kind: InvestorKind,
    pub kind_label: &'static str,
    pub country: String,
    pub origin_city: Option<String>,
    pub fortune_global_500: bool,
    pub fortune_china_500: bool,
    pub listed: bool,
    pub industry_code: Option<String>,
    pub website: Option<String>,
    /// 意向投资, in its currency.
    pub intended_investment: Option<crate::domain::money::Money>,
    pub notes: Option<String>,
    pub unit_id: UnitId,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    /// Set once this record was merged into another (it is kept for history).
    pub merged_into: Option<InvestorId>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub contacts: Vec<Contact>,
}

impl Investor {
    /// A mainland company recorded before its 统一社会信用代码 was known: 待补充信用代码.
    pub fn lacks_credit_code(&self) -> bool {
        self.credit_code.is_none() && self.kind.needs_credit_code()
    }

    /// The record as `role` may see it: an enterprise sees its own record without the
    /// investment office's working notes (备注).
    pub fn seen_by(mut self, role: crate::domain::user::Role) -> Investor {
        if role == crate::domain::user::Role::Enterprise {
            self.notes = None;
        }
        self
    }
}

/// Another record a new one may duplicate.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: InvestorId,
    pub name: String,
    pub credit_code: Option<String>,
    pub unit_name: String,
    /// Where it is kept: whether the caller may be told of it at all.
    #[serde(skip)]
    pub unit_path: crate::domain::user::UnitPath,
}
