//! The project pages: the list, the form, the record page with its stage changes and notes.

use crate::domain::ids::ProjectId;
use crate::domain::project::{ProjectFields, ProjectInput, entry_date, entry_date_edit};
use crate::domain::transition::TransitionInput;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::App;
use crate::service::projects::ListParams;
use crate::web::auth::PageUser;
use crate::web::error::PageError;
use crate::web::extract::PageProjectId;
use crate::web::views::{
    DuplicateView, Layout, ProjectDetailPage, ProjectFormPage, ProjectListPage,
};
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub(super) async fn list(
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
    if let Some(last) = &view.last_href {
        return Ok(Redirect::to(last).into_response());
    }
    Ok((status, view).into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct NewProjectQuery {
    /// Recording a project for this 客商库 record: its name and industry are filled in.
    investor_id: Option<String>,
}

pub(super) async fn new_form(
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
    let page = ProjectFormPage::build(
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
    );
    Ok(suggesting(&app, actor, page).await?.into_response())
}

/// The form with the names it suggests as the user types.
async fn suggesting(
    app: &App,
    actor: &crate::domain::user::Actor,
    mut page: ProjectFormPage,
) -> Result<ProjectFormPage, PageError> {
    let (investors, referrers) = app
        .project_form_suggestions(actor)
        .await
        .map_err(|e| PageError::App(e, Some(Layout::of(actor))))?;
    page.investor_names = investors;
    page.referrer_names = referrers;
    Ok(page)
}

#[derive(Deserialize)]
pub(super) struct ProjectFormBody {
    #[serde(flatten)]
    input: ProjectInput,
    #[serde(default)]
    lead_on: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    confirm_duplicate: String,
}

pub(super) async fn create(
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
        Ok((fields, lead_on)) => {
            let confirm = body.confirm_duplicate == "1";
            app.create_project(actor, &fields, lead_on, confirm).await
        }
        Err(problems) => Err(Error::Invalid(problems)),
    };
    match created {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}?msg=created", p.id)).into_response()),
        Err(e @ (Error::Invalid(_) | Error::Duplicate(..))) => {
            let (status, errors, notice, duplicates) = match e {
                Error::Duplicate(message, candidates) => (
                    StatusCode::CONFLICT,
                    Invalid::default(),
                    message,
                    candidates,
                ),
                Error::Invalid(errors) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors,
                    "有信息填写不正确，请按提示修改后重新提交。".to_string(),
                    Vec::new(),
                ),
                _ => unreachable!("matched above"),
            };
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
                Some(notice),
                &choices,
            );
            let mut page = suggesting(&app, actor, page).await?;
            page.ask_confirm = status == StatusCode::CONFLICT;
            page.duplicates = duplicates
                .iter()
                .map(|c| DuplicateView {
                    id: c["id"].as_i64().unwrap_or_default(),
                    name: c["name"].as_str().unwrap_or_default().to_string(),
                    detail: format!(
                        "{} · {} · {} · 录入于 {}",
                        c["investor_name"].as_str().unwrap_or_default(),
                        c["unit"].as_str().unwrap_or_default(),
                        c["stage_label"].as_str().unwrap_or_default(),
                        c["lead_on"].as_str().unwrap_or_default()
                    ),
                })
                .collect();
            Ok((status, page).into_response())
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
pub(super) struct DetailQuery {
    msg: Option<String>,
}

pub(super) async fn render_detail(
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

pub(super) async fn detail(
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

pub(super) async fn edit_form(
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
    let page = ProjectFormPage::build(
        actor,
        format!("修改项目：{}", project.name),
        format!("/projects/{id}"),
        format!("/projects/{id}"),
        false,
        ProjectInput::from(&project),
        crate::domain::dates::iso(project.lead_on),
        project.version,
        Invalid::default(),
        None,
        &choices,
    );
    Ok(suggesting(&app, actor, page).await?.into_response())
}

pub(super) async fn update(
    State(app): State<App>,
    user: PageUser,
    PageProjectId(id): PageProjectId,
    Form(body): Form<ProjectFormBody>,
) -> Result<Response, PageError> {
    let actor = &user.actor;
    let version: i64 = body.version.trim().parse().unwrap_or(-1);
    let parsed = match (body.input.parse(), entry_date_edit(&body.lead_on)) {
        (Ok(fields), Ok(day)) => Ok((fields, day)),
        (Err(mut problems), Err(more)) => {
            problems.0.extend(more.0);
            Err(problems)
        }
        (Err(problems), _) | (_, Err(problems)) => Err(problems),
    };
    let result = match parsed {
        Ok((fields, day)) => app.update_project(actor, id, &fields, version, day).await,
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
        body.lead_on,
        version,
        errors,
        Some(notice),
        &choices,
    );
    Ok((status, suggesting(&app, actor, page).await?).into_response())
}

#[derive(Deserialize)]
pub(super) struct TransitionBody {
    #[serde(flatten)]
    input: TransitionInput,
    #[serde(default)]
    version: String,
}

pub(super) async fn transition(
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
pub(super) struct NoteBody {
    #[serde(default)]
    body: String,
    #[serde(default)]
    date: String,
}

pub(super) async fn add_note(
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
