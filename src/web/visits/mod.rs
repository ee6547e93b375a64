//! Visits over the JSON API (`/api/v1/visits`) and as pages (`/visits`).

pub(super) mod responses;
pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::extract::{ApiVisitId, PageVisitId};
use super::json::parse_body;
use super::views::{
    Layout, Listing, Saved, VisitDetailPage, VisitFormPage, VisitListPage, VisitRow,
};
use crate::domain::validation::Invalid;
use crate::domain::visit::VisitInput;
use crate::error::Error;
use crate::service::visits::VisitParams;
use crate::service::{App, Page};
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use responses::VisitResponse;
use serde::Deserialize;

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/visits", get(list_api).post(record_api))
        .route("/visits/{id}", get(detail_api).patch(update_api))
        .route("/visits/{id}/follow-up", post(follow_up_api))
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/visits", get(list_page).post(record_page))
        .route("/visits/new", get(new_page))
        .route("/visits/{id}", get(detail_page).post(update_page))
        .route("/visits/{id}/edit", get(edit_page))
        .route("/visits/{id}/follow-up", post(follow_up_page))
}

// ---- JSON API ----

/// A visit in JSON: ids as numbers, dates as `YYYY-MM-DD`; every field optional for PATCH.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct VisitJson {
    direction: Option<String>,
    visit_date: Option<String>,
    place: Option<String>,
    investor_id: Option<Option<i64>>,
    investor_side: Option<String>,
    participants: Option<Vec<i64>>,
    leader_id: Option<Option<i64>>,
    purpose: Option<String>,
    outcome: Option<Option<String>>,
    next_step: Option<Option<String>>,
    follow_up_on: Option<Option<String>>,
    version: Option<i64>,
}

impl VisitJson {
    fn apply(self, mut base: VisitInput) -> VisitInput {
        let set = |v: Option<String>, slot: &mut String| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        let set_opt = |v: Option<Option<String>>, slot: &mut String| {
            if let Some(v) = v {
                *slot = v.unwrap_or_default();
            }
        };
        let set_id = |v: Option<Option<i64>>, slot: &mut String| {
            if let Some(v) = v {
                *slot = v.map(|i| i.to_string()).unwrap_or_default();
            }
        };
        set(self.direction, &mut base.direction);
        set(self.visit_date, &mut base.visit_date);
        set(self.place, &mut base.place);
        set_id(self.investor_id, &mut base.investor_id);
        set(self.investor_side, &mut base.investor_side);
        if let Some(people) = self.participants {
            base.participants = people.iter().map(|p| p.to_string()).collect();
        }
        set_id(self.leader_id, &mut base.leader_id);
        set(self.purpose, &mut base.purpose);
        set_opt(self.outcome, &mut base.outcome);
        set_opt(self.next_step, &mut base.next_step);
        set_opt(self.follow_up_on, &mut base.follow_up_on);
        base
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/visits",
    tag = "visits",
    operation_id = "visits_list",
    summary = "Visits the caller may see, filtered and paged",
    params(crate::service::visits::VisitParams),
    responses(
        (status = 200, description = "一页拜访记录", body = Page<VisitResponse>),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<VisitParams>,
) -> ApiResult<Json<Page<VisitResponse>>> {
    let page = app.list_visits(&actor, &params).await?;
    Ok(Json(page.map(VisitResponse::from)))
}

#[utoipa::path(
    post,
    path = "/api/v1/visits",
    tag = "visits",
    operation_id = "visits_record",
    summary = "Record a visit (走出去 or 请进来)",
    request_body = VisitJson,
    responses(
        (status = 201, description = "新拜访记录", body = VisitResponse),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn record_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<Response> {
    let body: VisitJson = parse_body(&body)?;
    app.may_record_visits(&actor).await?;
    let fields = body.apply(VisitInput::default()).parse(app.today())?;
    let visit = app.record_visit(&actor, &fields).await?;
    Ok((StatusCode::CREATED, Json(VisitResponse::from(visit))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/visits/{id}",
    tag = "visits",
    operation_id = "visits_detail",
    summary = "One visit",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "拜访记录", body = VisitResponse),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]
async fn detail_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiVisitId(id): ApiVisitId,
) -> ApiResult<Json<VisitResponse>> {
    Ok(Json(app.get_visit(&actor, id).await?.into()))
}

#[utoipa::path(
    patch,
    path = "/api/v1/visits/{id}",
    tag = "visits",
    operation_id = "visits_update",
    summary = "Change a visit (with the version read)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = VisitJson,
    responses(
        (status = 200, description = "修改后的拜访记录", body = VisitResponse),
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
    ApiVisitId(id): ApiVisitId,
    body: Bytes,
) -> ApiResult<Json<VisitResponse>> {
    let body: VisitJson = parse_body(&body)?;
    let version = super::json::required_version(body.version)?;
    let current = app.visit_for_update(&actor, id).await?;
    let fields = body.apply(VisitInput::from(&current)).parse(app.today())?;
    Ok(Json(
        app.update_visit(&actor, id, &fields, version).await?.into(),
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
struct FollowUpJson {
    outcome: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/visits/{id}/follow-up",
    tag = "visits",
    operation_id = "visits_follow_up",
    summary = "Close a visit's follow-up with its outcome",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = FollowUpJson,
    responses(
        (status = 200, description = "办结后的拜访记录", body = VisitResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn follow_up_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiVisitId(id): ApiVisitId,
    body: Bytes,
) -> ApiResult<Json<VisitResponse>> {
    let body: FollowUpJson = parse_body(&body)?;
    Ok(Json(
        app.close_follow_up(&actor, id, &body.outcome).await?.into(),
    ))
}

// ---- Pages ----

fn visit_href(params: &VisitParams, page: i64) -> String {
    let pairs = [
        ("direction", params.direction.as_str()),
        ("overdue", &params.overdue),
        ("mine", &params.mine),
        ("investor_id", &params.investor_id),
    ];
    super::views::link("/visits", &pairs, page)
}

async fn list_page(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<VisitParams>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let today = app.today();
    let list = Listing::of(
        app.list_visits(&user.actor, &params).await,
        |v| VisitRow::of(&v, today),
        |n| visit_href(&params, n),
    )
    .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    if let Some(to_last) = list.past_end() {
        return Ok(to_last);
    }
    let overdue_mine = app
        .overdue_follow_ups(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    Ok((
        list.status(),
        VisitListPage {
            can_write: user.actor.role.writes_projects(),
            directions: VisitListPage::direction_opts(&params.direction),
            overdue_mine,
            list,
            params,
            layout,
        },
    )
        .into_response())
}

async fn form(
    app: &App,
    user: &PageUser,
    input: VisitInput,
    errors: Invalid,
) -> Result<VisitFormPage, PageError> {
    let people = app
        .visit_people(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(VisitFormPage::build(
        Layout::of(&user.actor),
        input,
        &people,
        app.today(),
        errors,
    ))
}

#[derive(Deserialize, Default)]
struct NewQuery {
    investor_id: Option<String>,
}

async fn new_page(
    State(app): State<App>,
    user: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    app.may_record_visits(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let mut input = VisitInput {
        direction: "out".into(),
        participants: vec![user.actor.id.to_string()],
        ..VisitInput::default()
    };
    if let Some(id) = q.investor_id.and_then(|t| t.trim().parse::<i64>().ok()) {
        let investor = app
            .get_investor(&user.actor, crate::domain::ids::InvestorId(id))
            .await
            .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
        input.investor_id = investor.id.to_string();
        input.investor_side = investor.name;
    }
    Ok(form(&app, &user, input, Invalid::default())
        .await?
        .into_response())
}

fn input_from_form(pairs: &[(String, String)]) -> VisitInput {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    VisitInput {
        direction: get("direction"),
        visit_date: get("visit_date"),
        place: get("place"),
        investor_id: get("investor_id"),
        investor_side: get("investor_side"),
        participants: pairs
            .iter()
            .filter(|(k, _)| k == "participants")
            .map(|(_, v)| v.clone())
            .collect(),
        leader_id: get("leader_id"),
        purpose: get("purpose"),
        outcome: get("outcome"),
        next_step: get("next_step"),
        follow_up_on: get("follow_up_on"),
    }
}

async fn record_page(
    State(app): State<App>,
    user: PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = input_from_form(&pairs);
    // Who may record is settled before what was typed is judged.
    app.may_record_visits(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let recorded = match input.parse(app.today()) {
        Ok(fields) => app.record_visit(&user.actor, &fields).await,
        Err(e) => Err(e.into()),
    };
    match recorded {
        Ok(v) => Ok(Redirect::to(&format!("/visits/{}?msg=recorded", v.id)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form(&app, &user, input, errors).await?,
        )
            .into_response()),
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    msg: Option<String>,
}

async fn render_detail(
    app: &App,
    user: &PageUser,
    id: crate::domain::ids::VisitId,
    flash: Option<&str>,
    refused: Option<(String, Invalid, Option<String>)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let visit = app
        .get_visit(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let (typed, errors, problem) = refused.unwrap_or_default();
    let page = VisitDetailPage {
        can_write: user.actor.role.writes_projects(),
        overdue: crate::domain::visit::overdue(
            visit.follow_up_on,
            visit.follow_up_done_at.is_some(),
            app.today(),
        ),
        flash: flash.map(str::to_string),
        typed_outcome: typed,
        errors,
        problem,
        layout: Layout::of(&user.actor),
        v: visit,
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(app): State<App>,
    user: PageUser,
    PageVisitId(id): PageVisitId,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let flash = match q.msg.as_deref() {
        Some("recorded") => Some("拜访已记录。"),
        Some("saved") => Some("修改已保存。"),
        Some("closed") => Some("跟进已办结。"),
        _ => None,
    };
    render_detail(&app, &user, id, flash, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
struct FollowUpForm {
    #[serde(default)]
    outcome: String,
}

async fn follow_up_page(
    State(app): State<App>,
    user: PageUser,
    PageVisitId(id): PageVisitId,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, PageError> {
    match app.close_follow_up(&user.actor, id, &form.outcome).await {
        Ok(_) => Ok(Redirect::to(&format!("/visits/{id}?msg=closed")).into_response()),
        Err(Error::Invalid(errors)) => {
            render_detail(
                &app,
                &user,
                id,
                None,
                Some((form.outcome, errors, None)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Error::Conflict(m)) => {
            render_detail(
                &app,
                &user,
                id,
                None,
                Some((form.outcome, Invalid::default(), Some(m))),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

async fn edit_page(
    State(app): State<App>,
    user: PageUser,
    PageVisitId(id): PageVisitId,
) -> Result<Response, PageError> {
    let visit = app
        .visit_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(
        form(&app, &user, VisitInput::from(&visit), Invalid::default())
            .await?
            .editing(id, visit.version, None)
            .into_response(),
    )
}

async fn update_page(
    State(app): State<App>,
    user: PageUser,
    PageVisitId(id): PageVisitId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = input_from_form(&pairs);
    // A missing or garbled version is 0, which no record has: refused as stale.
    let version = pairs
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let layout = Layout::of(&user.actor);
    // Who may change it, and whether it is theirs, are settled before what was typed.
    app.visit_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    let saved = match input.parse(app.today()) {
        Ok(fields) => app.update_visit(&user.actor, id, &fields, version).await,
        Err(e) => Err(e.into()),
    };
    match Saved::sort(saved, &layout) {
        Saved::Done(_) => Ok(Redirect::to(&format!("/visits/{id}?msg=saved")).into_response()),
        Saved::Refused(r) => Ok((
            r.status,
            form(&app, &user, input, r.errors)
                .await?
                .editing(id, version, r.conflict),
        )
            .into_response()),
        Saved::Failed(e) => Err(e),
    }
}
