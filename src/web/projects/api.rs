//! Projects as JSON: money as integer yuan with a currency, errors as problem+json.

use crate::domain::area::Area;
use crate::domain::ids::{InvestorId, ReferrerId, UnitId, UserId};
use crate::domain::industry::IndustryCode;
use crate::domain::money::{Currency, Money};
use crate::domain::project::{
    ProjectFields, channel_choice, entry_date, entry_date_edit, industry_choice,
};
use crate::domain::transition::TransitionInput;
use crate::domain::validation::Invalid;
use crate::service::App;
use crate::service::projects::{ListParams, fields_of};
use crate::web::auth::ApiUser;
use crate::web::error::ApiError;
use crate::web::error::Problem;
use crate::web::extract::ApiProjectId;
use crate::web::json::{ApiResult, parse_body, required_version};
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use crate::web::projects::responses::{
    History, HistoryEntryResponse, ProjectList, ProjectResponse,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[utoipa::path(
    get,
    path = "/api/v1/projects",
    tag = "projects",
    operation_id = "projects_list",
    summary = "Projects the caller may see, filtered and paged, with sums",
    params(crate::service::projects::ListParams),
    responses(
        (status = 200, description = "一页项目与合计", body = ProjectList),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<ProjectList>> {
    let (page, sums) = app.list_projects(&actor, &params).await?;
    Ok(Json(ProjectList::of(page, sums)))
}

/// A money value as the API takes it.
#[derive(Deserialize, Debug, Clone, Copy, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MoneyJson {
    yuan: i64,
    currency: Currency,
}

/// Project fields in JSON; every one optional so PATCH can send only what changes.
#[derive(Deserialize, Debug, Default, utoipa::ToSchema)]
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
    /// On create: record it even though a project of the same name for the same investor
    /// exists (otherwise 409 listing them as `candidates`).
    confirm_duplicate: Option<bool>,
}

impl ProjectJson {
    /// The sent values over `base` (a PATCH's current facts; nothing for a create, where the
    /// unit defaults to `own_unit`): typed facts, or every problem. The rules on them are the
    /// domain's (`ProjectFields::checked`, applied by the service).
    fn fields(
        &self,
        base: Option<ProjectFields>,
        own_unit: UnitId,
    ) -> Result<ProjectFields, Invalid> {
        let mut errors = Invalid::default();
        let money = |m: MoneyJson| Money::new(m.yuan, m.currency);
        let area = |m2: i64| Area { m2 };
        let pick = |sent: &Option<Option<i64>>, current: Option<i64>| match sent {
            Some(v) => *v,
            None => current,
        };
        let text = |sent: &Option<Option<String>>, current: Option<String>| match sent {
            Some(v) => v.clone(),
            None => current,
        };
        let industry = match (&self.industry_code, base.as_ref().map(|b| b.industry)) {
            (None, Some(current)) => Some(current),
            (sent, _) => industry_choice(&mut errors, sent.as_deref().unwrap_or("")),
        };
        let channel = match &self.channel {
            Some(sent) => channel_choice(&mut errors, sent.as_deref().unwrap_or("")),
            None => base.as_ref().and_then(|b| b.channel),
        };
        let total_investment = match (self.total_investment, base.as_ref()) {
            (Some(m), _) => Some(money(m)),
            (None, Some(b)) => Some(b.total_investment),
            (None, None) => {
                errors.add("total_investment", "总投资不能为空");
                None
            }
        };
        // Without an industry or an amount there are no facts, but the other fields are still
        // judged (with stand-ins for those two) so that every problem is named at once.
        let complete = industry.is_some() && total_investment.is_some();
        let (Some(industry), Some(total_investment)) = (
            industry.or_else(|| IndustryCode::parse("01")),
            total_investment.or(Some(Money::new(1, Currency::Cny))),
        ) else {
            return Err(errors);
        };
        let base = base.as_ref();
        let fields = ProjectFields {
            name: self
                .name
                .clone()
                .or_else(|| base.map(|b| b.name.clone()))
                .unwrap_or_default(),
            investor_name: self
                .investor_name
                .clone()
                .or_else(|| base.map(|b| b.investor_name.clone()))
                .unwrap_or_default(),
            industry,
            channel,
            total_investment,
            land_area: pick(
                &self.land_area_m2,
                base.and_then(|b| b.land_area.map(|a| a.m2)),
            )
            .map(area),
            building_area: pick(
                &self.building_area_m2,
                base.and_then(|b| b.building_area.map(|a| a.m2)),
            )
            .map(area),
            expected_output: match self.expected_output {
                Some(v) => v.map(money),
                None => base.and_then(|b| b.expected_output),
            },
            expected_tax: match self.expected_tax {
                Some(v) => v.map(money),
                None => base.and_then(|b| b.expected_tax),
            },
            jobs: pick(&self.jobs, base.and_then(|b| b.jobs)),
            unit_id: Some(
                self.unit_id
                    .map(UnitId)
                    .or_else(|| base.and_then(|b| b.unit_id))
                    .unwrap_or(own_unit),
            ),
            officer_id: pick(
                &self.officer_id,
                base.and_then(|b| b.officer_id.map(|u| u.0)),
            )
            .map(UserId),
            leader_id: pick(&self.leader_id, base.and_then(|b| b.leader_id.map(|u| u.0)))
                .map(UserId),
            referrer: text(&self.referrer, base.and_then(|b| b.referrer.clone())),
            notes: text(&self.notes, base.and_then(|b| b.notes.clone())),
            investor_id: pick(
                &self.investor_id,
                base.and_then(|b| b.investor_id.map(|i| i.0)),
            )
            .map(InvestorId),
            referrer_id: pick(
                &self.referrer_id,
                base.and_then(|b| b.referrer_id.map(|r| r.0)),
            )
            .map(ReferrerId),
        };
        match fields.checked() {
            Ok(fields) if complete && errors.is_empty() => Ok(fields),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.0.extend(more.0);
                Err(errors)
            }
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/projects",
    tag = "projects",
    operation_id = "projects_create",
    summary = "Record a project (stage 线索)",
    request_body = ProjectJson,
    responses(
        (status = 201, description = "新项目", body = ProjectResponse),
        (status = 409, description = "可能重复：该投资方已有同名项目，candidates 列出；确认后带 confirm_duplicate: true 重发", body = Problem, content_type = "application/problem+json"),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn create_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<Response> {
    let body: ProjectJson = parse_body(&body)?;
    // Who may write is decided before what was sent is judged.
    app.may_write_projects(&actor).await?;
    let fields = body.fields(None, actor.unit_id);
    let lead_on = entry_date(body.lead_on.as_deref().unwrap_or(""), app.today());
    let (fields, lead_on) = match (fields, lead_on) {
        (Ok(f), Ok(d)) => (f, d),
        (Err(mut problems), Err(more)) => {
            problems.0.extend(more.0);
            return Err(ApiError(problems.into()));
        }
        (Err(problems), _) | (_, Err(problems)) => return Err(ApiError(problems.into())),
    };
    let confirm = body.confirm_duplicate.unwrap_or(false);
    let project = app
        .create_project(&actor, &fields, lead_on, confirm)
        .await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/projects/{}", project.id),
        )],
        Json(ProjectResponse::from(project)),
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    operation_id = "projects_show",
    summary = "One project",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "项目", body = ProjectResponse),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn show_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<ProjectResponse>> {
    Ok(Json(app.get_project(&actor, id).await?.into()))
}

#[utoipa::path(
    patch,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    operation_id = "projects_patch",
    summary = "Change a project's facts (with the version read)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body(
        content = ProjectJson,
        description = "只需所改字段；version（读取时的版本号）必填；lead_on 可更正，但不能晚于今天，也不能晚于项目此后第一次阶段变更或进展的日期"
    ),
    responses(
        (status = 200, description = "修改后的项目", body = ProjectResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn patch_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Json<ProjectResponse>> {
    let body: ProjectJson = parse_body(&body)?;
    let version = required_version(body.version)?;
    if body.confirm_duplicate.is_some() {
        return Err(ApiError(
            Invalid::single("confirm_duplicate", "confirm_duplicate 只用于新建项目").into(),
        ));
    }
    let current = app.project_for_update(&actor, id).await?;
    let lead_on = match body.lead_on.as_deref() {
        Some(text) if text.trim().is_empty() => Err(Invalid::single(
            "lead_on",
            "录入日期不能为空；不改就不要发送这个字段",
        )),
        Some(text) => entry_date_edit(text),
        None => Ok(None),
    };
    let fields = body.fields(Some(fields_of(&current)?), current.unit_id);
    let (fields, lead_on) = match (fields, lead_on) {
        (Ok(f), Ok(d)) => (f, d),
        (Err(mut e), Err(more)) => {
            e.0.extend(more.0);
            return Err(ApiError(e.into()));
        }
        (Err(e), _) | (_, Err(e)) => return Err(ApiError(e.into())),
    };
    Ok(Json(
        app.update_project(&actor, id, &fields, version, lead_on)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
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

#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/transitions",
    tag = "projects",
    operation_id = "projects_transition",
    summary = "Move a project to another stage",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = TransitionJson,
    responses(
        (status = 200, description = "变更后的项目", body = ProjectResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn transition_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Json<ProjectResponse>> {
    let body: TransitionJson = parse_body(&body)?;
    // Dates and codes are text in JSON too; the amount is typed as sent, never turned into 万.
    let written = TransitionInput {
        to: body.to,
        date: body.date,
        credit_code: body.credit_code,
        land_grant_date: body.land_grant_date,
        reason: body.reason,
        ..TransitionInput::default()
    };
    let request = match written.parse() {
        Ok(mut request) => {
            request.contract_amount = body.contract_amount.map(|m| Money::new(m.yuan, m.currency));
            request
        }
        // Refusals (role, scope) come before what was sent is judged.
        Err(problems) => {
            app.project_for_update(&actor, id).await?;
            return Err(ApiError(problems.into()));
        }
    };
    Ok(Json(
        app.transition_project(&actor, id, &request, body.version)
            .await?
            .into(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/history",
    tag = "projects",
    operation_id = "projects_history",
    summary = "A project's history: stage changes, notes, edits (also at /events)",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "项目历程", body = History),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn history_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<History>> {
    Ok(Json(History::of(app.project_history(&actor, id).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NoteJson {
    #[serde(default)]
    body: String,
    #[serde(default)]
    date: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/notes",
    tag = "projects",
    operation_id = "projects_note",
    summary = "Add a progress note",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = NoteJson,
    responses(
        (status = 201, description = "新的进展记录", body = HistoryEntryResponse),
        SignedIn,
        Found,
        Valid,
    ),
    security(("bearer" = [])),
)]

pub(super) async fn note_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: NoteJson = parse_body(&body)?;
    let entry = app.add_note(&actor, id, &body.body, &body.date).await?;
    Ok((StatusCode::CREATED, Json(HistoryEntryResponse::from(entry))).into_response())
}
