//! The 客商库 over the JSON API (`/api/v1/investors`) and as pages (`/investors`).

pub(super) mod responses;
pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::extract::{ApiInvestorId, PageInvestorId};
use super::json::parse_body;
use super::views::{
    InvestorDetailPage, InvestorFormPage, InvestorListPage, InvestorRow, Layout, Listing,
    ProjectRow,
};
use crate::domain::ids::{InvestorId, UnitId};
use crate::domain::investor::{ContactInput, InvestorInput};
use crate::domain::money::Money;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::investors::InvestorParams;
use crate::service::{App, Page};
use crate::web::error::Problem;
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use responses::{InvestorDetail, InvestorResponse};
use serde::Deserialize;
use serde_json::Value;

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/investors", get(list_api).post(create_api))
        .route("/investors/{id}", get(detail_api).patch(update_api))
        .route("/investors/{id}/merge", post(merge_api))
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/investors", get(list_page).post(create_page))
        .route("/investors/new", get(new_page))
        .route("/investors/{id}", get(detail_page).post(update_page))
        .route("/investors/{id}/edit", get(edit_page))
        .route("/investors/{id}/merge", post(merge_page))
}

// ---- JSON API ----

#[utoipa::path(
    get,
    path = "/api/v1/investors",
    tag = "investors",
    operation_id = "investors_list",
    summary = "The 客商库, filtered and paged",
    params(crate::service::investors::InvestorParams),
    responses(
        (status = 200, description = "一页客商", body = Page<InvestorResponse>),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<InvestorParams>,
) -> ApiResult<Json<Page<InvestorResponse>>> {
    let page = app.list_investors(&actor, &params).await?;
    Ok(Json(page.map(InvestorResponse::from)))
}

/// The fields a create or an update may carry besides the investor's own.
const CONTROL_FIELDS: [&str; 3] = ["unit_id", "confirm_duplicate", "version"];

/// Overlays the JSON object `body` on `base`; unknown fields are refused by name.
fn overlay(base: &InvestorInput, body: &Value) -> ApiResult<InvestorInput> {
    let Value::Object(given) = body else {
        return Err(ApiError::bad_request("请求体须为 JSON 对象"));
    };
    let mut merged = serde_json::to_value(base).map_err(|e| Error::Internal(e.into()))?;
    let Value::Object(fields) = &mut merged else {
        return Err(ApiError::bad_request("请求体须为 JSON 对象"));
    };
    let mut unknown = Invalid::default();
    for (key, value) in given {
        if key == "intended_investment" {
            // As the API answers it: {"yuan", "currency"} or null, onto the form's two fields.
            let money: Option<Money> = serde_json::from_value(value.clone()).map_err(|_| {
                Error::Invalid(Invalid::single(
                    "intended_investment",
                    "意向投资须为 {\"yuan\": 整数, \"currency\": \"CNY\" 或 \"USD\"}，或 null",
                ))
            })?;
            fields.insert(
                "intended_amount".into(),
                money.map(Money::wan_plain).unwrap_or_default().into(),
            );
            fields.insert(
                "intended_currency".into(),
                money
                    .map(|m| m.currency.code().to_string())
                    .unwrap_or_default()
                    .into(),
            );
        } else if fields.contains_key(key) {
            fields.insert(key.clone(), value.clone());
        } else if !CONTROL_FIELDS.contains(&key.as_str()) {
            unknown.add(key, format!("未知字段“{key}”"));
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Invalid(unknown).into());
    }
    serde_json::from_value(merged).map_err(|e| ApiError::bad_request(format!("字段类型不对：{e}")))
}

#[utoipa::path(
    post,
    path = "/api/v1/investors",
    tag = "investors",
    operation_id = "investors_create",
    summary = "Register an investor (duplicates by credit code or similar name are caught)",
    request_body(content = Object, description = "客商字段（同表单）；PATCH 只需所改字段与 version"),
    responses(
        (status = 201, description = "新客商", body = InvestorResponse),
        SignedIn,
        Valid,
        (status = 409, description = "可能重复：candidates 列出已有记录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn create_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<Response> {
    let body: Value = parse_body(&body)?;
    app.may_write_investors(&actor).await?;
    let fields = overlay(&InvestorInput::default(), &body)?.parse()?;
    let unit = body["unit_id"].as_i64().map(UnitId);
    let confirm = body["confirm_duplicate"].as_bool().unwrap_or(false);
    let created = app.create_investor(&actor, &fields, unit, confirm).await?;
    Ok((StatusCode::CREATED, Json(InvestorResponse::from(created))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/investors/{id}",
    tag = "investors",
    operation_id = "investors_detail",
    summary = "One investor with the latest of its projects",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "客商及其项目", body = InvestorDetail),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]
async fn detail_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiInvestorId(id): ApiInvestorId,
) -> ApiResult<Json<InvestorDetail>> {
    let investor = app.get_investor(&actor, id).await?;
    let projects = app.projects_of_investor(&actor, id).await?;
    Ok(Json(InvestorDetail::of(investor, projects)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/investors/{id}",
    tag = "investors",
    operation_id = "investors_update",
    summary = "Change an investor (with the version read)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body(content = Object, description = "客商字段（同表单）；PATCH 只需所改字段与 version"),
    responses(
        (status = 200, description = "修改后的客商", body = InvestorResponse),
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
    ApiInvestorId(id): ApiInvestorId,
    body: Bytes,
) -> ApiResult<Json<InvestorResponse>> {
    let body: Value = parse_body(&body)?;
    let version = super::json::required_version(body["version"].as_i64())?;
    let current = app.investor_for_update(&actor, id).await?;
    let fields = overlay(&InvestorInput::from(&current), &body)?.parse()?;
    Ok(Json(
        app.update_investor(&actor, id, &fields, version)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct MergeJson {
    into: i64,
}

#[utoipa::path(
    post,
    path = "/api/v1/investors/{id}/merge",
    tag = "investors",
    operation_id = "investors_merge",
    summary = "Merge a duplicate record into this one",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = MergeJson,
    responses(
        (status = 200, description = "合并后的客商", body = InvestorResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn merge_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiInvestorId(id): ApiInvestorId,
    body: Bytes,
) -> ApiResult<Json<InvestorResponse>> {
    let body: MergeJson = parse_body(&body)?;
    Ok(Json(
        app.merge_investors(&actor, id, InvestorId(body.into))
            .await?
            .into(),
    ))
}

// ---- Pages ----

fn investor_href(params: &InvestorParams, page: i64) -> String {
    super::views::link(
        "/investors",
        &[("q", &params.q), ("kind", &params.kind)],
        page,
    )
}

async fn list_page(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<InvestorParams>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let list = Listing::of(
        app.list_investors(&user.actor, &params).await,
        |i| InvestorRow::of(&i),
        |n| investor_href(&params, n),
    )
    .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    if let Some(to_last) = list.past_end() {
        return Ok(to_last);
    }
    Ok((
        list.status(),
        InvestorListPage {
            can_write: user.actor.role.writes_projects(),
            kinds: InvestorListPage::kind_opts(&params.kind),
            list,
            params,
            layout,
        },
    )
        .into_response())
}

/// How many contact rows a form offers: the record's, plus one empty, at least two.
fn contact_rows(mut contacts: Vec<ContactInput>) -> Vec<ContactInput> {
    let wanted = (contacts.len() + 1).max(2);
    contacts.resize_with(wanted, ContactInput::default);
    contacts
}

fn form_page(
    user: &PageUser,
    id: Option<(InvestorId, i64)>,
    mut input: InvestorInput,
    errors: Invalid,
    duplicates: Option<(String, Vec<Value>)>,
) -> InvestorFormPage {
    input.contacts = contact_rows(input.contacts);
    InvestorFormPage::build(Layout::of(&user.actor), id, input, errors, duplicates)
}

async fn new_page(State(app): State<App>, user: PageUser) -> Result<Response, PageError> {
    app.may_write_investors(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(form_page(
        &user,
        None,
        InvestorInput::default(),
        Invalid::default(),
        None,
    )
    .into_response())
}

/// The investor form as posted: flat names (`contact_name_0`, …) as a browser sends them.
fn input_from_form(form: &[(String, String)]) -> (InvestorInput, bool, i64) {
    let get = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let checked = |key: &str| !get(key).is_empty();
    // Every row the form sent (an investor edited on the page keeps all its contacts).
    let mut contacts = Vec::new();
    for i in 0.. {
        if !form.iter().any(|(k, _)| k == &format!("contact_name_{i}")) {
            break;
        }
        contacts.push(ContactInput {
            name: get(&format!("contact_name_{i}")),
            title: get(&format!("contact_title_{i}")),
            phone: get(&format!("contact_phone_{i}")),
            email: get(&format!("contact_email_{i}")),
            wechat: get(&format!("contact_wechat_{i}")),
        });
    }
    // Blank rows are not contacts; dropping them here keeps the rules' row numbers equal to
    // the rows the form shows again.
    contacts.retain(|c| {
        [&c.name, &c.title, &c.phone, &c.email, &c.wechat]
            .iter()
            .any(|t| !t.trim().is_empty())
    });
    let input = InvestorInput {
        name: get("name"),
        credit_code: get("credit_code"),
        kind: get("kind"),
        country: get("country"),
        origin_city: get("origin_city"),
        fortune_global_500: checked("fortune_global_500"),
        fortune_china_500: checked("fortune_china_500"),
        listed: checked("listed"),
        industry_code: get("industry_code"),
        website: get("website"),
        intended_amount: get("intended_amount"),
        intended_currency: get("intended_currency"),
        notes: get("notes"),
        contacts,
    };
    let version = get("version").trim().parse().unwrap_or(0);
    (input, checked("confirm_duplicate"), version)
}

async fn create_page(
    State(app): State<App>,
    user: PageUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (input, confirm, _) = input_from_form(&form);
    // Who may write is settled before what was typed is judged.
    app.may_write_investors(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let created = match input.parse() {
        Ok(fields) => {
            app.create_investor(&user.actor, &fields, None, confirm)
                .await
        }
        Err(e) => Err(e.into()),
    };
    match created {
        Ok(created) => {
            Ok(Redirect::to(&format!("/investors/{}?msg=created", created.id)).into_response())
        }
        Err(e) => Ok(refused_form(&user, None, input, e)),
    }
}

/// A refused investor form: shown again with what was typed and why.
fn refused_form(
    user: &PageUser,
    id: Option<(InvestorId, i64)>,
    input: InvestorInput,
    e: Error,
) -> Response {
    let (status, errors, duplicates) = match e {
        Error::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Error::Duplicate(message, candidates) => (
            StatusCode::CONFLICT,
            Invalid::default(),
            Some((message, candidates)),
        ),
        Error::Conflict(message) => (
            StatusCode::CONFLICT,
            Invalid::default(),
            Some((message, Vec::new())),
        ),
        other => return PageError::App(other, Some(Layout::of(&user.actor))).into_response(),
    };
    (status, form_page(user, id, input, errors, duplicates)).into_response()
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    msg: Option<String>,
}

async fn detail_page(
    State(app): State<App>,
    user: PageUser,
    PageInvestorId(id): PageInvestorId,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    render_detail(&app, &user, id, q.msg.as_deref(), None, StatusCode::OK).await
}

async fn render_detail(
    app: &App,
    user: &PageUser,
    id: InvestorId,
    msg: Option<&str>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let layout = || Some(Layout::of(&user.actor));
    let investor = app
        .get_investor(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let projects = app
        .projects_of_investor(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let today = app.today();
    let visits = app
        .visits_of_investor(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let leads = app
        .list_leads(
            &user.actor,
            &crate::service::leads::LeadParams {
                investor_id: id.to_string(),
                per_page: crate::service::EXCERPT_ROWS.to_string(),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let events = app
        .events_of_investor(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let flash = match msg {
        Some("created") => Some("客商已登记。".to_string()),
        Some("saved") => Some("修改已保存。".to_string()),
        Some("merged") => {
            Some("已合并：原记录的项目、联系人和企业账号都已并入本记录。".to_string())
        }
        _ => None,
    };
    let merged_into_name = app
        .merged_into_name(&user.actor, &investor)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    Ok((
        status,
        InvestorDetailPage {
            can_write: user.actor.role.writes_projects(),
            projects: projects
                .items
                .iter()
                .map(|p| ProjectRow::of(p, today, &app.config))
                .collect(),
            projects_total: projects.total,
            merged_into_name,
            visits: visits
                .items
                .iter()
                .map(|v| super::views::VisitRow::of(v, today))
                .collect(),
            visits_total: visits.total,
            events,
            leads: leads.items.iter().map(super::views::LeadRow::of).collect(),
            leads_total: leads.total,
            flash,
            problem,
            layout: Layout::of(&user.actor),
            i: investor,
        },
    )
        .into_response())
}

async fn edit_page(
    State(app): State<App>,
    user: PageUser,
    PageInvestorId(id): PageInvestorId,
) -> Result<Response, PageError> {
    let investor = app
        .investor_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(form_page(
        &user,
        Some((id, investor.version)),
        InvestorInput::from(&investor),
        Invalid::default(),
        None,
    )
    .into_response())
}

async fn update_page(
    State(app): State<App>,
    user: PageUser,
    PageInvestorId(id): PageInvestorId,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (input, _, version) = input_from_form(&form);
    // Who may write, and whether the record is theirs, are settled before what was typed.
    app.investor_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let saved = match input.parse() {
        Ok(fields) => app.update_investor(&user.actor, id, &fields, version).await,
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/investors/{id}?msg=saved")).into_response()),
        Err(e) => Ok(refused_form(&user, Some((id, version)), input, e)),
    }
}

#[derive(Deserialize)]
struct MergeForm {
    #[serde(default)]
    into: String,
}

async fn merge_page(
    State(app): State<App>,
    user: PageUser,
    PageInvestorId(id): PageInvestorId,
    Form(form): Form<MergeForm>,
) -> Result<Response, PageError> {
    // A blank or malformed number is no record: the service says so after checking the caller.
    let into = form.into.trim().parse::<i64>().unwrap_or(0);
    match app.merge_investors(&user.actor, id, InvestorId(into)).await {
        Ok(merged) => {
            Ok(Redirect::to(&format!("/investors/{}?msg=merged", merged.id)).into_response())
        }
        Err(Error::Invalid(e)) => {
            render_detail(
                &app,
                &user,
                id,
                None,
                Some(e.summary()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Error::Conflict(m)) => {
            render_detail(&app, &user, id, None, Some(m), StatusCode::CONFLICT).await
        }
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}
