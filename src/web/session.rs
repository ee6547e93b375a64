//! Signing in and out, and changing one's password: the sign-in page and the session API.

use super::auth::{ApiUser, ClientAddr, PageUser, SESSION_COOKIE, bearer_token, cookie_token};
use super::error::PageError;
use super::json::{ApiResult, parse_body};
use super::views::{Layout, LoginPage, PasswordPage};
use crate::domain::validation::Invalid;
use crate::error::Error;
use crate::service::App;
use crate::web::error::Problem;
use crate::web::openapi::{SignedIn, Valid};
use axum::body::Bytes;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
}

pub fn api_routes() -> Router<App> {
    Router::new()
        .route("/session", post(sign_in_api).delete(sign_out_api))
        .route("/session/password", post(change_password_api))
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
/// Each role's start page: business roles their own at `/`, administrators and auditors theirs.
pub fn home_of(actor: &crate::domain::user::Actor) -> &'static str {
    if actor.must_change_password {
        super::auth::CHANGE_PASSWORD_PAGE
    } else {
        home_of_role(actor.role)
    }
}

fn home_of_role(role: crate::domain::user::Role) -> &'static str {
    use crate::domain::user::Role;
    match role {
        r if r.reads_projects() => "/",
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

// ---- JSON API ----

#[derive(Deserialize, utoipa::ToSchema)]
struct SignIn {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/session",
    tag = "session",
    operation_id = "session_sign_in",
    summary = "Sign in: a bearer token for the API",
    request_body = SignIn,
    responses(
        (status = 200, description = "会话令牌与账号", body = SessionStarted),
        (status = 401, description = "账号或密码错误", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "请求体不是有效的 JSON", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "账号已锁定", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "尝试过于频繁", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn sign_in_api(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    body: Bytes,
) -> ApiResult<Response> {
    let body: SignIn = parse_body(&body)?;
    let (token, actor) = app
        .sign_in_from(&body.login, &body.password, client.as_deref())
        .await?;
    Ok(Json(SessionStarted {
        token: token.0,
        user: SessionUser {
            id: actor.id,
            login: actor.login,
            name: actor.name,
            role: actor.role,
            unit_id: actor.unit_id,
        },
        expires_in: app.config.session_max_hours * 3600,
    })
    .into_response())
}

/// A new session: the bearer token, who it speaks for, and its longest life in seconds.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SessionStarted {
    token: String,
    user: SessionUser,
    expires_in: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SessionUser {
    id: crate::domain::ids::UserId,
    login: String,
    name: String,
    role: crate::domain::user::Role,
    unit_id: crate::domain::ids::UnitId,
}

#[derive(Deserialize, utoipa::ToSchema)]
struct PasswordChange {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    /// Optional for API callers: the new password typed again.
    confirm: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/session/password",
    tag = "session",
    operation_id = "session_change_password",
    summary = "Change one's own password",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "已修改"),
        SignedIn,
        Valid,
    ),
    security(("bearer" = [])),
)]
async fn change_password_api(
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

#[utoipa::path(
    delete,
    path = "/api/v1/session",
    tag = "session",
    operation_id = "session_sign_out",
    summary = "Sign out: the token stops working",
    responses(
        (status = 204, description = "已退出"),
        SignedIn,
    ),
    security(("bearer" = [])),
)]
async fn sign_out_api(
    State(app): State<App>,
    headers: HeaderMap,
    ApiUser(actor): ApiUser,
) -> ApiResult<StatusCode> {
    let token = bearer_token(&headers).unwrap_or_default();
    app.sign_out(&token, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
