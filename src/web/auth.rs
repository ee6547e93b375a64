//! Who is calling: a session cookie for pages, a Bearer token for the API.

use super::error::{ApiError, PageError};
use crate::domain::user::Actor;
use crate::error::Error;
use crate::service::App;
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, header, request::Parts};

pub const SESSION_COOKIE: &str = "zs_session";

/// The signed-in account on a page request, and its session token.
pub struct PageUser {
    pub actor: Actor,
    pub token: String,
}

/// The signed-in account on an API request, with its bearer token.
pub struct ApiUser(pub Actor);

/// The full request path (a nested router sees its own part only).
fn full_path(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| parts.uri.path().to_string(), |u| u.0.path().to_string())
}

/// Where an account holding a one-time password may still go.
pub const CHANGE_PASSWORD_PAGE: &str = "/account/password";
pub const CHANGE_PASSWORD_API: &str = "/api/v1/session/password";

pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The token of `Authorization: Bearer <token>`.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The client's IP address, when the server knows it (not behind a trusted proxy setup yet).
pub struct ClientAddr(pub Option<String>);

fn client_of(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_of(parts)))
    }
}

impl FromRequestParts<App> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = cookie_token(&parts.headers).ok_or(PageError::SignIn)?;
        match app.actor_for_token(&token).await.map_err(PageError::from)? {
            Some(mut actor) => {
                let path = full_path(parts);
                if actor.must_change_password && path != CHANGE_PASSWORD_PAGE && path != "/logout" {
                    return Err(PageError::ChangePassword);
                }
                actor.client_addr = client_of(parts);
                Ok(PageUser { actor, token })
            }
            None => Err(PageError::SignIn),
        }
    }
}

impl FromRequestParts<App> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            ApiError(Error::Unauthorized(
                "请先登录：缺少有效的访问令牌（Authorization: Bearer）".into(),
            ))
        };
        let token = bearer_token(&parts.headers).ok_or_else(unauthorized)?;
        match app.actor_for_token(&token).await? {
            Some(mut actor) => {
                let path = full_path(parts);
                let signing_out =
                    path == "/api/v1/session" && parts.method == axum::http::Method::DELETE;
                if actor.must_change_password && path != CHANGE_PASSWORD_API && !signing_out {
                    return Err(ApiError(Error::Forbidden(format!(
                        "该账号使用的是一次性密码，须先修改密码（POST {CHANGE_PASSWORD_API}）"
                    ))));
                }
                actor.client_addr = client_of(parts);
                Ok(ApiUser(actor))
            }
            None => Err(ApiError(Error::Unauthorized(
                "访问令牌无效或已过期，请重新登录".into(),
            ))),
        }
    }
}
