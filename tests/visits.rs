//! Visits out and in: recorded with their people, kept to scope, and overdue follow-ups
//! listed for those responsible until they are closed.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, spawn_app};
use serde_json::json;

#[tokio::test]
async fn visits_are_recorded_and_overdue_follow_ups_are_listed_until_closed() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let officer_id = t.sign_in("officer", PASSWORD).await.json()["user"]["id"].clone();
    let park_leader_id = t.sign_in("park_leader", PASSWORD).await.json()["user"]["id"].clone();
    let town_officer = t.token("officer_town1").await;
    // Dates relative to today, so the follow-up is overdue whenever the test runs.
    let today = time::OffsetDateTime::now_utc().date();
    let days_ago = |n: i64| (today - time::Duration::days(n)).to_string();

    // Bad input: each field named, every problem at once.
    let bad = t
        .post_json(
            "/api/v1/visits",
            Some(&officer),
            &json!({"direction": "sideways", "visit_date": "2999-01-01", "participants": []}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for f in [
        "direction",
        "visit_date",
        "place",
        "investor_side",
        "participants",
        "purpose",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }

    // What the demo county already owes (its visits have follow-ups of their own).
    let overdue_count = |token: String| {
        let t = &t;
        async move {
            t.get("/api/v1/visits?overdue=1&mine=1", Some(&token))
                .await
                .json()["total"]
                .as_i64()
                .unwrap()
        }
    };
    let officer_owed = overdue_count(officer.clone()).await;
    let leader_owed = overdue_count(t.token("park_leader").await).await;
    let town_owed = t
        .get("/api/v1/visits?overdue=1", Some(&town_officer))
        .await
        .json()["total"]
        .as_i64()
        .unwrap();

    // 走出去 to Ningbo, led by the park leader, with a follow-up already past.
    let visit = t
        .post_json(
            "/api/v1/visits",
            Some(&officer),
            &json!({
                "direction": "out", "visit_date": days_ago(30), "place": "宁波",
                "investor_side": "宁波甬钢 董事长 李强", "participants": [officer_id],
                "leader_id": park_leader_id, "purpose": "洽谈高端钢铁制品项目",
                "outcome": "对方有意向，关注用地和能耗指标", "next_step": "寄送园区用地资料",
                "follow_up_on": days_ago(10)
            }),
        )
        .await;
    assert_eq!(visit.status, StatusCode::CREATED, "{}", visit.text);
    let visit = visit.json();
    let id = visit["id"].as_i64().unwrap();
    assert_eq!(visit["direction_label"], "走出去");
    assert_eq!(visit["participants"][0]["name"], "陈晓东");

    // Listed as overdue for the officer who took part and for the leader who led it.
    let overdue = t
        .get("/api/v1/visits?overdue=1&mine=1", Some(&officer))
        .await
        .json();
    assert_eq!(overdue["total"], officer_owed + 1, "{overdue}");
    let leader = t.token("park_leader").await;
    let led = t
        .get("/api/v1/visits?overdue=1&mine=1", Some(&leader))
        .await
        .json();
    assert_eq!(led["total"], leader_owed + 1);
    let cookie = t.cookie("officer").await;
    let page = t.get_page("/visits", &cookie).await;
    let owed = format!("我的逾期跟进（{}）", officer_owed + 1);
    assert!(page.text.contains(&owed), "{}", page.text);
    // Another town sees nothing of it.
    assert_eq!(
        t.get(&format!("/api/v1/visits/{id}"), Some(&town_officer))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/api/v1/visits?overdue=1", Some(&town_officer))
            .await
            .json()["total"],
        town_owed
    );
    // A bad filter is named.
    let bad_filter = t.get("/api/v1/visits?overdue=yes", Some(&officer)).await;
    assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_filter.json()["errors"][0]["field"], "overdue");

    // Closing needs a result; then it is no longer overdue.
    let empty = t
        .post_form(
            &format!("/visits/{id}/follow-up"),
            Some(&cookie),
            &[("outcome", "")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text.contains("请写明跟进结果"));
    let closed = t
        .post_form(
            &format!("/visits/{id}/follow-up"),
            Some(&cookie),
            &[("outcome", "资料已寄送，对方12月来园考察")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let after = t
        .get(&format!("/api/v1/visits/{id}"), Some(&officer))
        .await
        .json();
    assert!(after["follow_up_done_at"].is_string());
    assert!(after["outcome"].as_str().unwrap().contains("12月来园考察"));
    assert_eq!(
        t.get("/api/v1/visits?overdue=1&mine=1", Some(&officer))
            .await
            .json()["total"],
        officer_owed
    );
    let again = t
        .post_json(
            &format!("/api/v1/visits/{id}/follow-up"),
            Some(&officer),
            &json!({"outcome": "再办一次"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // People from outside the caller's reach cannot be named.
    let town_id = t.sign_in("officer_town2", PASSWORD).await.json()["user"]["id"].clone();
    let stranger = t
        .post_json(
            "/api/v1/visits",
            Some(&officer),
            &json!({
                "direction": "in", "visit_date": days_ago(3), "place": "园区",
                "investor_side": "某公司", "participants": [town_id], "purpose": "考察"
            }),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stranger.json()["errors"][0]["field"], "participants");
}

#[tokio::test]
async fn the_visit_form_keeps_what_was_typed_and_links_the_investor() {
    let t = spawn_app().await;
    let cookie = t.cookie("officer").await;
    let refused = t
        .post_form(
            "/visits",
            Some(&cookie),
            &[
                ("direction", "in"),
                ("visit_date", "2026/10/8"),
                ("place", "园区展厅"),
                ("investor_side", "某客商"),
                ("purpose", "考察园区"),
                ("follow_up_on", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("请至少选择一名我方参加人员"));
    assert!(refused.text.contains("设了跟进日期，请写明下一步要做什么"));
    assert!(refused.text.contains("value=\"园区展厅\""));
    assert!(refused.text.contains("考察园区"));

    // From an investor's page the form names the investor; the visit shows on that page.
    let investor = t
        .get("/api/v1/investors?q=椰林", Some(&t.token("officer").await))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let form = t
        .get_page(&format!("/visits/new?investor_id={investor}"), &cookie)
        .await;
    assert!(
        form.text
            .contains(&format!("name=\"investor_id\" value=\"{investor}\""))
    );
    let me = t.sign_in("officer", PASSWORD).await.json()["user"]["id"].to_string();
    let recorded = t
        .post_form(
            "/visits",
            Some(&cookie),
            &[
                ("direction", "in"),
                ("visit_date", "2026-10-08"),
                ("place", "园区展厅"),
                ("investor_id", &investor.to_string()),
                ("investor_side", "椰林包装 林海燕"),
                ("participants", &me),
                ("purpose", "二期扩产选址"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.text);
    let page = t.get_page(&format!("/investors/{investor}"), &cookie).await;
    let visits = page.texts("#investor-visits tbody tr");
    assert!(
        visits.iter().any(|v| v.contains("二期扩产选址")),
        "{visits:?}"
    );
    assert_eq!(
        page.texts("table#investor-visits").len(),
        1,
        "the visits table, once"
    );
}
