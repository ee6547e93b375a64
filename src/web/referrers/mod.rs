//! Referrers over the JSON API (`/api/v1/referrers`) and as pages (`/referrers`).

pub(super) mod responses;
pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::{ApiError, PageError};
use super::extract::{ApiReferrerId, EditForm, PageReferrerId};
use super::json::parse_body;
use super::views::{
    Layout, Listing, ReferrerDetailPage, ReferrerFormPage, ReferrerListPage, Saved,
};
use crate::domain::ids::UnitId;
use crate::domain::referrer::ReferrerInput;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::referrers::ReferrerParams;
use crate::service::{App, Page};
use crate::web::openapi::{Current, Found, SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use responses::{Credited, ReferrerDetailResponse, ReferrerResponse};
use serde::Deserialize;

type ApiResult<T> = Result<T, ApiError>;

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/referrers", get(list_api).post(create_api))
        .route("/referrers/{id}", get(detail_api).patch(update_api))
        .route("/referrers/{id}/projects", post(credit_api))
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/referrers", get(list_page).post(create_page))
        .route("/referrers/new", get(new_page))
        .route("/referrers/{id}", get(detail_page).post(update_page))
        .route("/referrers/{id}/edit", get(edit_page))
        .route("/referrers/{id}/projects", post(credit_page))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ReferrerJson {
    kind: Option<String>,
    name: Option<String>,
    affiliation: Option<Option<String>>,
    contact: Option<Option<String>>,
    notes: Option<Option<String>>,
    unit_id: Option<i64>,
    version: Option<i64>,
}

impl ReferrerJson {
    fn apply(&self, mut base: ReferrerInput) -> ReferrerInput {
        if let Some(v) = &self.kind {
            base.kind = v.clone();
        }
        if let Some(v) = &self.name {
            base.name = v.clone();
        }
        for (value, slot) in [
            (&self.affiliation, &mut base.affiliation),
            (&self.contact, &mut base.contact),
            (&self.notes, &mut base.notes),
        ] {
            if let Some(v) = value {
                *slot = v.clone().unwrap_or_default();
            }
        }
        base
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/referrers",
    tag = "referrers",
    operation_id = "referrers_list",
    summary = "Referrers (以商招商, 委托招商), filtered and paged",
    params(crate::service::referrers::ReferrerParams),
    responses(
        (status = 200, description = "一页引荐人", body = Page<ReferrerResponse>),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<ReferrerParams>,
) -> ApiResult<Json<Page<ReferrerResponse>>> {
    let page = app.list_referrers(&actor, &params).await?;
    Ok(Json(page.map(ReferrerResponse::from)))
}

#[utoipa::path(
    post,
    path = "/api/v1/referrers",
    tag = "referrers",
    operation_id = "referrers_create",
    summary = "Register a referrer",
    request_body = ReferrerJson,
    responses(
        (status = 201, description = "新引荐人", body = ReferrerResponse),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn create_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    body: Bytes,
) -> ApiResult<Response> {
    let body: ReferrerJson = parse_body(&body)?;
    app.may_write_referrers(&actor).await?;
    let unit = body.unit_id.map(UnitId);
    let fields = body.apply(ReferrerInput::default()).parse()?;
    let created = app.create_referrer(&actor, &fields, unit).await?;
    Ok((StatusCode::CREATED, Json(ReferrerResponse::from(created))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/referrers/{id}",
    tag = "referrers",
    operation_id = "referrers_detail",
    summary = "One referrer with its projects and rewards by year",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "引荐人", body = ReferrerDetailResponse),
        SignedIn,
        Found,
    ),
    security(("bearer" = [])),
)]
async fn detail_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiReferrerId(id): ApiReferrerId,
) -> ApiResult<Json<ReferrerDetailResponse>> {
    Ok(Json(app.get_referrer(&actor, id).await?.into()))
}

#[utoipa::path(
    patch,
    path = "/api/v1/referrers/{id}",
    tag = "referrers",
    operation_id = "referrers_update",
    summary = "Change a referrer (with the version read)",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = ReferrerJson,
    responses(
        (status = 200, description = "修改后的引荐人", body = ReferrerResponse),
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
    ApiReferrerId(id): ApiReferrerId,
    body: Bytes,
) -> ApiResult<Json<ReferrerResponse>> {
    let body: ReferrerJson = parse_body(&body)?;
    let version = super::json::required_version(body.version)?;
    let current = app.referrer_for_update(&actor, id).await?;
    let fields = body.apply(ReferrerInput::from(&current)).parse()?;
    Ok(Json(
        app.update_referrer(&actor, id, &fields, version)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct CreditJson {
    project_id: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/referrers/{id}/projects",
    tag = "referrers",
    operation_id = "referrers_credit",
    summary = "Credit a project to a referrer",
    params(("id" = i64, Path, description = "记录编号")),
    request_body = CreditJson,
    responses(
        (status = 200, description = "已记入", body = Credited),
        SignedIn,
        Found,
        Valid,
        Current,
    ),
    security(("bearer" = [])),
)]
async fn credit_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiReferrerId(id): ApiReferrerId,
    body: Bytes,
) -> ApiResult<Json<Credited>> {
    let body: CreditJson = parse_body(&body)?;
    let project = body.project_id.map(|p| p.to_string()).unwrap_or_default();
    let project = app.credit_referrer(&actor, id, &project).await?;
    Ok(Json(Credited {
        project_id: project.id,
        referrer_id: id,
        version: project.version,
    }))
}

async fn list_page(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<ReferrerParams>,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let list = Listing::of(
        app.list_referrers(&user.actor, &params).await,
        |r| r,
        |n| super::views::link("/referrers", &[("q", &params.q)], n),
    )
    .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    if let Some(to_last) = list.past_end() {
        return Ok(to_last);
    }
    Ok((
        list.status(),
        ReferrerListPage {
            can_write: user.actor.role.writes_projects(),
            q: params.q,
            list,
            layout,
        },
    )
        .into_response())
}

async fn new_page(State(app): State<App>, user: PageUser) -> Result<Response, PageError> {
    app.may_write_referrers(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    Ok(ReferrerFormPage::build(
        Layout::of(&user.actor),
        ReferrerInput {
            kind: "person".into(),
            ..ReferrerInput::default()
        },
        Invalid::default(),
    )
    .into_response())
}

async fn create_page(
    State(app): State<App>,
    user: PageUser,
    Form(input): Form<ReferrerInput>,
) -> Result<Response, PageError> {
    // Who may register is settled before what was typed is judged.
    app.may_write_referrers(&user.actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let created = match input.parse() {
        Ok(fields) => app.create_referrer(&user.actor, &fields, None).await,
        Err(e) => Err(e.into()),
    };
    match created {
        Ok(r) => Ok(Redirect::to(&format!("/referrers/{}?msg=created", r.id)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ReferrerFormPage::build(Layout::of(&user.actor), input, errors),
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
    id: crate::domain::ids::ReferrerId,
    flash: Option<&str>,
    refused: Option<(String, Invalid, Option<String>)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let detail = app
        .get_referrer(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    let (typed, errors, problem) = refused.unwrap_or_default();
    let can_write = user.actor.role.writes_projects();
    let mut page = ReferrerDetailPage::build(
        Layout::of(&user.actor),
        detail,
        app.today(),
        &app.config,
        can_write,
        flash.map(str::to_string),
        typed,
        errors,
        problem,
    );
    if can_write {
        // Any project in reach still being worked may be credited.
        page.project_choices = app
            .project_suggestions(&user.actor, |f| f.stage.is_active())
            .await
            .map_err(|e| PageError::App(e, Some(Layout::of(&user.actor))))?;
    }
    Ok((status, page).into_response())
}

async fn detail_page(
    State(app): State<App>,
    user: PageUser,
    PageReferrerId(id): PageReferrerId,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let flash = match q.msg.as_deref() {
        Some("created") => Some("引荐人已登记。"),
        Some("saved") => Some("修改已保存。"),
        Some("credited") => Some("已记入该引荐人名下。"),
        _ => None,
    };
    render_detail(&app, &user, id, flash, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
struct CreditForm {
    #[serde(default)]
    project_id: String,
}

async fn credit_page(
    State(app): State<App>,
    user: PageUser,
    PageReferrerId(id): PageReferrerId,
    Form(form): Form<CreditForm>,
) -> Result<Response, PageError> {
    match app.credit_referrer(&user.actor, id, &form.project_id).await {
        Ok(_) => Ok(Redirect::to(&format!("/referrers/{id}?msg=credited")).into_response()),
        Err(Error::Invalid(e)) => {
            let refused = (form.project_id, e, None);
            render_detail(
                &app,
                &user,
                id,
                None,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Error::Conflict(m)) => {
            let refused = (form.project_id, Invalid::default(), Some(m));
            render_detail(&app, &user, id, None, Some(refused), StatusCode::CONFLICT).await
        }
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

async fn edit_page(
    State(app): State<App>,
    user: PageUser,
    PageReferrerId(id): PageReferrerId,
) -> Result<Response, PageError> {
    let layout = Layout::of(&user.actor);
    let r = app
        .referrer_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    Ok(
        ReferrerFormPage::build(layout, ReferrerInput::from(&r), Invalid::default())
            .editing(id, r.version, None)
            .into_response(),
    )
}

async fn update_page(
    State(app): State<App>,
    user: PageUser,
    PageReferrerId(id): PageReferrerId,
    Form(form): Form<EditForm<ReferrerInput>>,
) -> Result<Response, PageError> {
    let version = form.version();
    let layout = Layout::of(&user.actor);
    // Who may change it, and whether it is theirs, are settled before what was typed.
    app.referrer_for_update(&user.actor, id)
        .await
        .map_err(|e| PageError::App(e, Some(layout.clone())))?;
    let saved = match form.input.parse() {
        Ok(fields) => app.update_referrer(&user.actor, id, &fields, version).await,
        Err(e) => Err(e.into()),
    };
    match Saved::sort(saved, &layout) {
        Saved::Done(_) => Ok(Redirect::to(&format!("/referrers/{id}?msg=saved")).into_response()),
        Saved::Refused(r) => Ok((
            r.status,
            ReferrerFormPage::build(layout, form.input, r.errors).editing(id, version, r.conflict),
        )
            .into_response()),
        Saved::Failed(e) => Err(e),
    }
}
