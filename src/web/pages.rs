//! The browser's pages: plain forms, no JavaScript needed.

use super::auth::{ClientAddr, PageUser, SESSION_COOKIE, cookie_token};
use super::error::PageError;
use super::extract::PageProjectId;
use super::views::{
    Layout, LoginPage, PasswordPage, ProjectDetailPage, ProjectFormPage, ProjectListPage,
};
use crate::domain::ids::ProjectId;
use crate::domain::project::ProjectInput;
use crate::domain::transition::TransitionInput;
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::App;
use crate::service::projects::{ListParams, input_of};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
        .route("/projects", get(list).post(create))
        .route("/projects/new", get(new_form))
        .route("/projects/{id}", get(detail).post(update))
        .route("/projects/{id}/edit", get(edit_form))
        .route("/projects/{id}/transitions", post(transition))
        .route("/projects/{id}/notes", post(add_note))
}

fn session_cookie(app: &App, token: &str, max_age: i64) -> String {
    let secure = if app.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    )
}

async fn login_form(State(app): State<App>, headers: HeaderMap) -> Response {
    // Already signed in: straight to work.
    if let Some(token) = cookie_token(&headers)
        && let Ok(Some(_)) = app.actor_for_token(&token).await
    {
        return Redirect::to("/projects").into_response();
    }
    LoginPage {
        layout: Layout::default(),
        login: String::new(),
        error: None,
    }
    .into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Form(form): Form<LoginForm>,
) -> Response {
    let refuse = |message: String, status: StatusCode| {
        (
            status,
            LoginPage {
                layout: Layout::default(),
                login: form.login.clone(),
                error: Some(message),
            },
        )
            .into_response()
    };
    if form.login.trim().is_empty() || form.password.is_empty() {
        return refuse("请输入账号和密码".into(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    match app
        .sign_in_from(&form.login, &form.password, client.as_deref())
        .await
    {
        Ok((token, actor)) => {
            let cookie = session_cookie(&app, &token.0, app.config.session_max_hours * 3600);
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to(home_of(&actor)),
            )
                .into_response()
        }
        Err(Error::Unauthorized(m)) => refuse(m, StatusCode::UNAUTHORIZED),
        Err(Error::Locked(m)) => refuse(m, StatusCode::LOCKED),
        Err(Error::TooManyRequests(m)) => refuse(m, StatusCode::TOO_MANY_REQUESTS),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn password_form(user: PageUser) -> Response {
    PasswordPage {
        layout: Layout::of(&user.actor),
        forced: user.actor.must_change_password,
        errors: Invalid::default(),
    }
    .into_response()
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(
    State(app): State<App>,
    user: PageUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    match app
        .change_password(
            &user.actor,
            &user.token,
            &form.current,
            &form.new,
            &form.confirm,
        )
        .await
    {
        // On to where this role works (the password is no longer one-time).
        Ok(()) => Ok(Redirect::to(home_of_role(user.actor.role)).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                layout: Layout::of(&user.actor),
                forced: user.actor.must_change_password,
                errors,
            },
        )
            .into_response()),
        Err(e) => Err(PageError::App(e, Some(Layout::of(&user.actor)))),
    }
}

/// Where an account starts: the project list, or for the 三员 administrators their own page.
fn home_of(actor: &crate::domain::user::Actor) -> &'static str {
    if actor.must_change_password {
        super::auth::CHANGE_PASSWORD_PAGE
    } else {
        home_of_role(actor.role)
    }
}

fn home_of_role(role: crate::domain::user::Role) -> &'static str {
    use crate::domain::user::Role;
    match role {
        r if r.reads_projects() => "/projects",
        Role::Auditor => "/audit",
        Role::Sysadmin | Role::Secadmin => "/admin",
        _ => super::auth::CHANGE_PASSWORD_PAGE,
    }
}

async fn logout(State(app): State<App>, user: PageUser) -> Result<Response, PageError> {
    app.sign_out(&user.token, &user.actor).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&app, "", 0))],
        Redirect::to("/login"),
    )
        .into_response())
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
    if !actor.role.writes_projects() {
        return Err(PageError::App(
            Error::Forbidden("您的角色不能录入招商项目".into()),
            Some(Layout::of(actor)),
        ));
    }
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
    match app.create_project(actor, &body.input, &body.lead_on).await {
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
    let events = app
        .project_events(actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let from_lead = app
        .lead_of_project(actor, id)
        .await
        .map_err(|e| PageError::App(e, layout()))?;
    let mut page = ProjectDetailPage::build(
        actor,
        &project,
        &events,
        app.today(),
        &app.config,
        failed,
        note,
        flash,
        problem,
    );
    page.from_lead = from_lead;
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
    let result = app.update_project(actor, id, &body.input, version).await;
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
    match app
        .transition_project(&user.actor, id, &body.input, version)
        .await
    {
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
