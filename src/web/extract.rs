//! Path parameters parsed at the edge: a malformed id answers exactly like a missing record
//! (404 in the caller's format), never with the framework's plain-text rejection.

use super::error::{ApiError, PageError};
use crate::domain::ids::ProjectId;
use crate::error::Error;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

async fn project_id<S: Send + Sync>(parts: &mut Parts, state: &S) -> Option<ProjectId> {
    let Path(text) = Path::<String>::from_request_parts(parts, state)
        .await
        .ok()?;
    text.parse::<i64>().ok().filter(|id| *id > 0).map(ProjectId)
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
pub struct ApiUserId(pub crate::domain::ids::UserId);

impl<S: Send + Sync> FromRequestParts<S> for ApiUserId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError(Error::NotFound("账号不存在".into())))?;
        text.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| ApiUserId(crate::domain::ids::UserId(id)))
            .ok_or_else(|| ApiError(Error::NotFound("账号不存在".into())))
    }
}
