//! Path parameters parsed at the edge: a malformed id answers exactly like a missing record
//! (404 in the caller's format), never with the framework's plain-text rejection.

use super::error::{ApiError, PageError};
use crate::domain::ids::{
    EventId, ImportId, InvestorId, LeadId, ProjectId, ReferrerId, UnitId, UserId, VisitId,
};
use crate::error::Error;
use crate::service::events::event_not_found;
use crate::service::imports::import_not_found;
use crate::service::investors::investor_not_found;
use crate::service::leads::lead_not_found;
use crate::service::referrers::referrer_not_found;
use crate::service::visits::visit_not_found;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// The `{id}` of the path when it is a positive integer.
async fn path_id<S: Send + Sync>(parts: &mut Parts, state: &S) -> Option<i64> {
    let Path(text) = Path::<String>::from_request_parts(parts, state)
        .await
        .ok()?;
    text.parse::<i64>().ok().filter(|id| *id > 0)
}

/// Declares the `{id}` extractors of one kind of record: `$api` answers problem+json, `$page`
/// the error page; both with `$missing` (that kind's "not found").
macro_rules! id_extractors {
    ($(#[$doc:meta])* $api:ident, $page:ident, $id:ty, $wrap:expr, $missing:expr) => {
        $(#[$doc])*
        pub struct $api(pub $id);

        impl<S: Send + Sync> FromRequestParts<S> for $api {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &S,
            ) -> Result<Self, Self::Rejection> {
                path_id(parts, state)
                    .await
                    .map(|id| $api($wrap(id)))
                    .ok_or_else(|| ApiError($missing))
            }
        }

        $(#[$doc])*
        pub struct $page(pub $id);

        impl<S: Send + Sync> FromRequestParts<S> for $page {
            type Rejection = PageError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &S,
            ) -> Result<Self, Self::Rejection> {
                path_id(parts, state)
                    .await
                    .map(|id| $page($wrap(id)))
                    .ok_or_else(|| PageError::from($missing))
            }
        }
    };
}

id_extractors!(/// `{id}` of a project.
    ApiProjectId, PageProjectId, ProjectId, ProjectId, Error::project_not_found());
id_extractors!(/// `{id}` of an account.
    ApiUserId, PageUserId, UserId, UserId, Error::account_not_found());
id_extractors!(/// `{id}` of a unit.
    ApiUnitId, PageUnitId, UnitId, UnitId, Error::unit_not_found());
id_extractors!(/// `{id}` of a 客商库 record.
    ApiInvestorId, PageInvestorId, InvestorId, InvestorId, investor_not_found());
id_extractors!(/// `{id}` of a lead.
    ApiLeadId, PageLeadId, LeadId, LeadId, lead_not_found());
id_extractors!(/// `{id}` of a visit.
    ApiVisitId, PageVisitId, VisitId, VisitId, visit_not_found());
id_extractors!(/// `{id}` of a promotion event.
    ApiEventId, PageEventId, EventId, EventId, event_not_found());
id_extractors!(/// `{id}` of a referrer.
    ApiReferrerId, PageReferrerId, ReferrerId, ReferrerId, referrer_not_found());
id_extractors!(/// `{id}` of an import.
    ApiImportId, PageImportId, ImportId, ImportId, import_not_found());

/// A page form that changes a record: its fields, and the version the record had when the form
/// was shown (a missing or garbled version is 0, which no record has, so the save is refused as
/// stale rather than overwriting someone's change).
#[derive(serde::Deserialize)]
pub struct EditForm<T> {
    #[serde(flatten)]
    pub input: T,
    #[serde(default)]
    version: String,
}

impl<T> EditForm<T> {
    pub fn version(&self) -> i64 {
        self.version.trim().parse().unwrap_or(0)
    }
}
