//! Every role starts on its own page (issue 11, part 2), and every figure on it is the count of
//! the list its link opens.

mod common;

use axum::http::{StatusCode, header};
use common::{PASSWORD, Reply, TestApp, spawn_app};
use serde_json::json;
use zhaoshang::domain::user::Role;

/// The accounts the demo county leaves out: a department and the three administrators.
async fn with_other_roles(t: &TestApp) {
    for (login, role, unit) in [
        ("dept", Role::Department, "park"),
        ("sysadmin", Role::Sysadmin, "yutian_county"),
        ("secadmin", Role::Secadmin, "yutian_county"),
        ("auditor", Role::Auditor, "yutian_county"),
    ] {
        t.app
            .add_user(login, login, role, unit, PASSWORD, false)
            .await
            .unwrap();
    }
}

/// Each figure on a page (`a.figure`, and the numbers of its tables that are links) with the
/// count the list behind it shows.
async fn figures_agree_with_their_lists(t: &TestApp, cookie: &str, page: &Reply) -> usize {
    let doc = scraper::Html::parse_document(&page.text);
    let figure = scraper::Selector::parse("main a.figure").unwrap();
    let count = scraper::Selector::parse(".figure-count").unwrap();
    let cell = scraper::Selector::parse("main td.num a").unwrap();
    let mut pairs: Vec<(String, i64)> = Vec::new();
    for a in doc.select(&figure) {
        let n = a
            .select(&count)
            .next()
            .expect("a count")
            .text()
            .collect::<String>();
        pairs.push((
            a.value().attr("href").unwrap().to_string(),
            n.trim().parse().unwrap(),
        ));
    }
    for a in doc.select(&cell) {
        let n = a.text().collect::<String>();
        pairs.push((
            a.value().attr("href").unwrap().to_string(),
            n.trim().parse().unwrap(),
        ));
    }
    assert!(!pairs.is_empty(), "{}", page.text);
    for (href, shown) in &pairs {
        let list = t.get_page(href, cookie).await;
        assert_eq!(list.status, StatusCode::OK, "{href}");
        let summary = list.texts("#summary strong");
        assert_eq!(
            summary.first().map(String::as_str),
            Some(shown.to_string().as_str()),
            "{href}: the page says {shown}, the list {summary:?}"
        );
    }
    pairs.len()
}

#[tokio::test]
async fn the_leaders_start_page_counts_what_its_links_list() {
    let t = spawn_app().await;
    let cookie = t.cookie("leader").await;
    let page = t.get_page("/", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), vec!["招商工作概览"]);
    let headline = page.texts("#headline .figure-label");
    assert_eq!(
        headline,
        vec!["今年签约", "本月签约", "亿元以上项目", "久无进展"]
    );
    assert_eq!(
        page.texts("#batches .figure-label"),
        vec!["储备一批", "签约一批", "开工一批", "投产一批"]
    );
    assert_eq!(page.texts("#stages tbody tr").len(), 12);
    assert!(
        !page.texts("#units tbody tr").is_empty(),
        "the units side by side"
    );
    let checked = figures_agree_with_their_lists(&t, &cookie, &page).await;
    assert!(checked > 30, "{checked}");
    // The demo county has signed projects this year, and stale ones.
    let signed: i64 = page.texts("#headline .figure-count")[0].parse().unwrap();
    assert!(signed > 0);
    assert!(!page.texts("#stalest tbody tr").is_empty());
    // No closed or paused project among the stalest.
    for stage in page.texts("#stalest tbody tr td .stage") {
        assert!(
            !["终止", "退出", "否决", "暂停"].contains(&stage.as_str()),
            "{stage}"
        );
    }
}

#[tokio::test]
async fn an_officer_starts_on_my_work() {
    let t = spawn_app().await;
    let signed_in = t.sign_in("officer", PASSWORD).await.json();
    let token = signed_in["token"].as_str().unwrap().to_string();
    let my_id = signed_in["user"]["id"].as_i64().unwrap();
    // A project of mine, quiet since long ago.
    let created = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &json!({"name": "我负责的久无进展项目", "investor_name": "某投资公司",
                    "industry_code": "38", "officer_id": my_id,
                    "total_investment": {"yuan": 10_000_000, "currency": "CNY"},
                    "lead_on": "2024-01-05"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let cookie = t.cookie("officer").await;
    let page = t.get_page("/", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), vec!["我的工作"]);
    let labels = page.texts("#my-figures .figure-label");
    assert!(labels.contains(&"我负责的项目".to_string()), "{labels:?}");
    assert!(
        page.texts("#stalled tbody tr td a")
            .contains(&"我负责的久无进展项目".to_string())
    );
    figures_agree_with_their_lists(&t, &cookie, &page).await;
    // The same page at /work, from the menu.
    let work = t.get_page("/work", &cookie).await;
    assert_eq!(work.status, StatusCode::OK);
    assert!(
        page.attrs("header nav a", "href")
            .contains(&"/work".to_string())
    );
}

#[tokio::test]
async fn a_department_and_an_enterprise_start_on_their_own_pages() {
    let t = spawn_app().await;
    with_other_roles(&t).await;
    let dept = t.cookie("dept").await;
    let page = t.get_page("/", &dept).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), vec!["待办"]);
    assert_eq!(page.texts("#waiting a.figure").len(), 3);
    figures_agree_with_their_lists(&t, &dept, &page).await;
    assert_eq!(
        t.get_page("/work", &dept).await.status,
        StatusCode::FORBIDDEN
    );

    let firm = t.cookie("enterprise").await;
    let page = t.get_page("/", &firm).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), vec!["我的项目"]);
    let own = page.texts("#own-projects tbody tr");
    assert!(!own.is_empty(), "{}", page.text);
    let api = t
        .get("/api/v1/projects", Some(&t.token("enterprise").await))
        .await
        .json();
    assert_eq!(own.len() as i64, api["total"].as_i64().unwrap());
    let heads = page.texts("#own-projects th");
    assert!(
        !heads
            .iter()
            .any(|h| h.contains("包联") || h.contains("引荐"))
    );
}

#[tokio::test]
async fn administrators_land_on_their_own_pages_and_never_on_a_business_page() {
    let t = spawn_app().await;
    with_other_roles(&t).await;
    for (login, home) in [
        ("sysadmin", "/admin"),
        ("secadmin", "/admin"),
        ("auditor", "/audit"),
    ] {
        let cookie = t.cookie(login).await;
        let start = t.get_page("/", &cookie).await;
        assert_eq!(start.status, StatusCode::SEE_OTHER, "{login}");
        assert_eq!(start.headers[header::LOCATION], home, "{login}");
        let own = t.get_page(home, &cookie).await;
        assert_eq!(own.status, StatusCode::OK, "{login}");
        // The brand link leads home, never to a page they may not use.
        assert_eq!(own.attrs("header a.brand", "href"), vec!["/"], "{login}");
        assert!(own.attrs("header nav a", "href").iter().all(|h| h == home));
    }
}
