//! The auditor reads the audit trail — filtered, paged, exported — and nothing else; nobody
//! else reads it.

mod common;

use axum::http::StatusCode;
use common::spawn_app;
use serde_json::json;
use zhaoshang::domain::user::Role;

const AUDITOR_PASSWORD: &str = "Audit-Pass-2026";

async fn with_auditor() -> common::TestApp {
    let t = spawn_app().await;
    t.app
        .add_user(
            "auditor",
            "审计员",
            Role::Auditor,
            "yutian_county",
            AUDITOR_PASSWORD,
            false,
        )
        .await
        .unwrap();
    t
}

async fn auditor_token(t: &common::TestApp) -> String {
    t.token_with("auditor", AUDITOR_PASSWORD).await
}

#[tokio::test]
async fn the_auditor_filters_the_trail_by_account_entity_action_and_date() {
    let t = with_auditor().await;
    let bad = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"login": "officer", "password": "Wrong-Pass-1"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let officer = t.token("officer").await;
    t.create_project(&officer, "审计可查的项目", 900).await;
    let token = auditor_token(&t).await;

    let failed = t
        .get("/api/v1/audit?action=sign_in_failed", Some(&token))
        .await
        .json();
    assert_eq!(failed["total"], 1, "{}", failed["total"]);
    assert_eq!(failed["items"][0]["after"]["login"], "officer");

    let created = t
        .get(
            "/api/v1/audit?actor=officer&entity=project&action=create",
            Some(&token),
        )
        .await
        .json();
    // Newest first: the project just created heads the officer's creations (the demo load
    // created others in the officer's name).
    assert!(created["total"].as_i64().unwrap() >= 1);
    assert_eq!(created["items"][0]["after"]["name"], "审计可查的项目");
    assert_eq!(created["items"][0]["actor_unit"], "玉田工业园区管委会");
    assert!(
        created["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor_login"] == "officer"
                && e["entity"] == "project"
                && e["action"] == "create")
    );

    let today = zhaoshang::domain::dates::iso(zhaoshang::domain::dates::shanghai_date(
        time::OffsetDateTime::now_utc(),
    ));
    let all_today = t
        .get(
            &format!("/api/v1/audit?from={today}&to={today}&per_page=5"),
            Some(&token),
        )
        .await
        .json();
    assert!(all_today["total"].as_i64().unwrap() > 50);
    assert_eq!(all_today["items"].as_array().unwrap().len(), 5);
    let none = t
        .get("/api/v1/audit?from=2001-01-01&to=2001-12-31", Some(&token))
        .await
        .json();
    assert_eq!(none["total"], 0);

    let wrong = t
        .get("/api/v1/audit?from=2026-13-01&to=x", Some(&token))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.content_type, "application/problem+json");
    let body = wrong.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"from") && fields.contains(&"to"),
        "{}",
        wrong.text
    );
}

#[tokio::test]
async fn only_the_auditor_reads_the_trail_and_the_auditor_reads_no_projects() {
    let t = with_auditor().await;
    for login in ["leader", "officer"] {
        let r = t.get("/api/v1/audit", Some(&t.token(login).await)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
        assert!(r.json()["detail"].as_str().unwrap().contains("只有审计员"));
    }
    let token = auditor_token(&t).await;
    let projects = t.get("/api/v1/projects", Some(&token)).await;
    assert_eq!(projects.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_audit_page_shows_and_exports_the_filtered_trail() {
    let t = with_auditor().await;
    let cookie = t.cookie_with("auditor", AUDITOR_PASSWORD).await;
    let page = t.get_page("/audit?entity=unit", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("审计日志"));
    assert!(page.text.contains(r#"href="/audit""#), "the auditor's menu");
    // Actions and entities in Chinese, the filter chosen in its list.
    assert!(page.text.contains("<td>新建</td>"), "{}", page.text);
    assert!(
        page.text
            .contains(r#"<option value="unit" selected>单位</option>"#)
    );
    assert!(
        !page.text.contains(r#"href="/projects/new""#),
        "no business menu"
    );
    // A project edit reads as what changed, in words, with the raw record one click away.
    let officer = t.token("officer").await;
    let p = t.create_project(&officer, "审计显示测试项目", 3000).await;
    let id = p["id"].as_i64().unwrap();
    let edited = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            Some(&officer),
            &json!({"version": 1, "total_investment": {"yuan": 50_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    let page = t
        .get_page("/audit?entity=project&action=update", &cookie)
        .await;
    let changes = page.texts("td.changes ul li");
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("总投资") && c.ends_with("：3,000.00万元 → 5,000.00万元")),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .all(|c| !c.contains("version") && !c.contains("updated_at"))
    );
    assert!(!page.texts("td.changes details.raw pre.json").is_empty());
    let bad = t.get_page("/audit?from=yesterday", &cookie).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("起始日期格式不正确"));
    assert!(
        bad.text.contains(r#"value="yesterday""#),
        "what was typed stays"
    );

    let csv = t.get_page("/audit.csv?entity=unit", &cookie).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.text.starts_with("\u{feff}编号,时间"));
    let lines = csv.text.trim_end().lines().count();
    assert!(lines > 5, "{}", csv.text);
    assert!(
        csv.text.lines().skip(1).all(|l| l.contains(",新建,单位,")),
        "{}",
        csv.text
    );
    // Others may not export it.
    let leader = t.cookie("leader").await;
    assert_eq!(
        t.get_page("/audit.csv", &leader).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Every export of business or audit data is itself an audit entry: who, which list, with which
/// filters, how many rows.
#[tokio::test]
async fn every_export_is_an_audit_entry_with_its_filters_and_rows() {
    let t = with_auditor().await;
    let officer = t.cookie("officer").await;
    for path in [
        "/projects.xlsx?stage=contracted",
        "/investors.xlsx?kind=private",
        "/leads.xlsx",
    ] {
        let export = t.get_page(path, &officer).await;
        assert_eq!(export.status, StatusCode::OK, "{path}");
    }
    let auditor = t.cookie_with("auditor", AUDITOR_PASSWORD).await;
    let csv = t.get_page("/audit.csv?entity=unit", &auditor).await;
    assert_eq!(csv.status, StatusCode::OK);
    let token = auditor_token(&t).await;
    let exports = t
        .get("/api/v1/audit?action=export&per_page=50", Some(&token))
        .await
        .json();
    let entries = exports["items"].as_array().expect("items");
    let of = |entity: &str| {
        entries
            .iter()
            .find(|e| e["entity"] == entity)
            .unwrap_or_else(|| panic!("an export of {entity}: {exports}"))
            .clone()
    };
    let projects = of("project");
    assert_eq!(projects["actor_login"], "officer");
    assert_eq!(projects["after"]["filters"], json!({"stage": "contracted"}));
    assert!(projects["after"]["rows"].as_u64().is_some());
    assert_eq!(
        of("investor")["after"]["filters"],
        json!({"kind": "private"})
    );
    assert_eq!(of("lead")["after"]["filters"], json!({}));
    let audit = of("audit");
    assert_eq!(audit["actor_login"], "auditor");
    assert_eq!(audit["after"]["filters"], json!({"entity": "unit"}));
    let csv_rows = csv.text.trim_end().lines().count() - 1;
    assert_eq!(audit["after"]["rows"], json!(csv_rows));
    t.assert_audit_intact().await;
}

/// A login that a spreadsheet would take for a formula, tried at the sign-in form by anyone,
/// reaches the auditor's export as text.
#[tokio::test]
async fn a_formula_typed_as_a_login_is_text_in_the_audit_export() {
    let t = with_auditor().await;
    let tried = "=cmd|' /C calc'!A0";
    let refused = t.sign_in(tried, "whatever-it-is").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let auditor = t.cookie_with("auditor", AUDITOR_PASSWORD).await;
    let csv = t
        .get_page("/audit.csv?action=sign_in_failed", &auditor)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let fields: Vec<&str> = csv
        .text
        .lines()
        .skip(1)
        .flat_map(|line| line.split(','))
        .collect();
    assert!(
        fields.contains(&"'=cmd|' /C calc'!A0"),
        "the login as text: {}",
        csv.text
    );
    assert!(
        !fields.iter().any(|f| f.starts_with(['=', '+', '-', '@'])),
        "no field a spreadsheet would run: {}",
        csv.text
    );
}
