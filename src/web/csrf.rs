//! Cross-site request forgery: every state-changing form of a signed-in page carries the
//! session's form token as `csrf`; a POST to a page without it is refused before any handler
//! runs. (The API is not cookie-authenticated — it takes a bearer token — and sign-in has no
//! session yet; SameSite=Strict cookies are the second line for both.)

use super::auth::cookie_token;
use super::error::PageError;
use crate::error::Error;
use crate::service::auth::form_token;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Form bodies are small; anything larger is refused here rather than buffered.
const MAX_FORM_BYTES: usize = 1 << 20;

fn exempt(path: &str) -> bool {
    path == "/login" || path.starts_with("/api/")
}

pub async fn check(request: Request, next: Next) -> Response {
    if request.method() != Method::POST || exempt(request.uri().path()) {
        return next.run(request).await;
    }
    // Without a session the handler sends the browser to sign in; nothing can change.
    let Some(session) = cookie_token(request.headers()) else {
        return next.run(request).await;
    };
    // A file upload (multipart) is large and read by its handler alone: the token is its first
    // field, checked there before the file is read (tokens never go in URLs, which logs and
    // Referer headers keep). Only the uploads that do so accept multipart at all.
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        if CHECKS_ITS_OWN_TOKEN.contains(&request.uri().path()) {
            return next.run(request).await;
        }
        return refused();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return refused();
    };
    let sent = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf"))
        .map(|(_, v)| v);
    if sent.as_deref() != Some(form_token(&session).as_str()) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Upload pages whose handler checks the token as the first multipart field, before reading
/// anything else (`web::imports::preview_page`).
const CHECKS_ITS_OWN_TOKEN: [&str; 1] = ["/imports"];

pub fn refused() -> Response {
    PageError::from(Error::Forbidden(
        "页面已过期，或请求并非来自本系统的页面，未作任何修改。请返回上一页刷新后重试。".into(),
    ))
    .into_response()
}
