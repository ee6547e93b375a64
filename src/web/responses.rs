//! Rules every response follows, whichever handler (or the framework itself) produced it:
//! business data is never cached, HTTPS is remembered when cookies are secure, and an error the
//! framework answers on its own (a wrong method, a body too large, a malformed query) reaches the
//! user as the API's problem+json or the Chinese error page — never as library text.

use crate::service::App;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

pub(super) async fn rules(State(app): State<App>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let api = path.starts_with("/api/");
    let mut response = next.run(request).await;
    // The health check answers monitors in plain words, as they expect.
    if path != "/healthz" && framework_made(&response) {
        let allow = response.headers().get(header::ALLOW).cloned();
        response = in_our_words(response.status(), api);
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let headers = response.headers_mut();
    // Pages, exports and API answers hold business data or tokens: no cache keeps them. Only
    // the stylesheet (which sets its own policy) may be cached.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if app.config.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// An error response that none of our handlers wrote: ours are problem+json (API) or an HTML
/// page, so anything else with an error status came from the framework.
fn framework_made(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !(content_type.starts_with("application/problem+json") || content_type.starts_with("text/html"))
}

/// What a status the framework answered means, in words a user can act on: a title and what
/// to do.
fn meaning(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => (
            "请求格式不正确",
            "请求的格式不正确（例如地址中的参数或表单的编码有误），请检查后重试",
        ),
        StatusCode::NOT_FOUND => ("未找到", "您访问的地址不存在"),
        StatusCode::METHOD_NOT_ALLOWED => ("请求方法不支持", "这个地址不支持该请求方法"),
        StatusCode::PAYLOAD_TOO_LARGE => ("内容过大", "提交的内容超过了大小上限，请拆分后分批提交"),
        StatusCode::URI_TOO_LONG => ("地址过长", "请求地址过长，请减少筛选条件后重试"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "内容类型不支持",
            "请求内容的类型不受支持：接口请使用 application/json，页面请使用表单提交",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => ("输入有误", "提交的内容无法识别，请检查后重试"),
        StatusCode::REQUEST_TIMEOUT => ("请求超时", "请求超时，请稍后重试"),
        s if s.is_server_error() => (
            "服务器内部错误",
            "服务器内部错误，请稍后再试；如果持续出现，请联系系统管理员",
        ),
        _ => ("请求无法处理", "请求无法处理，请检查后重试"),
    }
}

fn in_our_words(status: StatusCode, api: bool) -> Response {
    if status.is_server_error() {
        tracing::error!(%status, "the framework answered a server error");
    }
    let (title, detail) = meaning(status);
    super::error::status_answer(status, title, detail, api)
}
