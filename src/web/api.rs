//! JSON API under /api/v1: the same use cases as the pages. Money is integer yuan with a
//! currency; errors are application/problem+json.

use super::auth::{ApiUser, ClientAddr, bearer_token};
use super::error::ApiError;
use super::extract::ApiProjectId;
use crate::domain::listing::Totals;
use crate::domain::money::{Currency, Money};
use crate::domain::project::ProjectInput;
use crate::domain::transition::TransitionInput;
use crate::domain::validation::Invalid;
use crate::service::App;
use crate::service::projects::{ListParams, input_of};
use crate::store::projects::{Event, Project};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out))
        .route("/session/password", post(change_password))
        .route("/projects", get(list).post(create))
        .route("/projects/{id}", get(show).patch(patch))
        .route("/projects/{id}/transitions", post(transition))
        .route("/projects/{id}/events", get(events))
        .route("/projects/{id}/notes", post(note))
        .fallback(unknown_endpoint)
}

type ApiResult<T> = Result<T, ApiError>;

/// The `version` a change must carry (the one it was read at), so no one's edit is lost.
pub(super) fn required_version(version: Option<i64>) -> ApiResult<i64> {
    version.ok_or_else(|| {
        ApiError(
            Invalid::single(
                "version",
                "修改须携带读取时的版本号 version（防止覆盖他人的修改）",
            )
            .into(),
        )
    })
}

/// Parses a JSON body ourselves so a malformed one is a problem+json, not a bare text error.
pub(super) fn parse_body<T: DeserializeOwned>(bytes: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("请求体不是有效的 JSON 或字段类型不对：{e}")))
}

#[derive(Deserialize)]
struct SignIn {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

async fn sign_in(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    body: Bytes,
) -> ApiResult<Response> {
    let body: SignIn = parse_body(&body)?;
    let (token, actor) = app
        .sign_in_from(&body.login, &body.password, client.as_deref())
        .await?;
    Ok(Json(serde_json::json!({
        "token": token.0,
        "user": { "id": actor.id, "login": actor.login, "name": actor.name, "role": actor.role, "unit_id": actor.unit_id },
        "expires_in": app.config.session_max_hours * 3600,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct PasswordChange {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    /// Optional for API callers: the new password typed again.
    confirm: Option<String>,
}

async fn change_password(
    State(app): State<App>,
    headers: HeaderMap,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let body: PasswordChange = parse_body(&body)?;
    let confirm = body.confirm.as_deref().unwrap_or(&body.new);
    app.change_password(
        &actor,
        &bearer_token(&headers).unwrap_or_default(),
        &body.current,
        &body.new,
        confirm,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn sign_out(
    State(app): State<App>,
    headers: HeaderMap,
    ApiUser(actor): ApiUser,
) -> ApiResult<StatusCode> {
    let token = bearer_token(&headers).unwrap_or_default();
    app.sign_out(&token, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct ListBody {
    items: Vec<Project>,
    total: i64,
    page: i64,
    per_page: i64,
    sums: Totals,
}

async fn list(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<ListBody>> {
    let page = app.list_projects(&actor, &params).await?;
    Ok(Json(ListBody {
        total: page.totals.count,
        page: page.page,
        per_page: page.per_page,
        sums: page.totals,
        items: page.items,
    }))
}

/// A money value as the API takes it.
#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct MoneyJson {
    yuan: i64,
    currency: Currency,
}

/// Project fields in JSON; every one optional so PATCH can send only what changes.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct ProjectJson {
    name: Option<String>,
    investor_name: Option<String>,
    industry_code: Option<String>,
    channel: Option<Option<String>>,
    total_investment: Option<MoneyJson>,
    land_area_m2: Option<Option<i64>>,
    building_area_m2: Option<Option<i64>>,
    expected_output: Option<Option<MoneyJson>>,
    expected_tax: Option<Option<MoneyJson>>,
    jobs: Option<Option<i64>>,
    unit_id: Option<i64>,
    officer_id: Option<Option<i64>>,
    leader_id: Option<Option<i64>>,
    referrer: Option<Option<String>>,
    notes: Option<Option<String>>,
    investor_id: Option<Option<i64>>,
    referrer_id: Option<Option<i64>>,
    lead_on: Option<String>,
    version: Option<i64>,
}

fn wan_of(m: MoneyJson) -> String {
    Money::new(m.yuan, m.currency).wan_plain()
}

impl ProjectJson {
    /// Overlays the given fields on `base` (empty for a create).
    fn apply(&self, mut base: ProjectInput, errors: &mut Invalid) -> ProjectInput {
        let text = |v: &Option<Option<String>>, slot: &mut String| {
            if let Some(v) = v {
                *slot = v.clone().unwrap_or_default();
            }
        };
        let num = |v: &Option<Option<i64>>, slot: &mut String| {
            if let Some(v) = v {
                *slot = v.map(|n| n.to_string()).unwrap_or_default();
            }
        };
        if let Some(v) = &self.name {
            base.name = v.clone();
        }
        if let Some(v) = &self.investor_name {
            base.investor_name = v.clone();
        }
        if let Some(v) = &self.industry_code {
            base.industry_code = v.clone();
        }
        text(&self.channel, &mut base.channel);
        if let Some(m) = self.total_investment {
            base.total_investment = wan_of(m);
            base.currency = m.currency.code().to_string();
        }
        if let Some(v) = self.land_area_m2 {
            base.land_area_m2 = v.map(|n| n.to_string()).unwrap_or_default();
            base.land_area.clear();
        }
        num(&self.building_area_m2, &mut base.building_area);
        for (field, value, slot) in [
            (
                "expected_output",
                self.expected_output,
                &mut base.expected_output,
            ),
            ("expected_tax", self.expected_tax, &mut base.expected_tax),
        ] {
            if let Some(v) = value {
                if let Some(m) = v.filter(|m| m.currency != Currency::Cny) {
                    errors.add(
                        field,
                        format!(
                            "{}须以人民币（CNY）计，收到 {}",
                            crate::domain::glossary::field_label(field),
                            m.currency.code()
                        ),
                    );
                }
                *slot = v.map(wan_of).unwrap_or_default();
            }
        }
        num(&self.jobs, &mut base.jobs);
        if let Some(v) = self.unit_id {
            base.unit_id = v.to_string();
        }
        num(&self.officer_id, &mut base.officer_id);
        num(&self.leader_id, &mut base.leader_id);
        text(&self.referrer, &mut base.referrer);
        text(&self.notes, &mut base.notes);
        num(&self.investor_id, &mut base.investor_id);
        num(&self.referrer_id, &mut base.referrer_id);
        base
    }
}

async fn create(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<Response> {
    let body: ProjectJson = parse_body(&body)?;
    let mut errors = Invalid::default();
    let mut input = body.apply(ProjectInput::default(), &mut errors);
    if input.unit_id.is_empty() {
        input.unit_id = actor.unit_id.to_string();
    }
    if !errors.is_empty() {
        return Err(ApiError(errors.into()));
    }
    let project = app
        .create_project(&actor, &input, body.lead_on.as_deref().unwrap_or(""))
        .await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/projects/{}", project.id),
        )],
        Json(project),
    )
        .into_response())
}

async fn unknown_endpoint() -> ApiError {
    ApiError(crate::error::Error::NotFound("没有这个接口".into()))
}

async fn show(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<Project>> {
    Ok(Json(app.get_project(&actor, id).await?))
}

async fn patch(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Json<Project>> {
    let body: ProjectJson = parse_body(&body)?;
    let version = required_version(body.version)?;
    if body.lead_on.is_some() {
        return Err(ApiError(
            Invalid::single("lead_on", "录入日期创建后不能修改").into(),
        ));
    }
    let current = app.project_for_update(&actor, id).await?;
    let mut errors = Invalid::default();
    let input = body.apply(input_of(&current), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError(errors.into()));
    }
    Ok(Json(app.update_project(&actor, id, &input, version).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransitionJson {
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: String,
    contract_amount: Option<MoneyJson>,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    land_grant_date: String,
    #[serde(default)]
    reason: String,
    version: Option<i64>,
}

async fn transition(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Json<Project>> {
    let body: TransitionJson = parse_body(&body)?;
    let input = TransitionInput {
        to: body.to,
        date: body.date,
        contract_amount: body.contract_amount.map(wan_of).unwrap_or_default(),
        contract_currency: body
            .contract_amount
            .map(|m| m.currency.code().to_string())
            .unwrap_or_default(),
        credit_code: body.credit_code,
        land_grant_date: body.land_grant_date,
        reason: body.reason,
    };
    Ok(Json(
        app.transition_project(&actor, id, &input, body.version)
            .await?,
    ))
}

async fn events(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<serde_json::Value>> {
    let items: Vec<Event> = app.project_events(&actor, id).await?;
    Ok(Json(serde_json::json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteJson {
    #[serde(default)]
    body: String,
    #[serde(default)]
    date: String,
}

async fn note(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: NoteJson = parse_body(&body)?;
    let event = app.add_note(&actor, id, &body.body, &body.date).await?;
    Ok((StatusCode::CREATED, Json(event)).into_response())
}
