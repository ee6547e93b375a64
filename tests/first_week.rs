//! The rough edges a county office meets in its first week (issue 11, part 4), each as a user
//! meets it: through the pages and the API of a server loaded with the demo county.

mod common;

use axum::http::{StatusCode, header};
use common::spawn_app;
use serde_json::json;

fn location(reply: &common::Reply) -> String {
    reply.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string()
}

/// The stage bar shows 在谈 once a project has been there, with the date it got there.
#[tokio::test]
async fn the_stage_bar_shows_negotiating_with_its_date() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let p = t.create_project(&token, "阶段条测试项目", 8000).await;
    let id = p["id"].as_i64().unwrap();
    let moved = t
        .transition(
            &token,
            id,
            json!({"to": "negotiating", "date": "2026-02-03"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.json()["negotiating_on"], "2026-02-03");
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    let steps = page.texts("ol.milestones li");
    assert_eq!(steps.len(), 8, "{steps:?}");
    assert_eq!(steps[1], "在谈 2026-02-03", "{steps:?}");
    let reached = page.texts("ol.milestones li.reached");
    assert_eq!(
        reached,
        vec!["线索 2026-01-05".to_string(), "在谈 2026-02-03".to_string()]
    );
}

/// A closed project (终止, 退出, 否决) is never flagged as stale and sorts after every active
/// one when the list is ordered by staleness.
#[tokio::test]
async fn closed_projects_are_not_stale() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let created = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &json!({"name": "早已否决的项目", "investor_name": "某投资公司", "industry_code": "38",
                    "total_investment": {"yuan": 10_000_000, "currency": "CNY"},
                    "lead_on": "2019-01-05"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json()["id"].as_i64().unwrap();
    let closed = t
        .transition(
            &token,
            id,
            json!({"to": "rejected", "date": "2019-02-01", "reason": "不符合园区准入条件"}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);

    // The stalest first: it would lead the list (no progress since 2019) were it active.
    let stale = t
        .get("/api/v1/projects?sort=stale&per_page=100", Some(&token))
        .await
        .json();
    let first = &stale["items"][0];
    assert_ne!(
        first["id"].as_i64(),
        Some(id),
        "a closed project is not the stalest"
    );
    assert!(
        !["terminated", "exited", "rejected"].contains(&first["stage"].as_str().unwrap()),
        "{first}"
    );
    let total = stale["total"].as_i64().unwrap();
    let last_page = (total + 99) / 100;
    let last = t
        .get(
            &format!("/api/v1/projects?sort=stale&per_page=100&page={last_page}"),
            Some(&token),
        )
        .await
        .json();
    let last_items = last["items"].as_array().unwrap();
    let tail_stages: Vec<&str> = last_items
        .iter()
        .rev()
        .take_while(|p| p["id"].as_i64() != Some(id))
        .map(|p| p["stage"].as_str().unwrap())
        .collect();
    assert!(
        tail_stages
            .iter()
            .all(|s| ["terminated", "exited", "rejected"].contains(s)),
        "only closed projects come after it: {tail_stages:?}"
    );

    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/projects/{id}"), &cookie).await;
    let progress = page.texts("dd").join(" ");
    assert!(!progress.contains("无新进展"), "{progress}");
    let list = t.get_page("/projects?q=早已否决的项目", &cookie).await;
    let cells = list.texts("table.list tbody tr td");
    assert_eq!(cells.last().map(String::as_str), Some("—"), "{cells:?}");
    assert!(list.attrs("td.idle-long", "class").is_empty());
}

/// A page past the end of a list goes to its last page.
#[tokio::test]
async fn a_page_past_the_end_goes_to_the_last_page() {
    let t = spawn_app().await;
    let cookie = t.cookie("leader").await;
    let far = t.get_page("/projects?stage=lead&page=999", &cookie).await;
    assert_eq!(far.status, StatusCode::SEE_OTHER);
    let to = location(&far);
    assert!(to.starts_with("/projects?stage=lead&page="), "{to}");
    let last = t.get_page(&to, &cookie).await;
    assert_eq!(last.status, StatusCode::OK);
    let pager = last.texts("nav.pager span").join("");
    let (shown, of) = pager
        .trim_start_matches("第 ")
        .trim_end_matches(" 页")
        .split_once(" / ")
        .unwrap();
    assert_eq!(shown, of, "{pager}");
    assert!(!last.texts("table.list tbody tr td a").is_empty());
    for path in ["/investors?page=999", "/leads?page=999", "/visits?page=999"] {
        let far = t.get_page(path, &cookie).await;
        assert_eq!(far.status, StatusCode::SEE_OTHER, "{path}");
        assert!(!location(&far).contains("999"), "{path}");
    }
}

/// An unknown address keeps the navigation for whoever is signed in.
#[tokio::test]
async fn an_unknown_address_keeps_the_navigation() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let page = t.get_page("/nowhere/at-all", &cookie).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.texts("header nav a").iter().any(|a| a == "项目库"));
    assert!(page.texts("main").join("").contains("页面不存在"));
    let anonymous = t.send(
        axum::http::Request::get("/nowhere")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    let anonymous = anonymous.await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(anonymous.texts("header nav a").is_empty());
}

/// Areas accept their units as money accepts 万 and 亿: "120亩", "8公顷", "5000平方米".
#[tokio::test]
async fn areas_are_typed_with_their_units() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let created = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", "带单位面积的项目"),
                ("investor_name", "测试投资有限公司"),
                ("industry_code", "39"),
                ("total_investment", "3.5亿"),
                ("currency", "CNY"),
                ("land_area", "120亩"),
                ("building_area", "5000平方米"),
                ("lead_on", "2026-03-01"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let page = t.get_page(&location(&created), &cookie).await;
    let facts = page.texts("dd").join(" | ");
    assert!(facts.contains("120.00 亩（80,000 ㎡）"), "{facts}");
    assert!(facts.contains("| 5,000 ㎡ |"), "{facts}");
    let refused = t
        .post_form(
            "/projects",
            Some(&cookie),
            &[
                ("name", "面积写错的项目"),
                ("investor_name", "测试投资有限公司"),
                ("industry_code", "39"),
                ("total_investment", "3000"),
                ("currency", "CNY"),
                ("land_area", "约120亩"),
                ("lead_on", "2026-03-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.texts(".error").join("").contains("用地面积"));
    assert_eq!(
        refused.attrs("input[name=land_area]", "value"),
        vec!["约120亩"]
    );
}
