//! Promotion events: investors met and projects signed there, totalled on the event's page,
//! within the reader's scope.

mod common;

use axum::http::StatusCode;
use common::spawn_app;
use serde_json::json;

#[tokio::test]
async fn an_event_totals_the_investors_met_and_the_projects_signed_there() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let bad = t
        .post_json("/api/v1/events", Some(&officer), &json!({"kind": "party"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["kind", "event_title", "held_on", "city"]);

    let event = t
        .post_json(
            "/api/v1/events",
            Some(&officer),
            &json!({"kind": "promotion", "title": "2026长三角专场招商推介会",
                    "held_on": "2026.5.28", "city": "宁波", "organiser": "玉田县人民政府"}),
        )
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.text);
    let event = event.json();
    let id = event["id"].as_i64().unwrap();
    assert_eq!(event["held_on"], "2026-05-28");
    assert_eq!(event["kind_label"], "推介会");

    let investor = t
        .get("/api/v1/investors?q=椰林", Some(&officer))
        .await
        .json()["items"][0]["id"]
        .clone();
    let met = t
        .post_json(
            &format!("/api/v1/events/{id}/investors"),
            Some(&officer),
            &json!({"investor_id": investor}),
        )
        .await;
    assert_eq!(met.status, StatusCode::CREATED, "{}", met.text);
    let twice = t
        .post_json(
            &format!("/api/v1/events/{id}/investors"),
            Some(&officer),
            &json!({"investor_id": investor}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let a = t.create_project(&officer, "推介会签约项目甲", 30_000).await["id"].clone();
    let b = t.create_project(&officer, "推介会签约项目乙", 5_000).await["id"].clone();
    // Still a 线索: not signed anywhere yet, and no signing skips the talks.
    let too_early = t
        .post_json(
            &format!("/api/v1/events/{id}/signings"),
            Some(&officer),
            &json!({"project_id": a, "amount": {"yuan": 300_000_000_i64, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(too_early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_early.text.contains("先将其转为“在谈”"),
        "{}",
        too_early.text
    );
    for project in [&a, &b] {
        let talks = t
            .transition(
                &officer,
                project.as_i64().unwrap(),
                json!({"to": "negotiating", "date": "2026-05-01"}),
            )
            .await;
        assert_eq!(talks.status, StatusCode::OK, "{}", talks.text);
    }
    for (project, yuan) in [(a.clone(), 300_000_000_i64), (b, 50_000_000)] {
        let signed = t
            .post_json(
                &format!("/api/v1/events/{id}/signings"),
                Some(&officer),
                &json!({"project_id": project, "amount": {"yuan": yuan, "currency": "CNY"}}),
            )
            .await;
        assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.text);
    }
    // The signing is the project's own 正式签约, on the event's day, at the amount signed.
    let signed_a = t
        .get(&format!("/api/v1/projects/{a}"), Some(&officer))
        .await
        .json();
    assert_eq!(signed_a["stage"], "contracted");
    assert_eq!(signed_a["contracted_on"], "2026-05-28");
    assert_eq!(signed_a["contract_amount"]["yuan"], 300_000_000_i64);
    // A project that signed on another day was not signed at this event.
    let elsewhere = t.create_project(&officer, "别处签约的项目", 2_000).await["id"].clone();
    let elsewhere_id = elsewhere.as_i64().unwrap();
    for step in [
        json!({"to": "negotiating", "date": "2026-02-01"}),
        json!({"to": "contracted", "date": "2026-03-01",
               "contract_amount": {"yuan": 20_000_000, "currency": "CNY"}}),
    ] {
        assert_eq!(
            t.transition(&officer, elsewhere_id, step).await.status,
            StatusCode::OK
        );
    }
    let disagrees = t
        .post_json(
            &format!("/api/v1/events/{id}/signings"),
            Some(&officer),
            &json!({"project_id": elsewhere, "amount": {"yuan": 20_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(disagrees.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(disagrees.text.contains("2026-03-01"), "{}", disagrees.text);
    let zero = t
        .post_json(
            &format!("/api/v1/events/{id}/signings"),
            Some(&officer),
            &json!({"project_id": a, "amount": {"yuan": 0, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(zero.json()["errors"][0]["field"], "signed_amount");

    let detail = t
        .get(&format!("/api/v1/events/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(detail["totals"]["investors_met"], 1);
    assert_eq!(detail["totals"]["projects_signed"], 2);
    assert_eq!(detail["totals"]["signed_cny_yuan"], 350_000_000);
    assert_eq!(detail["totals"]["signed_text"], "3.50亿元");
    let cookie = t.cookie("officer").await;
    let page = t.get_page(&format!("/events/{id}"), &cookie).await;
    assert!(
        page.text.contains("签约项目 <strong>2</strong> 个"),
        "{}",
        page.text
    );
    assert!(page.text.contains("3.50亿元"));
    // The investor's page lists the event.
    let investor_page = t.get_page(&format!("/investors/{investor}"), &cookie).await;
    let events = investor_page.texts("#investor-events li");
    assert!(
        events
            .iter()
            .any(|e| e.contains("2026长三角专场招商推介会")),
        "{events:?}"
    );
    assert_eq!(
        investor_page.texts("#investor-events").len(),
        1,
        "the events list, once"
    );

    // A town's project cannot be signed here by the park, nor is the event seen by the town.
    let town = t.token("officer_town1").await;
    let town_project = t.create_project(&town, "镇里的项目", 1_000).await["id"].clone();
    let outside = t
        .post_json(
            &format!("/api/v1/events/{id}/signings"),
            Some(&officer),
            &json!({"project_id": town_project, "amount": {"yuan": 10_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(outside.text.contains("项目不存在，或不在您的管辖范围内"));
    assert_eq!(
        t.get(&format!("/api/v1/events/{id}"), Some(&town))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A refused form on the page keeps what was typed.
    let refused = t
        .post_form(
            &format!("/events/{id}/signings"),
            Some(&cookie),
            &[("project_id", "abc"), ("signed_amount", "一亿")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .texts(".error")
            .join(" ")
            .contains("没有名为“abc”的项目")
    );
    assert_eq!(
        refused.attrs("input[name=signed_amount]", "value"),
        vec!["一亿"]
    );

    // Projects are chosen by name: the page suggests them, and a typed name is found.
    let by_name = t
        .create_project(&officer, "按名称选择的签约项目", 800)
        .await["id"]
        .clone();
    let talks = t
        .transition(
            &officer,
            by_name.as_i64().unwrap(),
            json!({"to": "negotiating", "date": "2026-05-02"}),
        )
        .await;
    assert_eq!(talks.status, StatusCode::OK);
    let page = t.get_page(&format!("/events/{id}"), &cookie).await;
    let suggested = page.attrs("datalist#project-choices option", "value");
    assert!(
        suggested.contains(&format!("按名称选择的签约项目 #{by_name}")),
        "{suggested:?}"
    );
    let chosen = t
        .post_form(
            &format!("/events/{id}/signings"),
            Some(&cookie),
            &[
                ("project_id", "按名称选择的签约项目"),
                ("signed_amount", "800"),
                ("record_as", "intent"),
            ],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.text);
    let intent = t
        .get(&format!("/api/v1/projects/{by_name}"), Some(&officer))
        .await
        .json();
    assert_eq!(intent["stage"], "intent");
    assert_eq!(intent["intent_on"], "2026-05-28");
}

/// An event lists only the investors met that the reader may see, and counts the rest: a
/// county leader may note a town's investor at another town's event, and that town's officer
/// learns there was one, not who.
#[tokio::test]
async fn investors_met_outside_the_readers_scope_are_counted_not_named() {
    let t = spawn_app().await;
    let town1 = t.token("officer_town1").await;
    let town2 = t.token("officer_town2").await;
    let leader = t.token("leader").await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let event = t
        .post_json(
            "/api/v1/events",
            Some(&town2),
            &json!({"kind": "promotion", "title": "二镇专场推介会", "held_on": today, "city": "宁波"}),
        )
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.text);
    let id = event.json()["id"].as_i64().unwrap();
    let theirs = t
        .post_json(
            "/api/v1/investors",
            Some(&town1),
            &json!({"name": "一镇专属客商有限公司", "kind": "foreign"}),
        )
        .await
        .json()["id"]
        .clone();
    let ours = t
        .post_json(
            "/api/v1/investors",
            Some(&town2),
            &json!({"name": "二镇自家客商有限公司", "kind": "foreign"}),
        )
        .await
        .json()["id"]
        .clone();
    for (token, investor) in [(&leader, &theirs), (&town2, &ours)] {
        let met = t
            .post_json(
                &format!("/api/v1/events/{id}/investors"),
                Some(token),
                &json!({"investor_id": investor}),
            )
            .await;
        assert_eq!(met.status, StatusCode::CREATED, "{}", met.text);
    }
    let seen = t.get(&format!("/api/v1/events/{id}"), Some(&town2)).await;
    let detail = seen.json();
    let names: Vec<&str> = detail["investors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["二镇自家客商有限公司"]);
    assert_eq!(detail["investors_elsewhere"], 1);
    assert_eq!(detail["totals"]["investors_met"], 2);
    assert!(!seen.text.contains("一镇专属"), "{}", seen.text);
    // The page too: the one it may see, and a count of the other.
    let page = t
        .get_page(&format!("/events/{id}"), &t.cookie("officer_town2").await)
        .await;
    assert_eq!(page.texts("#event-investors li"), ["二镇自家客商有限公司"]);
    assert_eq!(
        page.texts("#event-investors-elsewhere"),
        ["另有 1 家由您管辖范围以外的单位登记"]
    );
    assert!(!page.text.contains("一镇专属"));
    // The leader, whose scope holds both, sees both.
    let all = t
        .get(&format!("/api/v1/events/{id}"), Some(&leader))
        .await
        .json();
    assert_eq!(all["investors"].as_array().unwrap().len(), 2);
    assert_eq!(all["investors_elsewhere"], 0);
}
