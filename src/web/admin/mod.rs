//! The administrators' JSON API: units and accounts (system administrator), roles, units and
//! unlocking (security administrator).

pub(super) mod pages;
pub(super) mod responses;
pub(super) mod views;

use super::auth::ApiUser;
use super::error::ApiError;
use super::extract::{ApiUnitId, ApiUserId};
use super::json::parse_body;
use super::openapi::Items;
use crate::service::App;
use crate::service::admin::AccountView;
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use responses::UnitResponse;
use serde::Deserialize;

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

#[utoipa::path(
    get,
    path = "/api/v1/units",
    tag = "admin",
    operation_id = "admin_list_units",
    summary = "Units (administrators)",
    responses(
        (status = 200, description = "单位", body = Items<UnitResponse>),
        SignedIn,
    ),
    security(("bearer" = [])),
)]
async fn list_units(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Items<UnitResponse>>> {
    let units = app.admin_units(&actor).await?;
    Ok(Json(Items::of(
        units.into_iter().map(UnitResponse::from).collect(),
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewUnit {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    parent: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/units",
    tag = "admin",
    operation_id = "admin_create_unit",
    summary = "Create a unit",
    request_body = NewUnit,
    responses(
        (status = 201, description = "新单位", body = UnitResponse),
        SignedIn,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn create_unit(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<UnitResponse>)> {
    let body: NewUnit = parse_body(&body)?;
    let unit = app
        .admin_create_unit(&actor, &body.code, &body.name, body.parent.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(unit.into())))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct UnitChange {
    name: Option<String>,
    parent: Option<String>,
}

#[utoipa::path(
    patch,
    path = "/api/v1/units/{id}",
    tag = "admin",
    operation_id = "admin_change_unit",
    summary = "Rename or move a unit",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = UnitChange,
    responses(
        (status = 200, description = "修改后的单位", body = UnitResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn change_unit(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUnitId(id): ApiUnitId,
    body: Bytes,
) -> ApiResult<Json<UnitResponse>> {
    let body: UnitChange = parse_body(&body)?;
    Ok(Json(
        app.admin_change_unit(&actor, id, body.name.as_deref(), body.parent.as_deref())
            .await?
            .into(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/units/{id}/retire",
    tag = "admin",
    operation_id = "admin_retire_unit",
    summary = "Retire a unit",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "已撤销的单位", body = UnitResponse),
        SignedIn,
        Found,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn retire_unit(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUnitId(id): ApiUnitId,
) -> ApiResult<Json<UnitResponse>> {
    Ok(Json(app.admin_retire_unit(&actor, id).await?.into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "admin",
    operation_id = "admin_list_accounts",
    summary = "Accounts (administrators)",
    responses(
        (status = 200, description = "账号", body = Items<AccountView>),
        SignedIn,
    ),
    security(("bearer" = [])),
)]
async fn list_accounts(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Items<AccountView>>> {
    Ok(Json(Items::of(app.admin_accounts(&actor).await?)))
}

/// A new account: no role (the security administrator gives it one, see `Assignment`).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "admin",
    operation_id = "admin_create_account",
    summary = "Create an account with a one-time password and no role (the security administrator assigns one)",
    request_body = NewAccount,
    responses(
        (status = 201, description = "新账号及一次性密码", body = OneTimePassword),
        SignedIn,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn create_account(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<OneTimePassword>)> {
    let body: NewAccount = parse_body(&body)?;
    let (account, password) = app
        .admin_create_account(&actor, &body.login, &body.name, &body.unit)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(OneTimePassword {
            user: account,
            one_time_password: password,
        }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct Assignment {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    enterprise_credit_code: String,
}

#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "admin",
    operation_id = "admin_assign",
    summary = "Assign an account's role and unit (security administrator)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = Assignment,
    responses(
        (status = 200, description = "账号", body = AccountView),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
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

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/disable",
    tag = "admin",
    operation_id = "admin_disable",
    summary = "Disable an account",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "账号", body = AccountView),
        SignedIn,
        Found,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn disable(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(app.admin_set_active(&actor, id, false).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/enable",
    tag = "admin",
    operation_id = "admin_enable",
    summary = "Enable an account",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "账号", body = AccountView),
        SignedIn,
        Found,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn enable(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(app.admin_set_active(&actor, id, true).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/reset-password",
    tag = "admin",
    operation_id = "admin_reset_password",
    summary = "Reset an account's password to a one-time password",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "账号及一次性密码", body = OneTimePassword),
        SignedIn,
        Found,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn reset_password(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<OneTimePassword>> {
    let (account, password) = app.admin_reset_password(&actor, id).await?;
    Ok(Json(OneTimePassword {
        user: account,
        one_time_password: password,
    }))
}

/// An account and its one-time password, shown this once.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct OneTimePassword {
    user: AccountView,
    one_time_password: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/unlock",
    tag = "admin",
    operation_id = "admin_unlock",
    summary = "Unlock an account locked by failed sign-ins",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "账号", body = AccountView),
        SignedIn,
        Found,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn unlock(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiUserId(id): ApiUserId,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(app.admin_unlock(&actor, id).await?))
}
