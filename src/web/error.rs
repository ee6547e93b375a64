//! How errors reach people: problem+json for the API, a page for the browser.

use super::views::{ErrorPage, Layout};
use crate::error::Error;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Locked(_) => StatusCode::LOCKED,
        Error::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::Conflict(_) | Error::Duplicate(..) => StatusCode::CONFLICT,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title_of(e: &Error) -> &'static str {
    match e {
        Error::Invalid(_) => "输入有误",
        Error::Unauthorized(_) => "未登录",
        Error::Forbidden(_) => "无权操作",
        Error::NotFound(_) => "未找到",
        Error::Locked(_) => "账号已锁定",
        Error::TooManyRequests(_) => "请求过于频繁",
        Error::Conflict(_) => "数据冲突",
        Error::Duplicate(..) => "可能重复",
        Error::Internal(_) => "服务器内部错误",
    }
}

/// The message a user may see: never the internals of a server fault.
fn detail_of(e: &Error) -> String {
    match e {
        Error::Internal(_) => {
            tracing::error!(error = %e.one_line(), "internal error");
            "服务器内部错误，请稍后再试；如果持续出现，请联系系统管理员".to_string()
        }
        other => other.to_string(),
    }
}

pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

/// Input parsed at the edge and refused: the same 422 the service would answer.
impl From<crate::domain::validation::Invalid> for ApiError {
    fn from(e: crate::domain::validation::Invalid) -> Self {
        ApiError(Error::Invalid(e))
    }
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError(Error::Invalid(crate::domain::validation::Invalid::single(
            "body", detail,
        )))
    }
}

/// An error as the JSON API answers it (RFC 9457 problem details).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status and title say what happened.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    /// What went wrong, in words a user can act on.
    pub detail: String,
    /// For 422: each field and the rule it broke.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<crate::domain::validation::FieldError>>,
    /// For a probable duplicate (409): the records it may duplicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<serde_json::Value>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let problem = Problem {
            kind: "about:blank",
            title: title_of(&self.0),
            status: status.as_u16(),
            detail: detail_of(&self.0),
            errors: match &self.0 {
                Error::Invalid(inv) => Some(inv.0.clone()),
                _ => None,
            },
            candidates: match &self.0 {
                Error::Duplicate(_, candidates) => Some(candidates.clone()),
                _ => None,
            },
        };
        let body = serde_json::to_string(&problem).unwrap_or_else(|_| {
            format!(r#"{{"type":"about:blank","status":{}}}"#, status.as_u16())
        });
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// Errors on pages. Validation errors re-render their form instead (see `pages`).
pub enum PageError {
    SignIn,
    /// Signed in with a one-time password: to the page that replaces it.
    ChangePassword,
    App(Error, Option<Layout>),
    /// As `App`, with the way back (a link and its words) to where the request came from.
    Back(Error, Layout, (String, &'static str)),
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        PageError::App(e, None)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn => Redirect::to("/login").into_response(),
            PageError::ChangePassword => {
                Redirect::to(super::auth::CHANGE_PASSWORD_PAGE).into_response()
            }
            PageError::App(Error::Unauthorized(_), _) => Redirect::to("/login").into_response(),
            PageError::App(e, layout) => {
                let back = ("/projects".to_string(), "返回项目库");
                PageError::Back(e, layout.unwrap_or_default(), back).into_response()
            }
            PageError::Back(Error::Unauthorized(_), ..) => Redirect::to("/login").into_response(),
            PageError::Back(e, layout, (back_href, back_label)) => {
                let status = status_of(&e);
                let page = ErrorPage {
                    layout,
                    title: title_of(&e),
                    detail: detail_of(&e),
                    back_href,
                    back_label,
                };
                match page.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(err) => {
                        tracing::error!(error = %err, "error page failed to render");
                        (status, "服务器内部错误").into_response()
                    }
                }
            }
        }
    }
}

/// An answer for a status and words that no `Error` stands for (the framework's own refusals,
/// see `responses`): problem+json on the API, the error page elsewhere.
pub(super) fn status_answer(
    status: StatusCode,
    title: &'static str,
    detail: &str,
    api: bool,
) -> Response {
    if api {
        let problem = Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail: detail.to_string(),
            errors: None,
            candidates: None,
        };
        let body = serde_json::to_string(&problem).unwrap_or_default();
        return (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
    }
    let page = ErrorPage {
        layout: Layout::default(),
        title,
        detail: detail.to_string(),
        back_href: "/projects".to_string(),
        back_label: "返回项目库",
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "error page failed to render");
            (status, Html(detail.to_string())).into_response()
        }
    }
}

/// An unknown address: signed in, the page keeps the navigation so the way back is one click.
pub async fn not_found_page(
    axum::extract::State(app): axum::extract::State<crate::service::App>,
    headers: axum::http::HeaderMap,
) -> PageError {
    let actor = match super::auth::cookie_token(&headers) {
        Some(token) => app.actor_for_token(&token).await.ok().flatten(),
        None => None,
    };
    let layout = actor
        .filter(|a| !a.must_change_password)
        .map(|a| Layout::of(&a));
    PageError::App(Error::NotFound("您访问的页面不存在".into()), layout)
}
