//! Account security: repeated wrong passwords lock an account for a while, on the API and on
//! the sign-in page alike, and every attempt lands in the audit trail.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, spawn_app, spawn_app_with};
use serde_json::json;
use zhaoshang::config::Config;

async fn api_sign_in(t: &common::TestApp, password: &str) -> common::Reply {
    t.post_json(
        "/api/v1/session",
        None,
        &json!({"login": "officer", "password": password}),
    )
    .await
}

async fn audit_actions(t: &common::TestApp) -> Vec<String> {
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'sign_in%' OR action = 'lock' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_until_the_lock_runs_out() {
    let t = spawn_app().await;
    for attempt in 1..=4 {
        let r = api_sign_in(&t, "Wrong-Pass-1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert_eq!(r.json()["detail"], "账号或密码不正确");
    }
    let fifth = api_sign_in(&t, "Wrong-Pass-1").await;
    assert_eq!(fifth.status, StatusCode::LOCKED, "{}", fifth.text);
    assert_eq!(fifth.content_type, "application/problem+json");
    assert!(
        fifth.json()["detail"]
            .as_str()
            .unwrap()
            .contains("已被锁定")
    );
    // Locked: even the right password is refused, and says why.
    let right = api_sign_in(&t, PASSWORD).await;
    assert_eq!(right.status, StatusCode::LOCKED);
    let actions = audit_actions(&t).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "sign_in_failed").count(),
        5,
        "{actions:?}"
    );
    assert!(actions.contains(&"lock".to_string()));
    assert!(actions.contains(&"sign_in_locked".to_string()));

    // The lock runs out (moved into the past here): the right password works and the count
    // starts afresh — one more wrong password is an ordinary refusal.
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    sqlx::query("UPDATE users SET locked_until = 1 WHERE login = 'officer'")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(api_sign_in(&t, PASSWORD).await.status, StatusCode::OK);
    assert_eq!(
        api_sign_in(&t, "Wrong-Pass-1").await.status,
        StatusCode::UNAUTHORIZED
    );
    // Unknown accounts are refused alike and audited, revealing nothing.
    let ghost = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"login": "nobody", "password": "x"}),
        )
        .await;
    assert_eq!(ghost.status, StatusCode::UNAUTHORIZED);
    assert_eq!(ghost.json()["detail"], "账号或密码不正确");
}

#[tokio::test]
async fn the_sign_in_page_shows_the_lock_and_keeps_the_login_typed() {
    let t = spawn_app_with(Config {
        lockout_attempts: 2,
        ..Config::default()
    })
    .await;
    let form = |password: &'static str| [("login", "officer"), ("password", password)];
    let first = t.post_form("/login", None, &form("Wrong-Pass-1")).await;
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    assert!(first.text.contains("账号或密码不正确"));
    let second = t.post_form("/login", None, &form("Wrong-Pass-1")).await;
    assert_eq!(second.status, StatusCode::LOCKED);
    assert!(second.text.contains("已被锁定"), "{}", second.text);
    assert!(
        second.text.contains(r#"value="officer""#),
        "{}",
        second.text
    );
    let right = t.post_form("/login", None, &form(PASSWORD)).await;
    assert_eq!(right.status, StatusCode::LOCKED);
    assert!(right.headers.get("set-cookie").is_none());
    // Other accounts are unaffected.
    let other = t
        .post_form(
            "/login",
            None,
            &[("login", "leader"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_in_attempts_keep_the_audit_chain_intact() {
    let t = spawn_app().await;
    for _ in 0..6 {
        api_sign_in(&t, "Wrong-Pass-1").await;
    }
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let check = zhaoshang::store::audit::verify(&mut conn).await.unwrap();
    assert!(
        matches!(check, zhaoshang::store::audit::ChainCheck::Intact { .. }),
        "{check:?}"
    );
}

#[tokio::test]
async fn a_form_post_without_the_sessions_form_token_changes_nothing() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let id = t.a_park_project().await;
    let before = t
        .get(
            &format!("/api/v1/projects/{id}"),
            Some(&t.token("officer").await),
        )
        .await
        .json();
    let note = format!("/projects/{id}/notes");
    for csrf in ["", "0123456789abcdef0123456789abcdef"] {
        let r = t
            .post_form(
                &note,
                Some(&cookie),
                &[("csrf", csrf), ("body", "伪造的进展"), ("date", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert!(r.text.contains("未作任何修改"), "{}", r.text);
    }
    let after = t
        .get(
            &format!("/api/v1/projects/{id}"),
            Some(&t.token("officer").await),
        )
        .await
        .json();
    assert_eq!(before["version"], after["version"]);
    // The page's own form carries the token and goes through.
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    assert!(page.text.contains(r#"name="csrf""#));
    let ok = t
        .post_form(
            &note,
            Some(&cookie),
            &[("body", "真实的进展"), ("date", "")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
}

fn from_addr(addr: &str, login: &str, password: &str) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            json!({"login": login, "password": password}).to_string(),
        ))
        .unwrap();
    let socket: std::net::SocketAddr = format!("{addr}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(socket));
    req
}

#[tokio::test]
async fn sign_in_floods_from_one_address_are_refused_and_addresses_are_audited() {
    let t = spawn_app_with(Config {
        sign_ins_per_minute: 3,
        ..Config::default()
    })
    .await;
    for _ in 0..3 {
        let r = t
            .send(from_addr("10.1.2.3", "leader", "Wrong-Pass-1"))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let flood = t.send(from_addr("10.1.2.3", "leader", PASSWORD)).await;
    assert_eq!(
        flood.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        flood.text
    );
    assert_eq!(flood.content_type, "application/problem+json");
    assert!(
        flood.json()["detail"]
            .as_str()
            .unwrap()
            .contains("过于频繁")
    );
    // Another address is not held back.
    let other = t.send(from_addr("10.9.9.9", "leader", PASSWORD)).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text);

    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, client_addr FROM audit_log WHERE action LIKE 'sign_in%' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let failed: Vec<_> = rows.iter().filter(|(a, _)| a == "sign_in_failed").collect();
    assert_eq!(failed.len(), 3, "{rows:?}");
    assert!(failed.iter().all(|(_, c)| c.as_deref() == Some("10.1.2.3")));
    assert!(rows.contains(&("sign_in".to_string(), Some("10.9.9.9".to_string()))));
}
