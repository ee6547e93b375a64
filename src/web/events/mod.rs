//! Promotion events over the JSON API (`/api/v1/events`) and as pages (`/events`).

pub(super) mod responses;
pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::extract::{ApiEventId, EditForm, PageEventId};
use super::json::parse_body;
use super::views::{EventDetailPage, EventFormPage, EventListPage, Layout, Listing, Saved};
use crate::domain::event::EventInput;
use crate::domain::money::Money;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::events::{EventDetail, EventParams};
use crate::service::{App, Page};
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use responses::{EventDetailResponse, EventResponse};
use serde::Deserialize;
use std::collections::HashMap;

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/events", get(list_api).post(record_api))
        .route("/events/{id}", get(detail_api).patch(update_api))
        .route("/events/{id}/investors", post(met_api))
        .route("/events/{id}/signings", post(signed_api))
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/events", get(list_page).post(record_page))
        .route("/events/new", get(new_page))
        .route("/events/{id}", get(detail_page).post(update_page))
        .route("/events/{id}/edit", get(edit_page))
        .route("/events/{id}/investors", post(met_page))
        .route("/events/{id}/signings", post(signed_page))
}

// ---- JSON API ----

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct EventJson {
    kind: Option<String>,
    title: Option<String>,
    held_on: Option<String>,
    city: Option<String>,
    organiser: Option<Option<String>>,
    delegation: Option<Option<String>>,
    notes: Option<Option<String>>,
    version: Option<i64>,
}

impl EventJson {
    fn apply(self, mut base: EventInput) -> EventInput {
        for (value, slot) in [
            (self.kind, &mut base.kind),
            (self.title, &mut base.title),
            (self.held_on, &mut base.held_on),
            (self.city, &mut base.city),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        for (value, slot) in [
            (self.organiser, &mut base.organiser),
            (self.delegation, &mut base.delegation),
            (self.notes, &mut base.notes),
        ] {
            if let Some(v) = value {
                *slot = v.unwrap_or_default();
            }
        }
        base
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    operation_id = "events_list",
    summary = "Promotion events, filtered and paged",
    params(crate::service::events::EventParams),
    responses(
        (status = 200, description = "一页招商活动", body = Page<EventResponse>),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<EventParams>,
) -> ApiResult<Json<Page<EventResponse>>> {
    let page = app.list_events(&actor, &params).await?;
    Ok(Json(page.map(EventResponse::from)))
}

#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "events",
    operation_id = "events_record",
    summary = "Record a promotion event",
    request_body = EventJson,
    responses(
        (status = 201, description = "新招商活动", body = EventDetailResponse),
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
    let body: EventJson = parse_body(&body)?;
    app.event_role_check(&actor).await?;
    let fields = body.apply(EventInput::default()).parse(app.today())?;
    let detail = app.record_event(&actor, &fields).await?;
    Ok((StatusCode::CREATED, Json(EventDetailResponse::from(detail))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    tag = "events",
    operation_id = "events_detail",
    summary = "One event with the investors met and the signings",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "招商活动", body = EventDetailResponse),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]
async fn detail_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiEventId(id): ApiEventId,
) -> ApiResult<Json<EventDetailResponse>> {
    Ok(Json(app.get_event(&actor, id).await?.into()))
}

#[utoipa::path(
    patch,
    path = "/api/v1/events/{id}",
    tag = "events",
    operation_id = "events_update",
    summary = "Change an event (with the version read)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = EventJson,
    responses(
        (status = 200, description = "修改后的活动", body = EventDetailResponse),
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
    ApiEventId(id): ApiEventId,
    body: Bytes,
) -> ApiResult<Json<EventDetailResponse>> {
    let body: EventJson = parse_body(&body)?;
    let version = super::json::required_version(body.version)?;
    let current = app.event_for_update(&actor, id).await?;
    let fields = body.apply(EventInput::from(&current)).parse(app.today())?;
    Ok(Json(
        app.update_event(&actor, id, &fields, version).await?.into(),
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MetJson {
    investor_id: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/investors",
    tag = "events",
    operation_id = "events_met",
    summary = "Record an investor met at the event",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = MetJson,
    responses(
        (status = 201, description = "活动", body = EventDetailResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn met_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiEventId(id): ApiEventId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: MetJson = parse_body(&body)?;
    let investor = body.investor_id.map(|i| i.to_string()).unwrap_or_default();
    let detail = app.event_met(&actor, id, &investor).await?;
    Ok((StatusCode::CREATED, Json(EventDetailResponse::from(detail))).into_response())
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MoneyJson {
    yuan: i64,
    currency: crate::domain::money::Currency,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SignedJson {
    project_id: Option<i64>,
    amount: Option<MoneyJson>,
    /// How to record the signing on a project that has not signed yet: `contracted` (正式签约,
    /// the default; the amount becomes its contract amount) or `intent` (意向签约). A project
    /// that has signed must have signed on the event's day.
    #[serde(default)]
    record_as: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/signings",
    tag = "events",
    operation_id = "events_signed",
    summary = "Record a project signed at the event",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = SignedJson,
    responses(
        (status = 201, description = "活动", body = EventDetailResponse),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn signed_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiEventId(id): ApiEventId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: SignedJson = parse_body(&body)?;
    let project = body.project_id.map(|p| p.to_string()).unwrap_or_default();
    let (amount, currency) = match body.amount {
        Some(m) => (
            Money::new(m.yuan, m.currency).wan_plain(),
            m.currency.code().to_string(),
        ),
        None => (String::new(), String::new()),
    };
    let detail = app
        .event_signed(&actor, id, &project, &amount, &currency, &body.record_as)
        .await?;
    Ok((StatusCode::CREATED, Json(EventDetailResponse::from(detail))).into_response())
}

// ---- Pages ----

async fn list_page(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<EventParams>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let list = Listing::of(
        app.list_events(&user.actor, &params).await,
        |e| e,
        |n| super::views::link("/events", &[("kind", &params.kind)], n),
    )
    .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    if let Some(to_last) = list.past_end() {
        return Ok(to_last);
    }
    Ok((
        list.status(),
        EventListPage {
            can_write: user.actor.role.writes_projects(),
            kinds: EventListPage::kind_opts(&params.kind),
            list,
            layout,
        },
    )
        .into_response())
}

async fn new_page(State(app): State<App>, user: PageUser) -> Result<Response, PageError> {
    app.event_role_check(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(EventFormPage::build(
        Layout::of(&user.actor),
        EventInput::default(),
        Invalid::default(),
    )
    .into_response())
}

async fn record_page(
    State(app): State<App>,
    user: PageUser,
    Form(input): Form<EventInput>,
) -> Result<Response, PageError> {
    // Who may record is settled before what was typed is judged.
    app.event_role_check(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let recorded = match input.parse(app.today()) {
        Ok(fields) => app.record_event(&user.actor, &fields).await,
        Err(e) => Err(e.into()),
    };
    match recorded {
        Ok(d) => Ok(Redirect::to(&format!("/events/{}?msg=recorded", d.event.id)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            EventFormPage::build(Layout::of(&user.actor), input, errors),
        )
            .into_response()),
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

/// A refused form on the event page: which one, what it held, why.
type Refusal = (
    &'static str,
    HashMap<String, String>,
    Invalid,
    Option<String>,
);

#[derive(Deserialize, Default)]
struct DetailQuery {
    msg: Option<String>,
}

async fn render_detail(
    app: &App,
    user: &PageUser,
    id: crate::domain::ids::EventId,
    flash: Option<&str>,
    refused: Option<Refusal>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let detail = app
        .get_event(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let (form, typed, errors, problem) =
        refused.unwrap_or(("", HashMap::new(), Invalid::default(), None));
    let can_write = user.actor.role.writes_projects();
    let suggestions = if can_write {
        Some(
            app.event_suggestions(&user.actor, &detail.event)
                .await
                .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?,
        )
    } else {
        None
    };
    let mut page = EventDetailPage::build(
        Layout::of(&user.actor),
        detail,
        can_write,
        flash.map(str::to_string),
        form,
        typed,
        errors,
        problem,
    );
    if let Some(s) = suggestions {
        page.project_choices = s.projects;
        page.investor_choices = s.investors;
    }
    Ok((status, page).into_response())
}

async fn detail_page(
    State(app): State<App>,
    user: PageUser,
    PageEventId(id): PageEventId,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let flash = match q.msg.as_deref() {
        Some("recorded") => Some("招商活动已记录。"),
        Some("saved") => Some("修改已保存。"),
        Some("met") => Some("已记录会见的客商。"),
        Some("signed") => Some("已记录签约项目。"),
        _ => None,
    };
    render_detail(&app, &user, id, flash, None, StatusCode::OK).await
}

async fn after(
    app: &App,
    user: &PageUser,
    id: crate::domain::ids::EventId,
    form: &'static str,
    typed: HashMap<String, String>,
    outcome: crate::error::Result<EventDetail>,
    msg: &str,
) -> Result<Response, PageError> {
    let (errors, problem, status) = match outcome {
        Ok(_) => return Ok(Redirect::to(&format!("/events/{id}?msg={msg}")).into_response()),
        Err(Error::Invalid(e)) => (e, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Error::Conflict(m)) => (Invalid::default(), Some(m), StatusCode::CONFLICT),
        Err(e) => return Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    };
    render_detail(
        app,
        user,
        id,
        None,
        Some((form, typed, errors, problem)),
        status,
    )
    .await
}

fn field(form: &HashMap<String, String>, key: &str) -> String {
    form.get(key).cloned().unwrap_or_default()
}

async fn met_page(
    State(app): State<App>,
    user: PageUser,
    PageEventId(id): PageEventId,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let outcome = app
        .event_met(&user.actor, id, &field(&form, "investor_id"))
        .await;
    after(&app, &user, id, "met", form, outcome, "met").await
}

async fn signed_page(
    State(app): State<App>,
    user: PageUser,
    PageEventId(id): PageEventId,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let outcome = app
        .event_signed(
            &user.actor,
            id,
            &field(&form, "project_id"),
            &field(&form, "signed_amount"),
            &field(&form, "currency"),
            &field(&form, "record_as"),
        )
        .await;
    after(&app, &user, id, "signed", form, outcome, "signed").await
}

async fn edit_page(
    State(app): State<App>,
    user: PageUser,
    PageEventId(id): PageEventId,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let e = app
        .event_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    Ok(
        EventFormPage::build(layout, EventInput::from(&e), Invalid::default())
            .editing(id, e.version, None)
            .into_response(),
    )
}

async fn update_page(
    State(app): State<App>,
    user: PageUser,
    PageEventId(id): PageEventId,
    Form(form): Form<EditForm<EventInput>>,
) -> Result<Response, PageError> {
    let version = form.version();
    let layout = Layout::of(&user.actor);
    // Who may change it, and whether it is theirs, are settled before what was typed.
    app.event_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    let saved = match form.input.parse(app.today()) {
        Ok(fields) => app.update_event(&user.actor, id, &fields, version).await,
        Err(e) => Err(e.into()),
    };
    match Saved::sort(saved, &layout) {
        Saved::Done(_) => Ok(Redirect::to(&format!("/events/{id}?msg=saved")).into_response()),
        Saved::Refused(r) => Ok((
            r.status,
            EventFormPage::build(layout, form.input, r.errors).editing(id, version, r.conflict),
        )
            .into_response()),
        Saved::Failed(e) => Err(e),
    }
}
