//! Account security: repeated wrong passwords lock an account for a while, on the API and on
//! the sign-in page alike, and every attempt lands in the audit trail.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, spawn_app, spawn_app_with};
use serde_json::json;
use zhaoshang::config::Config;

async fn api_sign_in(t: &common::TestApp, password: &str) -> common::Reply {
    t.sign_in("officer", password).await
}

async fn audit_actions(t: &common::TestApp) -> Vec<String> {
    let mut conn = t.db.pool.acquire().await.unwrap();
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
    let mut conn = t.db.pool.acquire().await.unwrap();
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
    let ghost = t.sign_in("nobody", "x").await;
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
    t.assert_audit_intact().await;
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

    let mut conn = t.db.pool.acquire().await.unwrap();
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

const ONE_TIME: &str = "Once-Only-2026";
const OWN: &str = "My-Own-Pass-9";

async fn add_one_time_account(t: &common::TestApp, login: &str) {
    use zhaoshang::domain::user::Role;
    t.app
        .add_user(login, "新来的专员", Role::Officer, "park", ONE_TIME, true)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_before_anything_else_api() {
    let t = spawn_app().await;
    add_one_time_account(&t, "newbie").await;
    let tr = &t;
    let sign_in = |password: &'static str| async move {
        let body = json!({"login": "newbie", "password": password});
        tr.post_json("/api/v1/session", None, &body).await
    };
    let token = sign_in(ONE_TIME).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let other = sign_in(ONE_TIME).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let blocked = t.get("/api/v1/projects", Some(&token)).await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert!(
        blocked.json()["detail"]
            .as_str()
            .unwrap()
            .contains("须先修改密码")
    );

    let token_ref = &token;
    let change = |current: &'static str, new: &'static str| async move {
        let body = json!({"current": current, "new": new});
        tr.post_json("/api/v1/session/password", Some(token_ref), &body)
            .await
    };
    let weak = change(ONE_TIME, "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.json()["errors"][0]["field"], "new");
    let wrong = change("Not-The-Pass-1", OWN).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "current");
    assert_eq!(change(ONE_TIME, OWN).await.status, StatusCode::NO_CONTENT);

    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::OK
    );
    // Other sessions of the account ended; the old password no longer opens one.
    assert_eq!(
        t.get("/api/v1/projects", Some(&other)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in(ONE_TIME).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(OWN).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_before_anything_else_pages() {
    let t = spawn_app().await;
    add_one_time_account(&t, "newbie2").await;
    let cookie = t.cookie_with("newbie2", ONE_TIME).await;
    let list = t.get_page("/projects", &cookie).await;
    assert_eq!(list.status, StatusCode::SEE_OTHER);
    assert_eq!(list.headers["location"], "/account/password");
    let form = t.get_page("/account/password", &cookie).await;
    assert!(form.text.contains("一次性密码"), "{}", form.text);

    let mismatch = t
        .post_form(
            "/account/password",
            Some(&cookie),
            &[
                ("current", ONE_TIME),
                ("new", OWN),
                ("confirm", "My-Own-Pass-8"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text.contains("两次输入的新密码不一致"));
    let done = t
        .post_form(
            "/account/password",
            Some(&cookie),
            &[("current", ONE_TIME), ("new", OWN), ("confirm", OWN)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(done.headers["location"], "/", "to the start page");
    assert_eq!(
        t.get_page("/projects", &cookie).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_system_administrator_sees_no_business_menu() {
    use zhaoshang::domain::user::Role;
    let t = spawn_app().await;
    t.app
        .add_user(
            "sysadmin",
            "系统管理员",
            Role::Sysadmin,
            "yutian_county",
            OWN,
            false,
        )
        .await
        .unwrap();
    let cookie = t.cookie_with("sysadmin", OWN).await;
    let page = t.get_page("/account/password", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    // Changing the password leads on to the administrator's own page, not the project list.
    let changed = t
        .post_form(
            "/account/password",
            Some(&cookie),
            &[
                ("current", OWN),
                ("new", "Sys-Admin-2027"),
                ("confirm", "Sys-Admin-2027"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text);
    assert_eq!(changed.headers["location"], "/admin");
    assert!(
        !page.text.contains(r#"href="/projects/new""#),
        "{}",
        page.text
    );
    let leader = t.cookie("leader").await;
    let page = t.get_page("/account/password", &leader).await;
    assert!(page.text.contains(r#"href="/projects/new""#));
}

#[tokio::test]
async fn refusals_of_business_data_are_audited() {
    let t = spawn_app().await;
    let id = t.a_park_project().await;
    // Out of scope: answered "not found", recorded as a refusal.
    let town = t.token("officer_town1").await;
    let r = t.get(&format!("/api/v1/projects/{id}"), Some(&town)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut conn = t.db.pool.acquire().await.unwrap();
    let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT actor_login, entity_id FROM audit_log WHERE action = 'permission_denied' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![(Some("officer_town1".to_string()), Some(id.to_string()))]
    );
}

/// Guesses sent all at once cannot outrun the lock: each is counted before its password is
/// checked, so at most the allowed number are ever checked, whatever their number.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_sent_at_once_get_no_more_guesses_than_the_lock_allows() {
    let t = spawn_app_with(Config {
        password_checks: 4,
        ..Config::default()
    })
    .await;
    let attempts: Vec<_> = (0..20)
        .map(|n| {
            let password = if n == 19 { PASSWORD } else { "Wrong-Pass-1" };
            t.spawn_send(common::api_request(
                "POST",
                "/api/v1/session",
                None,
                Some(&json!({"login": "officer", "password": password})),
            ))
        })
        .collect();
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.expect("answered").status);
    }
    let actions = audit_actions(&t).await;
    let checked_and_wrong = actions.iter().filter(|a| *a == "sign_in_failed").count();
    // The right password, when its turn comes before the lock, signs in and clears the
    // failures counted before it (never a lock already set): at most one more allowance.
    let resets = actions.iter().filter(|a| *a == "sign_in").count();
    assert!(
        checked_and_wrong <= 5 * (1 + resets),
        "{checked_and_wrong} wrong passwords were checked: {actions:?} {statuses:?}"
    );
    let refused_wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!(refused_wrong <= 4 * (1 + resets), "{statuses:?}");
    // However the burst fell, the account is locked after it: even the right password waits.
    let after = t
        .send(common::api_request(
            "POST",
            "/api/v1/session",
            None,
            Some(&json!({"login": "officer", "password": PASSWORD})),
        ))
        .await;
    assert_eq!(after.status, StatusCode::LOCKED, "{}", after.text);
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::LOCKED, StatusCode::OK].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::LOCKED), "{statuses:?}");
    t.assert_audit_intact().await;
}

/// Beside the limit per address, one on all addresses together: many addresses cannot share
/// the guessing.
#[tokio::test]
async fn sign_ins_from_all_addresses_together_are_limited() {
    let t = spawn_app_with(Config {
        sign_ins_per_minute_total: 3,
        ..Config::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            t.sign_in("nobody", "x").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = t.sign_in("officer", PASSWORD).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text
    );
    assert_eq!(refused.content_type, "application/problem+json");
}
