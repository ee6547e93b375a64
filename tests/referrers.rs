//! Referrers and their rewards: computed from the configured rule and the projects' facts, by
//! year, with the rule and inputs beside every figure.

mod common;

use axum::http::StatusCode;
use common::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_referrer_is_rewarded_by_the_rule_for_projects_that_reached_its_stage() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let bad = t
        .post_json(
            "/api/v1/referrers",
            Some(&officer),
            &json!({"kind": "alien"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let referrer = t
        .post_json(
            "/api/v1/referrers",
            Some(&officer),
            &json!({"kind": "person", "name": "王海涛", "affiliation": "宁波玉田商会", "contact": "13812345678"}),
        )
        .await;
    assert_eq!(referrer.status, StatusCode::CREATED, "{}", referrer.text);
    let id = referrer.json()["id"].as_i64().unwrap();

    // Two projects he brought: one contracted for 3亿元 (3‰ → 90万元), one still a lead.
    let big = t.create_project(&officer, "引荐项目甲", 30_000).await;
    let big_id = big["id"].as_i64().unwrap();
    let small = t.create_project(&officer, "引荐项目乙", 2_000).await;
    for project in [big_id, small["id"].as_i64().unwrap()] {
        let credited = t
            .post_json(
                &format!("/api/v1/referrers/{id}/projects"),
                Some(&officer),
                &json!({"project_id": project}),
            )
            .await;
        assert_eq!(credited.status, StatusCode::OK, "{}", credited.text);
    }
    let today = time::OffsetDateTime::now_utc().date();
    let day = |n: i64| (today - time::Duration::days(n)).to_string();
    for body in [
        json!({"to": "negotiating", "date": day(20)}),
        json!({"to": "contracted", "date": day(10), "contract_amount": {"yuan": 300_000_000, "currency": "CNY"}}),
    ] {
        let moved = t.transition(&officer, big_id, body).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    }

    let detail = t
        .get(&format!("/api/v1/referrers/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(detail["projects"].as_array().unwrap().len(), 2);
    let year = detail["rewards"][0].clone();
    assert_eq!(
        year["year"],
        i64::from((today - time::Duration::days(10)).year())
    );
    assert_eq!(year["total_yuan"], 900_000, "{detail}");
    assert_eq!(year["lines"][0]["reward"]["per_mille"], 3);
    assert_eq!(year["lines"][0]["reward"]["base_yuan"], 300_000_000);
    assert!(detail["rule_text"].as_str().unwrap().contains("正式签约"));

    // The page shows the rule beside the figures.
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/referrers/{id}"), &cookie).await;
    assert!(
        page.text
            .contains("<span class=\"reward-total\">90.00万元</span>"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("<td class=\"num\">3‰</td>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("id=\"reward-rule\">计奖规则：") && page.text.contains("正式签约"));

    // The list pages past its first rows.
    let first = t.get_page("/referrers?per_page=1", &cookie).await;
    assert!(first.text.contains("第 1 / "), "{}", first.text);
    assert!(
        first.text.contains("href=\"/referrers?page=2\""),
        "{}",
        first.text
    );

    // Crediting twice is refused; a project of another town cannot be credited.
    let twice = t
        .post_json(
            &format!("/api/v1/referrers/{id}/projects"),
            Some(&officer),
            &json!({"project_id": big_id}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let town = t.token("officer_town1").await;
    let town_project = t.create_project(&town, "镇里的项目", 1_000).await["id"].clone();
    let outside = t
        .post_json(
            &format!("/api/v1/referrers/{id}/projects"),
            Some(&officer),
            &json!({"project_id": town_project}),
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outside.json()["errors"][0]["field"], "project_id");
    // And the town does not see the referrer.
    assert_eq!(
        t.get(&format!("/api/v1/referrers/{id}"), Some(&town))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_reward_rule_comes_from_configuration() {
    let rule =
        zhaoshang::domain::reward::RewardRule::parse("stage=landed; tiers=0:2; cap=none").unwrap();
    let t = common::spawn_app_with(zhaoshang::config::Config {
        referral_rule: rule,
        ..Default::default()
    })
    .await;
    let officer = t.token("officer").await;
    let id = t
        .post_json(
            "/api/v1/referrers",
            Some(&officer),
            &json!({"kind": "organisation", "name": "玉田驻沪办事处"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let detail = t
        .get(&format!("/api/v1/referrers/{id}"), Some(&officer))
        .await
        .json();
    assert!(detail["rule_text"].as_str().unwrap().contains("落地"));
    assert_eq!(detail["rule"]["cap_yuan"], serde_json::Value::Null);
}
