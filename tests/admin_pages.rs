//! The administrators' page in the browser's terms (forms and redirects): the system
//! administrator keeps units and accounts, the security administrator assigns and unlocks, a
//! refused form keeps what was typed, and each action lands in the audit trail.

mod common;

use axum::http::{StatusCode, header};
use common::{PASSWORD, spawn_app};
use zhaoshang::domain::user::Role;

async fn with_admins() -> (common::TestApp, String, String) {
    let t = spawn_app().await;
    for (login, role) in [("sysadmin", Role::Sysadmin), ("secadmin", Role::Secadmin)] {
        t.app
            .add_user(login, login, role, "yutian_county", PASSWORD, false)
            .await
            .unwrap();
    }
    let sys = t.cookie("sysadmin").await;
    let sec = t.cookie("secadmin").await;
    (t, sys, sec)
}

fn location(reply: &common::Reply) -> String {
    reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

/// The id the page gives a unit or account row (`<tr id="unit-7">`), found by its code/login.
fn row_id(page: &str, kind: &str, key: &str) -> i64 {
    let cell = format!("<td>{key}</td>");
    let at = page
        .find(&cell)
        .unwrap_or_else(|| panic!("{key} on the page"));
    let open = page[..at].rfind(&format!("<tr id=\"{kind}-")).unwrap();
    let rest = &page[open + format!("<tr id=\"{kind}-").len()..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

#[tokio::test]
async fn the_system_administrator_adds_a_unit_and_a_refused_form_keeps_what_was_typed() {
    let (t, sys, _) = with_admins().await;
    let refused = t
        .post_form(
            "/admin/units",
            Some(&sys),
            &[("code", "新 桥"), ("name", "新桥镇"), ("parent", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("单位代码不能为空，只能由"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("请选择上级单位"));
    assert!(refused.text.contains("value=\"新 桥\""));
    assert!(refused.text.contains("value=\"新桥镇\""));

    let created = t
        .post_form(
            "/admin/units",
            Some(&sys),
            &[
                ("code", "town_xinqiao"),
                ("name", "新桥镇"),
                ("parent", "yutian_county"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let page = t.get_page(&location(&created), &sys).await;
    assert!(page.text.contains("单位已新建。"));
    assert!(page.text.contains("<td>town_xinqiao</td>"));

    // The same code again: refused with the reason, the typed name kept.
    let again = t
        .post_form(
            "/admin/units",
            Some(&sys),
            &[
                ("code", "town_xinqiao"),
                ("name", "新桥镇二"),
                ("parent", "yutian_county"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text.contains("单位代码“town_xinqiao”已存在"));
    assert!(again.text.contains("value=\"新桥镇二\""));

    // Renamed and moved under the bureau; then retired, as nothing is active in it.
    let id = row_id(&page.text, "unit", "town_xinqiao");
    let moved = t
        .post_form(
            &format!("/admin/units/{id}"),
            Some(&sys),
            &[("name", "新桥招商分队"), ("parent", "invest_bureau")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.text);
    let units = t
        .get(
            "/api/v1/units",
            Some(&t.token_with("sysadmin", PASSWORD).await),
        )
        .await
        .json();
    let unit = units["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "town_xinqiao")
        .unwrap()
        .clone();
    assert_eq!(unit["name"], "新桥招商分队");
    let bureau = units["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "invest_bureau")
        .unwrap()["id"]
        .clone();
    assert_eq!(unit["parent_id"], bureau);

    // Moving it under itself is refused beside the field.
    let loop_ = t
        .post_form(
            &format!("/admin/units/{id}"),
            Some(&sys),
            &[("name", "新桥招商分队"), ("parent", "town_xinqiao")],
        )
        .await;
    assert_eq!(loop_.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        loop_
            .text
            .contains("不能把单位移到它自己或它的下级单位之下")
    );

    let retired = t
        .post_form(&format!("/admin/units/{id}/retire"), Some(&sys), &[])
        .await;
    assert_eq!(retired.status, StatusCode::SEE_OTHER);
    let page = t.get_page(&location(&retired), &sys).await;
    assert!(page.text.contains("单位已撤销。"));

    // A unit with people and projects in it is not retired; the page says why.
    let park = row_id(&page.text, "unit", "park");
    let busy = t
        .post_form(&format!("/admin/units/{park}/retire"), Some(&sys), &[])
        .await;
    assert_eq!(busy.status, StatusCode::CONFLICT);
    assert!(busy.text.contains("在用账号"), "{}", busy.text);
}

#[tokio::test]
async fn a_new_account_gets_a_one_time_password_shown_once_and_must_change_it() {
    let (t, sys, _) = with_admins().await;
    let refused = t
        .post_form(
            "/admin/users",
            Some(&sys),
            &[
                ("login", "有 空格"),
                ("name", "王敏"),
                ("unit", "town_houhu"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("账号须为"), "{}", refused.text);
    assert!(refused.text.contains("value=\"王敏\""));
    // The chosen unit stays chosen.
    assert!(
        refused
            .text
            .contains("<option value=\"town_houhu\" selected>")
    );
    // 三员分立: the form offers no role; the security administrator gives one.
    let form = scraper::Html::parse_document(&refused.text);
    let role_fields = scraper::Selector::parse("#new-account select[name=role]").unwrap();
    assert_eq!(form.select(&role_fields).count(), 0);

    let created = t
        .post_form(
            "/admin/users",
            Some(&sys),
            &[
                ("login", "wangmin"),
                ("name", "王敏"),
                ("unit", "town_houhu"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.headers[header::CACHE_CONTROL], "no-store");
    let password = created
        .text
        .split("id=\"one-time-password\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();
    assert!(password.len() >= 12, "{password}");
    // Signing in with it leads to the page that replaces it.
    let signed_in = t
        .post_form(
            "/login",
            None,
            &[("login", "wangmin"), ("password", password.as_str())],
        )
        .await;
    assert_eq!(location(&signed_in), "/account/password");

    // Reset: a new one-time password, shown once; disable and enable.
    let page = t.get_page("/admin", &sys).await;
    let id = row_id(&page.text, "account", "wangmin");
    // Both steps ask first: each button sits inside its own closed confirmation, which names
    // the account.
    for step in ["disable", "reset"] {
        let ask = format!("details#confirm-{step}-{id}");
        assert_eq!(
            page.attrs(&ask, "open"),
            Vec::<String>::new(),
            "{step} starts closed"
        );
        let inside = page.texts(&format!("{ask} form p"));
        assert!(
            inside.iter().any(|p| p.contains("wangmin")),
            "{step}: {inside:?}"
        );
        assert_eq!(page.texts(&format!("{ask} form button")).len(), 1, "{step}");
    }
    let reset = t
        .post_form(
            &format!("/admin/users/{id}/reset-password"),
            Some(&sys),
            &[],
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert!(reset.text.contains("密码已重置"));
    assert!(!reset.text.contains(&password));
    let disabled = t
        .post_form(&format!("/admin/users/{id}/disable"), Some(&sys), &[])
        .await;
    let page = t.get_page(&location(&disabled), &sys).await;
    assert!(page.text.contains("账号已停用"));
    assert!(page.text.contains("已停用</td>"));
    let enabled = t
        .post_form(&format!("/admin/users/{id}/enable"), Some(&sys), &[])
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER);

    // Every step is in the audit trail, with the administrator as actor.
    t.app
        .add_user(
            "auditor",
            "审计员",
            Role::Auditor,
            "yutian_county",
            PASSWORD,
            false,
        )
        .await
        .unwrap();
    let trail = t
        .get(
            "/api/v1/audit?actor=sysadmin&entity=user",
            Some(&t.token("auditor").await),
        )
        .await
        .json();
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["create", "reset_password", "disable", "enable"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn the_security_administrator_assigns_and_unlocks_and_the_system_administrator_cannot() {
    let (t, sys, sec) = with_admins().await;
    for _ in 0..5 {
        t.sign_in("officer_town1", "Wrong-Pass-1").await;
    }
    let page = t.get_page("/admin", &sec).await;
    assert_eq!(page.status, StatusCode::OK);
    let id = row_id(&page.text, "account", "officer_town1");
    assert!(page.text.contains(&format!("/admin/users/{id}/unlock")));
    // The system administrator's page offers no role, unit or unlock form.
    let sys_page = t.get_page("/admin", &sys).await;
    assert!(!sys_page.text.contains("/unlock\""));
    assert!(!sys_page.text.contains("/assign\""));
    let not_sys = t
        .post_form(&format!("/admin/users/{id}/unlock"), Some(&sys), &[])
        .await;
    assert_eq!(not_sys.status, StatusCode::FORBIDDEN);
    assert!(not_sys.text.contains("只有安全管理员可以解锁账号"));

    let unlocked = t
        .post_form(&format!("/admin/users/{id}/unlock"), Some(&sec), &[])
        .await;
    assert_eq!(unlocked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.sign_in("officer_town1", PASSWORD).await.status,
        StatusCode::OK
    );

    // A bad unit is refused beside its field, the chosen role kept.
    let refused = t
        .post_form(
            &format!("/admin/users/{id}/assign"),
            Some(&sec),
            &[("role", "leader"), ("unit", "nowhere")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("单位“nowhere”不存在"));
    assert!(refused.text.contains("<option value=\"leader\" selected>"));
    let assigned = t
        .post_form(
            &format!("/admin/users/{id}/assign"),
            Some(&sec),
            &[("role", "leader"), ("unit", "town_jiangshan")],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.text);
    let page = t.get_page(&location(&assigned), &sec).await;
    assert!(page.text.contains("角色和单位已调整"));

    // No form is taken without the session's anti-forgery token.
    let forged = t
        .post_form(
            &format!("/admin/users/{id}/assign"),
            Some(&sec),
            &[("role", "officer"), ("unit", "park"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
