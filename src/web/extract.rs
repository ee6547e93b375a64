//! Path parameters parsed at the edge: a malformed id answers exactly like a missing record
//! (404 in the caller's format), never with the framework's plain-text rejection.

use super::error::{ApiError, PageError};
use crate::domain::ids::{InvestorId, ProjectId, UnitId, UserId};
use crate::error::{ACCOUNT_NOT_FOUND, Error, UNIT_NOT_FOUND};
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

async fn project_id<S: Send + Sync>(parts: &mut Parts, state: &S) -> Option<ProjectId> {
    path_id(parts, state).await.map(ProjectId)
}

/// `{id}` of a project in the JSON API.
pub struct ApiProjectId(pub ProjectId);

impl<S: Send + Sync> FromRequestParts<S> for ApiProjectId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        project_id(parts, state)
            .await
            .map(ApiProjectId)
            .ok_or_else(|| ApiError(Error::project_not_found()))
    }
}

/// `{id}` of a project on a page.
pub struct PageProjectId(pub ProjectId);

impl<S: Send + Sync> FromRequestParts<S> for PageProjectId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        project_id(parts, state)
            .await
            .map(PageProjectId)
            .ok_or_else(|| PageError::from(Error::project_not_found()))
    }
}

/// `{id}` of an account in the JSON API.
pub struct ApiUserId(pub UserId);

impl<S: Send + Sync> FromRequestParts<S> for ApiUserId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(|id| ApiUserId(UserId(id)))
            .ok_or_else(|| ApiError(Error::NotFound(ACCOUNT_NOT_FOUND.into())))
    }
}

/// `{id}` of a unit in the JSON API.
pub struct ApiUnitId(pub UnitId);

impl<S: Send + Sync> FromRequestParts<S> for ApiUnitId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(|id| ApiUnitId(UnitId(id)))
            .ok_or_else(|| ApiError(Error::NotFound(UNIT_NOT_FOUND.into())))
    }
}

/// `{id}` of an account on an administrator's page.
pub struct PageUserId(pub UserId);

impl<S: Send + Sync> FromRequestParts<S> for PageUserId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(|id| PageUserId(UserId(id)))
            .ok_or_else(|| PageError::from(Error::NotFound(ACCOUNT_NOT_FOUND.into())))
    }
}

/// `{id}` of a unit on an administrator's page.
pub struct PageUnitId(pub UnitId);

impl<S: Send + Sync> FromRequestParts<S> for PageUnitId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(|id| PageUnitId(UnitId(id)))
            .ok_or_else(|| PageError::from(Error::NotFound(UNIT_NOT_FOUND.into())))
    }
}

/// `{id}` of an investor in the JSON API.
pub struct ApiInvestorId(pub InvestorId);

impl<S: Send + Sync> FromRequestParts<S> for ApiInvestorId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(|id| ApiInvestorId(InvestorId(id)))
            .ok_or_else(|| ApiError(investor_not_found()))
    }
}

/// `{id}` of an investor on a page.
pub struct PageInvestorId(pub InvestorId);

impl<S: Send + Sync> FromRequestParts<S> for PageInvestorId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(|id| PageInvestorId(InvestorId(id)))
            .ok_or_else(|| PageError::from(investor_not_found()))
    }
}

/// `{id}` of a lead in the JSON API.
pub struct ApiLeadId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiLeadId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(ApiLeadId)
            .ok_or_else(|| ApiError(lead_not_found()))
    }
}

/// `{id}` of a lead on a page.
pub struct PageLeadId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageLeadId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(PageLeadId)
            .ok_or_else(|| PageError::from(lead_not_found()))
    }
}

/// `{id}` of a visit in the JSON API.
pub struct ApiVisitId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiVisitId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(ApiVisitId)
            .ok_or_else(|| ApiError(visit_not_found()))
    }
}

/// `{id}` of a visit on a page.
pub struct PageVisitId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageVisitId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(PageVisitId)
            .ok_or_else(|| PageError::from(visit_not_found()))
    }
}

/// `{id}` of a promotion event in the JSON API.
pub struct ApiEventId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiEventId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(ApiEventId)
            .ok_or_else(|| ApiError(event_not_found()))
    }
}

/// `{id}` of a promotion event on a page.
pub struct PageEventId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageEventId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(PageEventId)
            .ok_or_else(|| PageError::from(event_not_found()))
    }
}

/// `{id}` of a referrer in the JSON API.
pub struct ApiReferrerId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiReferrerId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(ApiReferrerId)
            .ok_or_else(|| ApiError(referrer_not_found()))
    }
}

/// `{id}` of a referrer on a page.
pub struct PageReferrerId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageReferrerId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(PageReferrerId)
            .ok_or_else(|| PageError::from(referrer_not_found()))
    }
}

/// `{id}` of an import in the JSON API.
pub struct ApiImportId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiImportId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(ApiImportId)
            .ok_or_else(|| ApiError(import_not_found()))
    }
}

/// `{id}` of an import on a page.
pub struct PageImportId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageImportId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        path_id(parts, state)
            .await
            .map(PageImportId)
            .ok_or_else(|| PageError::from(import_not_found()))
    }
}
