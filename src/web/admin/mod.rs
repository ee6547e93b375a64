//! The administrators' JSON API: units and accounts (system administrator), roles, units and
//! unlocking (security administrator).

pub(super) mod pages;
pub(super) mod views;

use super::auth::ApiUser;
use super::error::ApiError;
use super::extract::{ApiUnitId, ApiUserId};
use super::json::parse_body;
use crate::service::App;
use crate::service::admin::AccountView;
use crate::store::units::Unit;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/units", get(list_units).post(create_unit))
        .route("/units/{id}", axum::routing::patch(change_unit))
        .route("/units/{id}/retire", post(retire_unit))
        .route("/users", get(list_accounts).post(create_account))
        .route("/users/{id}", axum::routing::patch(assign))
        .route("/users/{id}/disable", post(disable))
        .route("/users/{id}/enable", post(enable))
        .route("/users/{id}/reset-password", post(reset_password))
        .route("/users/{id}/unlock", post(unlock))
}

async fn list_units(State(app): State<App>, ApiUser(actor): ApiUser) -> ApiResult<Json<Value>> {
    let items = app.admin_units(&actor).await?;
    Ok(Json(json!({ "items": items, "total": items.len() })))
}

#[derive(Deserialize)]
struct NewUnit {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    parent: Option<String>,
}

async fn create_unit(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Unit>)> {
    let body: NewUnit = parse_body(&body)?;
    let unit = app
        .admin_create_unit(&actor, &body.code, &body.name, body.parent.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(unit)))
}

#[derive(Deserialize)]
struct UnitChange {
    name: Option<String>,
    parent: Option<String>,
}

async fn change_unit(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUnitId(id): ApiUnitId,
    body: Bytes,
) -> ApiResult<Json<Unit>> {
    let body: UnitChange = parse_body(&body)?;
    Ok(Json(
        app.admin_change_unit(&actor, id, body.name.as_deref(), body.parent.as_deref())
            .await?,
    ))
}

async fn retire_unit(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUnitId(id): ApiUnitId,
) -> ApiResult<Json<Unit>> {
    Ok(Json(app.admin_retire_unit(&actor, id).await?))
}

async fn list_accounts(State(app): State<App>, ApiUser(actor): ApiUser) -> ApiResult<Json<Value>> {
    let items = app.admin_accounts(&actor).await?;
    Ok(Json(json!({ "items": items, "total": items.len() })))
}

#[derive(Deserialize)]
struct NewAccount {
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    /// For an enterprise account: the credit code of the 客商库 record it speaks for.
    #[serde(default)]
    enterprise_credit_code: String,
}

async fn create_account(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let body: NewAccount = parse_body(&body)?;
    let (account, password) = app
        .admin_create_account(
            &actor,
            &body.login,
            &body.name,
            &body.role,
            &body.unit,
            &body.enterprise_credit_code,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user": account, "one_time_password": password })),
    ))
}

#[derive(Deserialize)]
struct Assignment {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    enterprise_credit_code: String,
}

async fn assign(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
    body: Bytes,
) -> ApiResult<Json<AccountView>> {
    let body: Assignment = parse_body(&body)?;
    Ok(Json(
        app.admin_assign(
            &actor,
            id,
            &body.role,
            &body.unit,
            &body.enterprise_credit_code,
        )
        .await?,
    ))
}

async fn disable(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(app.admin_set_active(&actor, id, false).await?))
}

async fn enable(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(app.admin_set_active(&actor, id, true).await?))
}

async fn reset_password(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<Value>> {
    let (account, password) = app.admin_reset_password(&actor, id).await?;
    Ok(Json(
        json!({ "user": account, "one_time_password": password }),
    ))
}

async fn unlock(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(app.admin_unlock(&actor, id).await?))
}
