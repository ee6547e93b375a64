//! 三员分立 over the JSON API: the system administrator keeps units and accounts, the security
//! administrator assigns roles and unlocks, neither touches business data, and everybody
//! else is refused (and the refusal audited).

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, spawn_app};
use serde_json::{Value, json};
use zhaoshang::domain::user::Role;

const ADMIN_PASSWORD: &str = "Admin-Pass-2026";
const SEC_PASSWORD: &str = ADMIN_PASSWORD;
const AUDIT_PASSWORD: &str = ADMIN_PASSWORD;

/// The demo county with its three administrators.
async fn admins() -> (common::TestApp, String, String) {
    let t = spawn_app().await;
    for (login, role) in [
        ("sysadmin", Role::Sysadmin),
        ("secadmin", Role::Secadmin),
        ("auditor", Role::Auditor),
    ] {
        t.app
            .add_user(login, login, role, "yutian_county", ADMIN_PASSWORD, false)
            .await
            .unwrap();
    }
    let sys = t.token_with("sysadmin", ADMIN_PASSWORD).await;
    let sec = t.token_with("secadmin", ADMIN_PASSWORD).await;
    (t, sys, sec)
}

fn user_id(list: &Value, login: &str) -> i64 {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == login)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_system_administrator_adds_units_and_accounts_with_one_time_passwords() {
    let (t, sys, _) = admins().await;
    let unit = t
        .post_json(
            "/api/v1/units",
            Some(&sys),
            &json!({"code": "town_xin", "name": "新设镇", "parent": "yutian_county"}),
        )
        .await;
    assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.text);
    let units = t.get("/api/v1/units", Some(&sys)).await.json();
    assert!(
        units["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["code"] == "town_xin")
    );

    // 三员分立: the system administrator makes the account, with no role …
    let created = t
        .post_json(
            "/api/v1/users",
            Some(&sys),
            &json!({"login": "xin_officer", "name": "新镇专员", "unit": "town_xin"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let one_time = created.json()["one_time_password"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(created.json()["user"]["must_change_password"], true);
    assert_eq!(created.json()["user"]["role"], "pending");
    let new_id = created.json()["user"]["id"].as_i64().unwrap();
    // The security administrator cannot give it a role before its owner has replaced the
    // one-time password the system administrator saw.
    let early = t
        .patch_json(
            &format!("/api/v1/users/{new_id}"),
            Some(&t.token_with("secadmin", SEC_PASSWORD).await),
            &json!({"role": "officer", "unit": "town_xin"}),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    // … and the system administrator cannot give it one, business or administrator.
    for role in ["officer", "auditor"] {
        let refused = t
            .post_json(
                "/api/v1/users",
                Some(&sys),
                &json!({"login": "x2", "name": "某", "role": role, "unit": "town_xin"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("role"),
            "{}",
            refused.text
        );
        assert!(
            !refused.text.contains("expected one of"),
            "{}",
            refused.text
        );
    }
    // The new account changes its password, and still may see nothing …
    let token = t.sign_in("xin_officer", &one_time).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::FORBIDDEN
    );
    let changed = t
        .post_json(
            "/api/v1/session/password",
            Some(&token),
            &json!({"current": one_time, "new": "Xin-Officer-2026", "confirm": "Xin-Officer-2026"}),
        )
        .await;
    assert!(changed.status.is_success(), "{}", changed.text);
    let token = t.token_with("xin_officer", "Xin-Officer-2026").await;
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::FORBIDDEN
    );
    // … until the security administrator gives it a role.
    let sec = t.token_with("secadmin", SEC_PASSWORD).await;
    let assigned = t
        .patch_json(
            &format!("/api/v1/users/{new_id}"),
            Some(&sec),
            &json!({"role": "officer", "unit": "town_xin"}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text);
    let token = t.token_with("xin_officer", "Xin-Officer-2026").await;
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::OK
    );
    // Bad input names the field and the rule.
    let bad = t
        .post_json(
            "/api/v1/units",
            Some(&sys),
            &json!({"code": "有 空格", "name": ""}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"].as_array().unwrap().len(), 3);
    // The system administrator reads no business data.
    assert_eq!(
        t.get("/api/v1/projects", Some(&sys)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn disabling_and_resetting_end_sessions_and_change_what_signs_in() {
    let (t, sys, _) = admins().await;
    let officer = t.token("officer").await;
    let list = t.get("/api/v1/users", Some(&sys)).await.json();
    let id = user_id(&list, "officer");

    let off = t
        .post_json(
            &format!("/api/v1/users/{id}/disable"),
            Some(&sys),
            &json!({}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_eq!(
        t.get("/api/v1/projects", Some(&officer)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = t.sign_in("officer", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.json()["detail"].as_str().unwrap().contains("停用"));
    t.post_json(
        &format!("/api/v1/users/{id}/enable"),
        Some(&sys),
        &json!({}),
    )
    .await;
    assert_eq!(t.sign_in("officer", PASSWORD).await.status, StatusCode::OK);

    let reset = t
        .post_json(
            &format!("/api/v1/users/{id}/reset-password"),
            Some(&sys),
            &json!({}),
        )
        .await
        .json();
    let one_time = reset["one_time_password"].as_str().unwrap();
    assert_eq!(
        t.sign_in("officer", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let fresh = t.sign_in("officer", one_time).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        t.get("/api/v1/projects", Some(&fresh)).await.status,
        StatusCode::FORBIDDEN,
        "a reset password is one-time"
    );
    // No administrator acts on their own account this way.
    let me = user_id(&list, "sysadmin");
    let own = t
        .post_json(
            &format!("/api/v1/users/{me}/disable"),
            Some(&sys),
            &json!({}),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_security_administrator_assigns_roles_and_unlocks_and_nothing_more() {
    let (t, sys, sec) = admins().await;
    let list = t.get("/api/v1/users", Some(&sec)).await.json();
    let id = user_id(&list, "officer_town1");

    // Moving an officer to another unit moves what the officer sees.
    let moved = t
        .patch_json(
            &format!("/api/v1/users/{id}"),
            Some(&sec),
            &json!({"role": "leader", "unit": "yutian_county"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.json()["role"], "leader");
    let token = t.token("officer_town1").await;
    let all = t.get("/api/v1/projects", Some(&token)).await.json()["total"]
        .as_i64()
        .unwrap();
    let leader_sees = t
        .get("/api/v1/projects", Some(&t.token("leader").await))
        .await
        .json()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(all, leader_sees);

    for _ in 0..5 {
        t.sign_in("officer", "Wrong-Pass-1").await;
    }
    assert_eq!(
        t.sign_in("officer", PASSWORD).await.status,
        StatusCode::LOCKED
    );
    let officer_id = user_id(&list, "officer");
    let unlocked = t
        .post_json(
            &format!("/api/v1/users/{officer_id}/unlock"),
            Some(&sec),
            &json!({}),
        )
        .await;
    assert_eq!(unlocked.status, StatusCode::OK, "{}", unlocked.text);
    assert_eq!(t.sign_in("officer", PASSWORD).await.status, StatusCode::OK);

    // Each administrator keeps to their own work.
    let r = t
        .post_json(
            "/api/v1/units",
            Some(&sec),
            &json!({"code": "x", "name": "某"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("只有系统管理员")
    );
    let r = t
        .patch_json(
            &format!("/api/v1/users/{id}"),
            Some(&sys),
            &json!({"role": "officer", "unit": "park"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("只有安全管理员")
    );
}

#[tokio::test]
async fn business_accounts_are_refused_administration_and_the_refusal_is_audited() {
    let (t, _, _) = admins().await;
    let leader = t.token("leader").await;
    for (path, body) in [
        ("/api/v1/units", Some(json!({"code": "x", "name": "某"}))),
        ("/api/v1/users", None),
        ("/api/v1/units", None),
    ] {
        let r = match body {
            Some(b) => t.post_json(path, Some(&leader), &b).await,
            None => t.get(path, Some(&leader)).await,
        };
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(r.content_type, "application/problem+json");
    }
    let mut conn = t.db.pool.acquire().await.unwrap();
    let denied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'permission_denied' AND actor_login = 'leader'",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(denied, 3);
}

fn unit_id(list: &Value, code: &str) -> i64 {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn units_are_renamed_moved_and_retired_and_scope_follows_the_tree() {
    let (t, sys, sec) = admins().await;
    let units = t.get("/api/v1/units", Some(&sys)).await.json();
    let (town, park) = (unit_id(&units, "town_jiangshan"), unit_id(&units, "park"));
    let total = |token: String| {
        let t = &t;
        async move {
            t.get("/api/v1/projects", Some(&token)).await.json()["total"]
                .as_i64()
                .unwrap()
        }
    };
    let park_before = total(t.token("officer").await).await;
    let town_projects = total(t.token("officer_town1").await).await;
    assert!(town_projects > 0);

    // Moving the town under the park puts its projects in the park officer's scope.
    let moved = t
        .patch_json(
            &format!("/api/v1/units/{town}"),
            Some(&sys),
            &json!({"parent": "park", "name": "江山镇（园区托管）"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.json()["name"], "江山镇（园区托管）");
    assert_eq!(moved.json()["parent_id"], park);
    assert_eq!(
        total(t.token("officer").await).await,
        park_before + town_projects
    );
    // A unit cannot go under itself or its own subtree.
    let loop_ = t
        .patch_json(
            &format!("/api/v1/units/{park}"),
            Some(&sys),
            &json!({"parent": "town_jiangshan"}),
        )
        .await;
    assert_eq!(loop_.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(loop_.json()["errors"][0]["field"], "parent");

    // Retiring needs an empty unit.
    let busy = t
        .post_json(
            &format!("/api/v1/units/{town}/retire"),
            Some(&sys),
            &json!({}),
        )
        .await;
    assert_eq!(busy.status, StatusCode::CONFLICT);
    assert!(busy.json()["detail"].as_str().unwrap().contains("在用账号"));
    let empty = t
        .post_json(
            "/api/v1/units",
            Some(&sys),
            &json!({"code": "old_team", "name": "旧分队", "parent": "invest_bureau"}),
        )
        .await
        .json();
    let retired = t
        .post_json(
            &format!("/api/v1/units/{}/retire", empty["id"]),
            Some(&sys),
            &json!({}),
        )
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.text);
    assert_eq!(retired.json()["retired"], true);
    // A retired unit takes no new accounts.
    let list = t.get("/api/v1/users", Some(&sec)).await.json();
    let someone = user_id(&list, "officer_team1");
    let r = t
        .patch_json(
            &format!("/api/v1/users/{someone}"),
            Some(&sec),
            &json!({"role": "officer", "unit": "old_team"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("已撤销")
    );
    // Only the system administrator changes the tree.
    let r = t
        .patch_json(
            &format!("/api/v1/units/{town}"),
            Some(&sec),
            &json!({"name": "某"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// No administrator takes over another: the system administrator cannot reset, disable or
/// re-enable an administrator's account, the security administrator cannot unlock or re-role
/// one, nor make an ordinary account an administrator. Those are done on the server's command
/// line (`user add`, `user reset`) only.
#[tokio::test]
async fn no_administrator_can_reset_or_take_over_another_administrators_account() {
    let (t, sys, sec) = admins().await;
    let list = t.get("/api/v1/users", Some(&sys)).await.json();
    let auditor = user_id(&list, "auditor");
    let security = user_id(&list, "secadmin");
    let system = user_id(&list, "sysadmin");
    for (path, token) in [
        (format!("/api/v1/users/{auditor}/reset-password"), &sys),
        (format!("/api/v1/users/{security}/reset-password"), &sys),
        (format!("/api/v1/users/{auditor}/disable"), &sys),
        (format!("/api/v1/users/{security}/disable"), &sys),
        (format!("/api/v1/users/{auditor}/unlock"), &sec),
        (format!("/api/v1/users/{system}/unlock"), &sec),
    ] {
        let refused = t.post_json(&path, Some(token), &json!({})).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            refused.text
        );
        assert!(
            refused.json()["detail"]
                .as_str()
                .unwrap()
                .contains("命令行")
        );
    }
    let rerole = t
        .patch_json(
            &format!("/api/v1/users/{system}"),
            Some(&sec),
            &json!({"role": "leader", "unit": "yutian_county"}),
        )
        .await;
    assert_eq!(rerole.status, StatusCode::FORBIDDEN, "{}", rerole.text);
    let officer = user_id(&list, "officer");
    for role in ["auditor", "sysadmin", "secadmin"] {
        let made = t
            .patch_json(
                &format!("/api/v1/users/{officer}"),
                Some(&sec),
                &json!({"role": role, "unit": "yutian_county"}),
            )
            .await;
        assert_eq!(
            made.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{role}: {}",
            made.text
        );
        assert_eq!(made.json()["errors"][0]["field"], "role");
    }
    // The auditor's password still works: nobody changed it.
    assert_eq!(
        t.sign_in("auditor", AUDIT_PASSWORD).await.status,
        StatusCode::OK
    );
}

/// The command line resets any account, administrators included, and says so in the trail.
#[tokio::test]
async fn the_command_line_resets_an_administrators_password() {
    let (t, _, _) = admins().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhaoshang"))
        .args(["--db", &t.url, "user", "reset", "--login", "auditor"])
        .env("ZHAOSHANG_PASSWORD", "Audit-New-2026!")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        t.sign_in("auditor", "Audit-New-2026!").await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.sign_in("auditor", AUDIT_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    t.assert_audit_intact().await;
}
