//! Leads over the JSON API (`/api/v1/leads`) and as pages (`/leads`).

pub(super) mod responses;
pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::extract::{ApiLeadId, EditForm, PageLeadId};
use super::json::parse_body;
use super::views::{Layout, LeadDetailPage, LeadFormPage, LeadListPage, LeadRow, Listing, Saved};
use crate::domain::ids::InvestorId;
use crate::domain::industry::IndustryCode;
use crate::domain::lead::{self, LeadFields, LeadInput};
use crate::domain::money::Money;
use crate::domain::records::lead::Lead;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::leads::{ConvertInput, LeadParams};
use crate::service::{App, Page};
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use crate::web::projects::responses::ProjectResponse;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use responses::{LeadDetail, LeadResponse};
use serde::Deserialize;
use std::collections::HashMap;

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/leads", get(list_api).post(submit_api))
        .route("/leads/{id}", get(detail_api).patch(update_api))
        .route("/leads/{id}/assign", post(assign_api))
        .route("/leads/{id}/notes", post(note_api))
        .route("/leads/{id}/drop", post(drop_api))
        .route("/leads/{id}/convert", post(convert_api))
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/leads", get(list_page).post(submit_page))
        .route("/leads/new", get(new_page))
        .route("/leads/{id}", get(detail_page).post(update_page))
        .route("/leads/{id}/edit", get(edit_page))
        .route("/leads/{id}/assign", post(assign_page))
        .route("/leads/{id}/notes", post(note_page))
        .route("/leads/{id}/drop", post(drop_page))
        .route("/leads/{id}/convert", post(convert_page))
}

// ---- JSON API ----

/// Lead fields in JSON (money as `{"yuan","currency"}`); every one optional for PATCH.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LeadJson {
    title: Option<String>,
    investor_name: Option<String>,
    investor_id: Option<Option<i64>>,
    industry_code: Option<Option<String>>,
    amount: Option<Option<MoneyJson>>,
    channel: Option<Option<String>>,
    source: Option<Option<String>>,
    contact: Option<Option<String>>,
    notes: Option<Option<String>>,
    /// 获取日期, `YYYY-MM-DD` (blank or absent on creation: today).
    received_on: Option<Option<String>>,
    version: Option<i64>,
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MoneyJson {
    yuan: i64,
    currency: crate::domain::money::Currency,
}

impl LeadJson {
    /// The sent values over `base` (a PATCH's current facts, or an empty lead): typed facts, or
    /// every problem. The rules on them are the domain's (`LeadFields::checked`).
    fn fields(&self, base: LeadFields) -> Result<LeadFields, Invalid> {
        let mut errors = Invalid::default();
        let text = |sent: &Option<Option<String>>, current: Option<String>| match sent {
            Some(v) => v.clone(),
            None => current,
        };
        let industry = match &self.industry_code {
            Some(sent) => lead::industry_choice(&mut errors, sent.as_deref().unwrap_or("")),
            None => base.industry,
        };
        let channel = match &self.channel {
            Some(sent) => lead::channel_choice(&mut errors, sent.as_deref().unwrap_or("")),
            None => base.channel,
        };
        let received_on = match &self.received_on {
            None => base.received_on,
            Some(None) => None,
            Some(Some(text)) if text.trim().is_empty() => None,
            Some(Some(text)) => {
                let parsed = crate::domain::dates::parse_date(text);
                if parsed.is_none() {
                    errors.add("received_on", lead::received_on_unreadable(text.trim()));
                }
                parsed
            }
        };
        let fields = LeadFields {
            received_on,
            title: self.title.clone().unwrap_or(base.title),
            investor_name: self.investor_name.clone().unwrap_or(base.investor_name),
            investor_id: match self.investor_id {
                Some(v) => v.map(InvestorId),
                None => base.investor_id,
            },
            industry,
            amount: match self.amount {
                Some(v) => v.map(|m| Money::new(m.yuan, m.currency)),
                None => base.amount,
            },
            channel,
            source: text(&self.source, base.source),
            contact: text(&self.contact, base.contact),
            notes: text(&self.notes, base.notes),
        };
        match fields.checked() {
            Ok(fields) if errors.is_empty() => Ok(fields),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.0.extend(more.0);
                Err(errors)
            }
        }
    }
}

/// A lead's facts as typed values: what a partial change (the API's PATCH) starts from.
fn fields_of(l: &Lead) -> LeadFields {
    LeadFields {
        title: l.title.clone(),
        investor_name: l.investor_name.clone(),
        investor_id: l.investor_id,
        industry: l.industry_code.as_deref().and_then(IndustryCode::parse),
        amount: l.amount,
        channel: l.channel,
        source: l.source.clone(),
        contact: l.contact.clone(),
        notes: l.notes.clone(),
        received_on: Some(l.received_on),
    }
}

/// An empty lead: what a submission's sent values go over.
fn no_lead() -> LeadFields {
    LeadFields {
        title: String::new(),
        investor_name: String::new(),
        investor_id: None,
        industry: None,
        amount: None,
        channel: None,
        source: None,
        contact: None,
        notes: None,
        received_on: None,
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/leads",
    tag = "leads",
    operation_id = "leads_list",
    summary = "Leads the caller may see, filtered and paged",
    params(crate::service::leads::LeadParams),
    responses(
        (status = 200, description = "一页线索", body = Page<LeadResponse>),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<LeadParams>,
) -> ApiResult<Json<Page<LeadResponse>>> {
    let page = app.list_leads(&actor, &params).await?;
    Ok(Json(page.map(LeadResponse::from)))
}

#[utoipa::path(
    post,
    path = "/api/v1/leads",
    tag = "leads",
    operation_id = "leads_submit",
    summary = "Submit a lead",
    request_body = LeadJson,
    responses(
        (status = 201, description = "新线索", body = LeadResponse),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn submit_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<Response> {
    let body: LeadJson = parse_body(&body)?;
    // Who may submit is decided before what was sent is judged.
    app.may_submit_leads(&actor).await?;
    let fields = body
        .fields(no_lead())
        .map_err(|problems| ApiError(problems.into()))?;
    let lead = app.submit_lead(&actor, &fields).await?;
    Ok((StatusCode::CREATED, Json(LeadResponse::from(lead))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/leads/{id}",
    tag = "leads",
    operation_id = "leads_detail",
    summary = "One lead with its follow-ups",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "线索及跟进记录", body = LeadDetail),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]
async fn detail_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiLeadId(id): ApiLeadId,
) -> ApiResult<Json<LeadDetail>> {
    let (lead, follow_ups) = app.get_lead(&actor, id).await?;
    Ok(Json(LeadDetail::of(lead, follow_ups)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/leads/{id}",
    tag = "leads",
    operation_id = "leads_update",
    summary = "Change a lead (with the version read)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = LeadJson,
    responses(
        (status = 200, description = "修改后的线索", body = LeadResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn update_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiLeadId(id): ApiLeadId,
    body: Bytes,
) -> ApiResult<Json<LeadResponse>> {
    let body: LeadJson = parse_body(&body)?;
    let version = super::json::required_version(body.version)?;
    let current = app.lead_for_work(&actor, id).await?;
    let fields = body
        .fields(fields_of(&current))
        .map_err(|problems| ApiError(problems.into()))?;
    Ok(Json(
        app.update_lead(&actor, id, &fields, version).await?.into(),
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct AssignJson {
    unit_id: Option<i64>,
    officer_id: Option<i64>,
    version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/leads/{id}/assign",
    tag = "leads",
    operation_id = "leads_assign",
    summary = "Assign a lead to a unit and officer",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = AssignJson,
    responses(
        (status = 200, description = "分派后的线索", body = LeadResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn assign_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiLeadId(id): ApiLeadId,
    body: Bytes,
) -> ApiResult<Json<LeadResponse>> {
    let body: AssignJson = parse_body(&body)?;
    let unit = body.unit_id.map(|u| u.to_string()).unwrap_or_default();
    let officer = body.officer_id.map(|u| u.to_string()).unwrap_or_default();
    Ok(Json(
        app.assign_lead(&actor, id, &unit, &officer, body.version)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
struct NoteJson {
    body: String,
    date: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/leads/{id}/notes",
    tag = "leads",
    operation_id = "leads_note",
    summary = "Add a follow-up to a lead",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = NoteJson,
    responses(
        (status = 201, description = "线索", body = LeadResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn note_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiLeadId(id): ApiLeadId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: NoteJson = parse_body(&body)?;
    let lead = app.note_lead(&actor, id, &body.body, &body.date).await?;
    Ok((StatusCode::CREATED, Json(LeadResponse::from(lead))).into_response())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct DropJson {
    #[serde(default)]
    reason: String,
    version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/leads/{id}/drop",
    tag = "leads",
    operation_id = "leads_drop",
    summary = "Give up a lead, saying why",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = DropJson,
    responses(
        (status = 200, description = "已放弃的线索", body = LeadResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn drop_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiLeadId(id): ApiLeadId,
    body: Bytes,
) -> ApiResult<Json<LeadResponse>> {
    let body: DropJson = parse_body(&body)?;
    Ok(Json(
        app.drop_lead(&actor, id, &body.reason, body.version)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ConvertJson {
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: String,
    total_investment: Option<MoneyJson>,
    #[serde(default)]
    industry_code: String,
    /// The project's name (absent or blank: the lead's title).
    #[serde(default)]
    name: String,
    /// The 客商库 record to link; absent: the lead's own, else the one record of that name
    /// within reach, else a new record of the lead's investor (of `investor_kind`).
    investor_id: Option<i64>,
    /// The kind of a new 客商库 record (`private` when absent).
    #[serde(default)]
    investor_kind: String,
    /// The referrer (引荐人) to credit; absent credits nobody.
    referrer_id: Option<i64>,
    version: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/leads/{id}/convert",
    tag = "leads",
    operation_id = "leads_convert",
    summary = "Turn a lead into a project",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = ConvertJson,
    responses(
        (status = 201, description = "新项目", body = ProjectResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn convert_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiLeadId(id): ApiLeadId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: ConvertJson = parse_body(&body)?;
    let input = ConvertInput {
        to: body.to,
        date: body.date,
        total_investment: body
            .total_investment
            .map(|m| Money::new(m.yuan, m.currency).wan_plain())
            .unwrap_or_default(),
        currency: body
            .total_investment
            .map(|m| m.currency.code().to_string())
            .unwrap_or_default(),
        industry_code: body.industry_code,
        name: body.name,
        investor_id: body.investor_id.map(|i| i.to_string()).unwrap_or_default(),
        investor_kind: body.investor_kind,
        referrer_id: body.referrer_id.map(|r| r.to_string()).unwrap_or_default(),
    };
    let (_, project) = app.convert_lead(&actor, id, &input, body.version).await?;
    Ok((StatusCode::CREATED, Json(ProjectResponse::from(project))).into_response())
}

// ---- Pages ----

fn lead_href(params: &LeadParams, page: i64) -> String {
    let pairs = [
        ("q", params.q.as_str()),
        ("status", &params.status),
        ("investor_id", &params.investor_id),
        ("officer", &params.officer),
        ("overdue", &params.overdue),
        ("mine", &params.mine),
    ];
    super::views::link("/leads", &pairs, page)
}

async fn list_page(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<LeadParams>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let list = Listing::of(
        app.list_leads(&user.actor, &params).await,
        |l| LeadRow::of(&l),
        |n| lead_href(&params, n),
    )
    .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    if let Some(to_last) = list.past_end() {
        return Ok(to_last);
    }
    Ok((
        list.status(),
        LeadListPage {
            statuses: LeadListPage::status_opts(&params.status),
            list,
            params,
            layout,
        },
    )
        .into_response())
}

#[derive(Deserialize, Default)]
struct NewQuery {
    /// Submitting a lead about this 客商库 record: its name and industry are filled in.
    investor_id: Option<String>,
}

async fn new_page(
    State(app): State<App>,
    user: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    app.may_submit_leads(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let mut input = LeadInput::default();
    if let Some(id) = q.investor_id.and_then(|t| t.trim().parse::<i64>().ok()) {
        let investor = app
            .get_investor(&user.actor, crate::domain::ids::InvestorId(id))
            .await
            .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
        input.investor_id = investor.id.to_string();
        input.investor_name = investor.name;
        input.industry_code = investor.industry_code.unwrap_or_default();
    }
    Ok(LeadFormPage::build(Layout::of(&user.actor), input, Invalid::default()).into_response())
}

async fn submit_page(
    State(app): State<App>,
    user: PageUser,
    Form(input): Form<LeadInput>,
) -> Result<Response, PageError> {
    let submitted = match input.parse() {
        Ok(fields) => app.submit_lead(&user.actor, &fields).await,
        // Who may submit is decided before what was typed is judged.
        Err(problems) => match app.may_submit_leads(&user.actor).await {
            Ok(()) => Err(Error::Invalid(problems)),
            Err(refused) => Err(refused),
        },
    };
    match submitted {
        Ok(lead) => Ok(Redirect::to(&format!("/leads/{}?msg=submitted", lead.id)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            LeadFormPage::build(Layout::of(&user.actor), input, errors),
        )
            .into_response()),
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    msg: Option<String>,
}

/// A refused action on the lead page: which form, what was typed, why.
pub struct Refused {
    pub action: &'static str,
    pub typed: HashMap<String, String>,
    pub errors: Invalid,
    pub problem: Option<String>,
}

async fn render_detail(
    app: &App,
    user: &PageUser,
    id: crate::domain::ids::LeadId,
    msg: Option<&str>,
    refused: Option<Refused>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let (lead, notes) = app
        .get_lead(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    let choices = if crate::service::leads::may_assign(&user.actor, &lead) {
        Some(
            app.form_choices(&user.actor)
                .await
                .map_err(|e| PageError::App(e, Some(layout.clone())))?,
        )
    } else {
        None
    };
    let convert = if crate::service::leads::may_work(&user.actor, &lead) {
        Some(
            app.convert_choices(&user.actor, &lead)
                .await
                .map_err(|e| PageError::App(e, Some(layout.clone())))?,
        )
    } else {
        None
    };
    let flash = match msg {
        Some("submitted") => Some("线索已提交。"),
        Some("saved") => Some("修改已保存。"),
        Some("assigned") => Some("线索已分派。"),
        Some("noted") => Some("跟进情况已记录。"),
        Some("dropped") => Some("线索已放弃。"),
        _ => None,
    };
    let page = LeadDetailPage::build(
        layout,
        &user.actor,
        lead,
        notes,
        choices.as_ref(),
        convert.as_ref(),
        app.today(),
        flash.map(str::to_string),
        refused,
    );
    Ok((status, page).into_response())
}

async fn detail_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    render_detail(&app, &user, id, q.msg.as_deref(), None, StatusCode::OK).await
}

/// After an action: on to the lead (or the new project), or the page again with the reason.
async fn after_action<T>(
    app: &App,
    user: &PageUser,
    id: crate::domain::ids::LeadId,
    action: &'static str,
    typed: HashMap<String, String>,
    outcome: crate::error::Result<T>,
    done: impl FnOnce(T) -> String,
) -> Result<Response, PageError> {
    let (errors, problem, status) = match outcome {
        Ok(value) => return Ok(Redirect::to(&done(value)).into_response()),
        Err(Error::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Error::Conflict(m)) => (Invalid::default(), Some(m), StatusCode::CONFLICT),
        Err(e) => return Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    };
    let refused = Refused {
        action,
        typed,
        errors,
        problem,
    };
    render_detail(app, user, id, None, Some(refused), status).await
}

fn field(form: &HashMap<String, String>, key: &str) -> String {
    form.get(key).cloned().unwrap_or_default()
}

fn version_of(form: &HashMap<String, String>) -> Option<i64> {
    form.get("version").and_then(|v| v.trim().parse().ok())
}

async fn assign_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let outcome = app
        .assign_lead(
            &user.actor,
            id,
            &field(&form, "unit_id"),
            &field(&form, "officer_id"),
            version_of(&form),
        )
        .await;
    after_action(&app, &user, id, "assign", form, outcome, |l| {
        format!("/leads/{}?msg=assigned", l.id)
    })
    .await
}

async fn note_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let outcome = app
        .note_lead(
            &user.actor,
            id,
            &field(&form, "body"),
            &field(&form, "date"),
        )
        .await;
    after_action(&app, &user, id, "note", form, outcome, |l| {
        format!("/leads/{}?msg=noted", l.id)
    })
    .await
}

async fn drop_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let outcome = app
        .drop_lead(&user.actor, id, &field(&form, "reason"), version_of(&form))
        .await;
    after_action(&app, &user, id, "drop", form, outcome, |l| {
        format!("/leads/{}?msg=dropped", l.id)
    })
    .await
}

async fn convert_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let input = ConvertInput {
        to: field(&form, "to"),
        date: field(&form, "date"),
        total_investment: field(&form, "total_investment"),
        currency: field(&form, "currency"),
        industry_code: field(&form, "industry_code"),
        name: field(&form, "name"),
        investor_id: field(&form, "investor_id"),
        investor_kind: field(&form, "investor_kind"),
        referrer_id: field(&form, "referrer_id"),
    };
    let outcome = app
        .convert_lead(&user.actor, id, &input, version_of(&form))
        .await;
    after_action(&app, &user, id, "convert", form, outcome, |(_, p)| {
        format!("/projects/{}?msg=converted", p.id)
    })
    .await
}

async fn edit_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let lead = app
        .lead_for_work(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    Ok(
        LeadFormPage::build(layout, LeadInput::from(&lead), Invalid::default())
            .editing(id, lead.version, None)
            .into_response(),
    )
}

async fn update_page(
    State(app): State<App>,
    user: PageUser,
    PageLeadId(id): PageLeadId,
    Form(form): Form<EditForm<LeadInput>>,
) -> Result<Response, PageError> {
    let version = form.version();
    let layout = Layout::of(&user.actor);
    let saved = match form.input.parse() {
        Ok(fields) => app.update_lead(&user.actor, id, &fields, version).await,
        // Refusals (role, scope) come before what was typed is judged.
        Err(problems) => match app.lead_for_work(&user.actor, id).await {
            Ok(_) => Err(Error::Invalid(problems)),
            Err(refused) => Err(refused),
        },
    };
    match Saved::sort(saved, &layout) {
        Saved::Done(_) => Ok(Redirect::to(&format!("/leads/{id}?msg=saved")).into_response()),
        Saved::Refused(r) => Ok((
            r.status,
            LeadFormPage::build(layout, form.input, r.errors).editing(id, version, r.conflict),
        )
            .into_response()),
        Saved::Failed(e) => Err(e),
    }
}
