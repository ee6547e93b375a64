//! Every response follows the same rules, whichever part of the server wrote it: business data
//! is never cached, HTTPS is remembered when cookies are secure, and the framework's own
//! refusals (wrong method, body too large, wrong content type) come back as problem+json on the
//! API and as the Chinese error page elsewhere, with no library text.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{spawn_app, spawn_app_with};
use zhaoshang::config::Config;

fn header_of(reply: &common::Reply, name: header::HeaderName) -> String {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Words no user should meet: the framework's and its libraries' own.
fn library_words(text: &str) -> bool {
    [
        "length limit",
        "Failed to",
        "Content-Type",
        "Expected request",
        "deserialize",
    ]
    .iter()
    .any(|w| text.contains(w))
}

#[tokio::test]
async fn answers_with_business_data_are_never_cached() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let cookie = t.cookie("officer").await;
    let api = t.get("/api/v1/projects", Some(&token)).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(header_of(&api, header::CACHE_CONTROL), "no-store");
    let page = t.get_page("/projects", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(header_of(&page, header::CACHE_CONTROL), "no-store");
    let export = t.get_page("/projects.xlsx", &cookie).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(header_of(&export, header::CACHE_CONTROL), "no-store");
    let signed_in = t.sign_in("officer", common::PASSWORD).await;
    assert_eq!(header_of(&signed_in, header::CACHE_CONTROL), "no-store");
    // Without secure cookies (plain HTTP on a LAN) there is no HTTPS to remember.
    assert_eq!(header_of(&api, header::STRICT_TRANSPORT_SECURITY), "");
}

#[tokio::test]
async fn https_is_remembered_when_cookies_are_secure() {
    let t = spawn_app_with(Config {
        secure_cookies: true,
        ..Config::default()
    })
    .await;
    let login = t.get("/login", None).await;
    assert!(
        header_of(&login, header::STRICT_TRANSPORT_SECURITY).starts_with("max-age="),
        "{:?}",
        login.headers
    );
}

#[tokio::test]
async fn the_frameworks_refusals_are_answered_in_our_words() {
    let t = spawn_app().await;
    let token = t.token("officer").await;

    // A method the route does not take: problem+json, with the methods it does take.
    let wrong_method = t
        .send(
            Request::builder()
                .method(Method::DELETE)
                .uri("/api/v1/projects")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.content_type, "application/problem+json");
    assert_eq!(wrong_method.json()["status"], 405);
    assert!(!header_of(&wrong_method, header::ALLOW).is_empty());

    // A body past the limit: 413, in Chinese.
    let huge = format!(r#"{{"name": "{}"}}"#, "x".repeat(3 * 1024 * 1024));
    let too_large = t
        .send(
            Request::post("/api/v1/projects")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(huge))
                .unwrap(),
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.content_type, "application/problem+json");
    let detail = too_large.json()["detail"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(detail.contains("大小上限"), "{detail}");
    assert!(!library_words(&too_large.text), "{}", too_large.text);

    // A page's form sent as something else: the error page, not a library sentence.
    let cookie = t.cookie("officer").await;
    let session = cookie.split_once('=').map_or("", |(_, v)| v).to_string();
    let csrf = zhaoshang::service::auth::form_token(&session);
    let wrong_type = t
        .send(
            Request::post("/investors")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(format!("csrf={csrf}&name=x")))
                .unwrap(),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(wrong_type.content_type.starts_with("text/html"));
    let shown = wrong_type.texts("main").join(" ");
    assert!(shown.contains("内容类型不支持"), "{shown}");
    assert!(!library_words(&wrong_type.text), "{}", wrong_type.text);

    // The health check keeps its plain words for monitors.
    let health = t.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.text, "ok");
}
