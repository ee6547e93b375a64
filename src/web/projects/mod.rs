//! Projects: the list, the form, the record page with its stage changes and progress notes,
//! and the same use cases as JSON (money as integer yuan with a currency).

pub(super) mod views;

use super::auth::{ApiUser, PageUser};
use super::error::Problem;
use super::error::{ApiError, PageError};
use super::extract::{ApiProjectId, PageProjectId};
use super::json::{ApiResult, parse_body, required_version};
use super::views::{Layout, ProjectDetailPage, ProjectFormPage, ProjectListPage};
use crate::domain::area::Area;
use crate::domain::channel::Channel;
use crate::domain::ids::ProjectId;
use crate::domain::ids::{InvestorId, ReferrerId, UnitId, UserId};
use crate::domain::industry::IndustryCode;
use crate::domain::listing::Totals;
use crate::domain::money::{Currency, Money};
use crate::domain::project::{ProjectFields, ProjectInput, entry_date};
use crate::domain::records::project::{HistoryEntry, Project};
use crate::domain::transition::TransitionInput;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::App;
use crate::service::projects::{ListParams, fields_of, input_of};
use axum::body::Bytes;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/projects", get(list).post(create))
        .route("/projects/new", get(new_form))
        .route("/projects/{id}", get(detail).post(update))
        .route("/projects/{id}/edit", get(edit_form))
        .route("/projects/{id}/transitions", post(transition))
        .route("/projects/{id}/notes", post(add_note))
}

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/projects", get(list_api).post(create_api))
        .route("/projects/{id}", get(show_api).patch(patch_api))
        .route("/projects/{id}/transitions", post(transition_api))
        .route("/projects/{id}/history", get(history_api))
        // The name the history had first, kept for clients written against it.
        .route("/projects/{id}/events", get(history_api))
        .route("/projects/{id}/notes", post(note_api))
}

async fn list(
    State(app): State<App>,
    user: PageUser,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    let choices = app
        .form_choices(actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(actor))))?;
    let (page, error, status) = match app.list_projects(actor, &params).await {
        Ok(p) => (Some(p), None, StatusCode::OK),
        Err(Error::Invalid(inv)) => (None, Some(inv.summary()), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(PageError::App(e, Some(Layout::of(actor)))),
    };
    let view = ProjectListPage::build(
        actor,
        params,
        page,
        &choices,
        error,
        app.today(),
        &app.config,
    );
    Ok((status, view).into_response())
}

#[derive(Deserialize, Default)]
struct NewProjectQuery {
    /// Recording a project for this 客商库 record: its name and industry are filled in.
    investor_id: Option<String>,
}

async fn new_form(
    State(app): State<App>,
    user: PageUser,
    Query(q): Query<NewProjectQuery>,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    let choices = app
        .form_choices(actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(actor))))?;
    app.may_write_projects(actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(actor))))?;
    let mut input = ProjectInput {
        unit_id: actor.unit_id.to_string(),
        officer_id: actor.id.to_string(),
        ..ProjectInput::default()
    };
    if let Some(id) = q.investor_id.and_then(|t| t.trim().parse::<i64>().ok()) {
        let investor = app
            .get_investor(actor, crate::domain::ids::InvestorId(id))
            .await
            .map_err(|e| PageError::App(e, Some(Layout::of(actor))))?;
        input.investor_id = investor.id.to_string();
        input.investor_name = investor.name;
        input.industry_code = investor.industry_code.unwrap_or_default();
    }
    Ok(ProjectFormPage::build(
        actor,
        "录入新项目".into(),
        "/projects".into(),
        "/projects".into(),
        true,
        input,
        crate::domain::dates::iso(app.today()),
        0,
        Invalid::default(),
        None,
        &choices,
    )
    .into_response())
}

#[derive(Deserialize)]
struct ProjectFormBody {
    #[serde(flatten)]
    input: ProjectInput,
    #[serde(default)]
    lead_on: String,
    #[serde(default)]
    version: String,
}

async fn create(
    State(app): State<App>,
    user: PageUser,
    Form(body): Form<ProjectFormBody>,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    // Who may write is decided before what was typed is judged.
    app.may_write_projects(actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(actor))))?;
    let created = match parsed(&body.input, &body.lead_on, app.today()) {
        Ok((fields, lead_on)) => app.create_project(actor, &fields, lead_on).await,
        Err(problems) => Err(Error::Invalid(problems)),
    };
    match created {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}?msg=created", p.id)).into_response()),
        Err(Error::Invalid(errors)) => {
            let choices = app.form_choices(actor).await?;
            let page = ProjectFormPage::build(
                actor,
                "录入新项目".into(),
                "/projects".into(),
                "/projects".into(),
                true,
                body.input,
                body.lead_on,
                0,
                errors,
                Some("有信息填写不正确，请按提示修改后重新提交。".into()),
                &choices,
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::App(e, Some(Layout::of(actor)))),
    }
}

/// A project form's strings parsed at the edge: the typed facts and entry date, or every
/// problem at once.
fn parsed(
    input: &ProjectInput,
    lead_on: &str,
    today: time::Date,
) -> Result<(ProjectFields, time::Date), Invalid> {
    match (input.parse(), entry_date(lead_on, today)) {
        (Ok(fields), Ok(day)) => Ok((fields, day)),
        (Err(mut problems), Err(more)) => {
            problems.0.extend(more.0);
            Err(problems)
        }
        (Err(problems), _) | (_, Err(problems)) => Err(problems),
    }
}

fn flash_text(key: Option<&str>) -> Option<String> {
    match key? {
        "created" => Some("项目已录入。".into()),
        "saved" => Some("修改已保存。".into()),
        "moved" => Some("阶段已变更，已记入项目历史。".into()),
        "noted" => Some("进展情况已记录。".into()),
        "converted" => Some("线索已转为项目。".into()),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    msg: Option<String>,
}

async fn render_detail(
    app: &App,
    user: &PageUser,
    id: ProjectId,
    failed: Option<(TransitionInput, Invalid)>,
    note: Option<(String, String, Invalid)>,
    flash: Option<String>,
    problem: Option<String>,
) -> Result<ProjectDetailPage, PageError> {
    let actor = &user.actor;
    let layout = || Some(Layout::of(actor));
    let project = app
        .get_project(actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let history = app
        .project_history(actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let from_lead = app
        .lead_of_project(actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let mut page = ProjectDetailPage::build(
        actor,
        &project,
        &history,
        app.today(),
        &app.config,
        failed,
        note,
        flash,
        problem,
    );
    page.from_lead = from_lead.map(|l| l.0);
    Ok(page)
}

async fn detail(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let page = render_detail(
        &app,
        &user,
        id,
        None,
        None,
        flash_text(q.msg.as_deref()),
        None,
    )
    .await?;
    Ok(page.into_response())
}

async fn edit_form(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    let layout = || Some(Layout::of(actor));
    if !actor.role.writes_projects() {
        return Err(PageError::App(
            Error::Forbidden("您的角色不能修改招商项目".into()),
            layout(),
        ));
    }
    let project = app
        .get_project(actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let choices = app.form_choices(actor).await?;
    Ok(ProjectFormPage::build(
        actor,
        format!("修改项目：{}", project.name),
        format!("/projects/{id}"),
        format!("/projects/{id}"),
        false,
        input_of(&project),
        String::new(),
        project.version,
        Invalid::default(),
        None,
        &choices,
    )
    .into_response())
}

async fn update(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(body): Form<ProjectFormBody>,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    let version: i64 = body.version.trim().parse().unwrap_or(-1);
    let result = match body.input.parse() {
        Ok(fields) => app.update_project(actor, id, &fields, version).await,
        // Refusals (role, scope) come before what was typed is judged.
        Err(problems) => match app.project_for_update(actor, id).await {
            Ok(_) => Err(Error::Invalid(problems)),
            Err(refused) => Err(refused),
        },
    };
    let (errors, notice, status) = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response()),
        Err(Error::Invalid(errors)) => (
            errors,
            "有信息填写不正确，请按提示修改后重新提交。".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Error::Conflict(m)) => (Invalid::default(), m, StatusCode::CONFLICT),
        Err(e) => return Err(PageError::App(e, Some(Layout::of(actor)))),
    };
    let choices = app.form_choices(actor).await?;
    let page = ProjectFormPage::build(
        actor,
        "修改项目".into(),
        format!("/projects/{id}"),
        format!("/projects/{id}"),
        false,
        body.input,
        String::new(),
        version,
        errors,
        Some(notice),
        &choices,
    );
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
struct TransitionBody {
    #[serde(flatten)]
    input: TransitionInput,
    #[serde(default)]
    version: String,
}

async fn transition(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(body): Form<TransitionBody>,
) -> Result<Response, PageError> {
    let version = body.version.trim().parse::<i64>().ok();
    let moved = match body.input.parse() {
        Ok(request) => {
            app.transition_project(&user.actor, id, &request, version)
                .await
        }
        // Refusals (role, scope) come before what was typed is judged.
        Err(problems) => match app.project_for_update(&user.actor, id).await {
            Ok(_) => Err(Error::Invalid(problems)),
            Err(refused) => Err(refused),
        },
    };
    match moved {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}?msg=moved")).into_response()),
        Err(Error::Invalid(errors)) => {
            let page = render_detail(
                &app,
                &user,
                id,
                Some((body.input, errors)),
                None,
                None,
                Some("阶段未变更：请按提示修改后重新提交。".into()),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Error::Conflict(m)) => {
            let page = render_detail(
                &app,
                &user,
                id,
                Some((body.input, Invalid::default())),
                None,
                None,
                Some(m),
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

#[derive(Deserialize)]
struct NoteBody {
    #[serde(default)]
    body: String,
    #[serde(default)]
    date: String,
}

async fn add_note(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(note): Form<NoteBody>,
) -> Result<Response, PageError> {
    match app.add_note(&user.actor, id, &note.body, &note.date).await {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}?msg=noted")).into_response()),
        Err(Error::Invalid(errors)) => {
            let page = render_detail(
                &app,
                &user,
                id,
                None,
                Some((note.body, note.date, errors)),
                None,
                Some("进展未记录：请按提示修改。".into()),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

// ---- JSON API ----

/// A page of projects and the sums over every project the filters select.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ProjectList {
    items: Vec<Project>,
    total: i64,
    page: i64,
    per_page: i64,
    sums: Totals,
}

#[utoipa::path(
    get,
    path = "/api/v1/projects",
    tag = "projects",
    operation_id = "projects_list",
    summary = "Projects the caller may see, filtered and paged, with sums",
    params(crate::service::projects::ListParams),
    responses(
        (status = 200, description = "一页项目与合计", body = ProjectList),
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "输入有误：errors 逐项列出字段和规则", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn list_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<ProjectList>> {
    let (page, sums) = app.list_projects(&actor, &params).await?;
    Ok(Json(ProjectList {
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        sums,
        items: page.items,
    }))
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
            (Some(code), _) if code.trim().is_empty() => {
                errors.add("industry_code", "所属行业不能为空，请选择国民经济行业大类");
                None
            }
            (Some(code), _) => IndustryCode::parse(code).or_else(|| {
                errors.add(
                    "industry_code",
                    format!("所属行业代码“{code}”不是 GB/T 4754-2017 的行业大类代码（01–97）"),
                );
                None
            }),
            (None, Some(current)) => Some(current),
            (None, None) => {
                errors.add("industry_code", "所属行业不能为空，请选择国民经济行业大类");
                None
            }
        };
        let channel = match &self.channel {
            Some(Some(key)) if key.trim().is_empty() => None,
            Some(Some(key)) => Channel::parse(key.trim()).or_else(|| {
                errors.add("channel", "招商方式无效，请从列表中选择");
                None
            }),
            Some(None) => None,
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
        (status = 201, description = "新项目", body = Project),
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "输入有误：errors 逐项列出字段和规则", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn create_api(
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
    let project = app.create_project(&actor, &fields, lead_on).await?;
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

#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    operation_id = "projects_show",
    summary = "One project",
    params(("id" = i64, Path, description = "记录编号")),
    responses(
        (status = 200, description = "项目", body = Project),
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在管辖范围内", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn show_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<Project>> {
    Ok(Json(app.get_project(&actor, id).await?))
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
        description = "只需所改字段；version（读取时的版本号）必填；lead_on 创建后不可修改"
    ),
    responses(
        (status = 200, description = "修改后的项目", body = Project),
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在管辖范围内", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "输入有误：errors 逐项列出字段和规则", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已被他人修改（version 不符）或状态不允许", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn patch_api(
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
    let fields = body
        .fields(Some(fields_of(&current)?), current.unit_id)
        .map_err(|problems| ApiError(problems.into()))?;
    Ok(Json(
        app.update_project(&actor, id, &fields, version).await?,
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
        (status = 200, description = "变更后的项目", body = Project),
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在管辖范围内", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "输入有误：errors 逐项列出字段和规则", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已被他人修改（version 不符）或状态不允许", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn transition_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Json<Project>> {
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
            .await?,
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
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在管辖范围内", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn history_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
) -> ApiResult<Json<History>> {
    let items: Vec<HistoryEntry> = app.project_history(&actor, id).await?;
    Ok(Json(History { items }))
}

/// A project's history, oldest first.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct History {
    items: Vec<HistoryEntry>,
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
        (status = 201, description = "新的进展记录", body = HistoryEntry),
        (status = 401, description = "未登录或会话已过期", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "角色无权操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在管辖范围内", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "输入有误：errors 逐项列出字段和规则", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
)]
async fn note_api(
    State(app): State<App>,
    ApiUser(actor): ApiUser,
    ApiProjectId(id): ApiProjectId,
    body: Bytes,
) -> ApiResult<Response> {
    let body: NoteJson = parse_body(&body)?;
    let event = app.add_note(&actor, id, &body.body, &body.date).await?;
    Ok((StatusCode::CREATED, Json(event)).into_response())
}
