//! The pipeline through the JSON API, on whichever database the harness picked.

mod common;

use axum::http::StatusCode;
use common::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_project_moves_from_lead_to_at_capacity_with_the_facts_of_each_stage() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let p = t
        .create_project(&token, "年产5万吨特种钢材项目", 52_000)
        .await;
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["stage"], "lead");
    assert_eq!(p["version"], 1);
    assert_eq!(
        p["total_investment"],
        json!({"yuan": 520_000_000_i64, "currency": "CNY"})
    );

    let steps = [
        json!({"to": "negotiating", "date": "2026-02-01"}),
        json!({"to": "intent", "date": "2026-03-01"}),
        json!({"to": "contracted", "date": "2026-04-01", "contract_amount": {"yuan": 500_000_000_i64, "currency": "CNY"}}),
        json!({"to": "landed", "date": "2026-05-01", "credit_code": "91350100M000100Y43"}),
        json!({"to": "construction", "date": "2026-06-01"}),
        json!({"to": "production", "date": "2026-09-01"}),
        json!({"to": "at_capacity", "date": "2026-11-01"}),
    ];
    for step in steps {
        let reply = t.transition(&token, id, step.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{step}: {}", reply.text);
        assert_eq!(reply.json()["stage"], step["to"]);
    }
    let p = t
        .get(&format!("/api/v1/projects/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(p["contracted_on"], "2026-04-01");
    assert_eq!(p["contract_amount"]["yuan"], 500_000_000_i64);
    assert_eq!(p["credit_code"], "91350100M000100Y43");
    assert_eq!(p["construction_on"], "2026-06-01");
    assert_eq!(p["at_capacity_on"], "2026-11-01");
    assert_eq!(p["version"], 8);

    let events = t
        .get(&format!("/api/v1/projects/{id}/events"), Some(&token))
        .await
        .json();
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "transition",
            "transition",
            "transition",
            "transition",
            "transition",
            "transition",
            "transition"
        ]
    );
    assert_eq!(
        events["items"][3]["facts"]["contract_amount"]["yuan"],
        500_000_000_i64
    );
    assert_eq!(events["items"][1]["actor_name"], "陈晓东");
}

#[tokio::test]
async fn illegal_transitions_are_refused_with_a_message_naming_the_rule() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let id = t.create_project(&token, "测试项目甲", 1_000).await["id"]
        .as_i64()
        .unwrap();

    let jump = t
        .transition(
            &token,
            id,
            json!({"to": "production", "date": "2026-02-01"}),
        )
        .await;
    assert_eq!(jump.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(jump.content_type, "application/problem+json");
    let body = jump.json();
    assert_eq!(body["errors"][0]["field"], "to");
    assert_eq!(
        body["errors"][0]["message"],
        "不能从“线索”直接转为“投产”，请按阶段顺序推进"
    );

    let future = t
        .refused_transition(
            &token,
            id,
            json!({"to": "negotiating", "date": "2099-01-01"}),
        )
        .await;
    assert!(future.contains("不能晚于今天"), "{future}");
    let before = t
        .refused_transition(
            &token,
            id,
            json!({"to": "negotiating", "date": "2025-12-31"}),
        )
        .await;
    assert!(
        before.contains("不能早于上一阶段“线索”的日期（2026-01-05）"),
        "{before}"
    );
    let no_reason = t
        .refused_transition(
            &token,
            id,
            json!({"to": "terminated", "date": "2026-02-01"}),
        )
        .await;
    assert_eq!(no_reason, "转为“终止”须填写原因");

    t.transition(
        &token,
        id,
        json!({"to": "negotiating", "date": "2026-02-01"}),
    )
    .await;
    t.transition(&token, id, json!({"to": "contracted", "date": "2026-03-01", "contract_amount": {"yuan": 10_000_000, "currency": "CNY"}})).await;
    let bad_code = t
        .transition(
            &token,
            id,
            json!({"to": "landed", "date": "2026-04-01", "credit_code": "91350100M000100Y44"}),
        )
        .await;
    assert_eq!(
        bad_code.json()["errors"][0]["message"],
        "统一社会信用代码校验位不正确，请核对"
    );
    let nothing = t
        .transition(&token, id, json!({"to": "landed", "date": "2026-04-01"}))
        .await;
    assert!(
        nothing.json()["detail"]
            .as_str()
            .unwrap()
            .contains("至少一项")
    );
    let terminated_after_signing = t
        .transition(
            &token,
            id,
            json!({"to": "exited", "date": "2026-04-01", "reason": "x"}),
        )
        .await;
    assert_eq!(
        terminated_after_signing.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Nothing refused was recorded.
    let events = t
        .get(&format!("/api/v1/projects/{id}/events"), Some(&token))
        .await
        .json();
    assert_eq!(events["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_paused_project_returns_to_the_stage_it_left_and_keeps_its_first_entry_dates() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let id = t.create_project(&token, "暂停测试项目", 3_000).await["id"]
        .as_i64()
        .unwrap();
    t.transition(
        &token,
        id,
        json!({"to": "negotiating", "date": "2026-02-01"}),
    )
    .await;
    t.transition(&token, id, json!({"to": "contracted", "date": "2026-03-01", "contract_amount": {"yuan": 30_000_000, "currency": "CNY"}})).await;
    let paused = t
        .transition(
            &token,
            id,
            json!({"to": "paused", "date": "2026-04-01", "reason": "企业资金链紧张"}),
        )
        .await
        .json();
    assert_eq!(paused["stage"], "paused");
    assert_eq!(paused["paused_from"], "contracted");

    let wrong = t
        .transition(
            &token,
            id,
            json!({"to": "negotiating", "date": "2026-05-01"}),
        )
        .await;
    assert!(
        wrong.json()["detail"]
            .as_str()
            .unwrap()
            .contains("只能恢复到暂停前的“正式签约”阶段")
    );

    let resumed = t
        .transition(
            &token,
            id,
            json!({"to": "contracted", "date": "2026-05-01"}),
        )
        .await
        .json();
    assert_eq!(resumed["stage"], "contracted");
    assert_eq!(resumed["paused_from"], serde_json::Value::Null);
    assert_eq!(
        resumed["contracted_on"], "2026-03-01",
        "a project counts once, at its first entry"
    );
}

#[tokio::test]
async fn a_stale_version_is_refused_and_nothing_is_overwritten() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let p = t.create_project(&token, "并发修改项目", 2_000).await;
    let id = p["id"].as_i64().unwrap();
    let first = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            Some(&token),
            &json!({"version": 1, "notes": "第一位的修改"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.json()["version"], 2);
    let second = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            Some(&token),
            &json!({"version": 1, "notes": "第二位的修改"}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.content_type, "application/problem+json");
    let now = t
        .get(&format!("/api/v1/projects/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(now["notes"], "第一位的修改");
    let missing = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            Some(&token),
            &json!({"notes": "x"}),
        )
        .await;
    assert_eq!(missing.json()["errors"][0]["field"], "version");
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_in_problem_json() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let reply = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &json!({"name": " ", "industry_code": "99", "total_investment": {"yuan": -5, "currency": "CNY"}, "jobs": -1}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.content_type, "application/problem+json");
    let body = reply.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "name",
        "investor_name",
        "industry_code",
        "total_investment",
        "jobs",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert_eq!(body["status"], 422);
    assert_eq!(body["title"], "输入有误");

    let garbage = t
        .json_request(
            "POST",
            "/api/v1/projects",
            Some(&token),
            &json!("not an object"),
        )
        .await;
    assert_eq!(garbage.content_type, "application/problem+json");
    let unknown = t
        .post_json("/api/v1/projects", Some(&token), &json!({"nmae": "typo"}))
        .await;
    assert!(unknown.json()["detail"].as_str().unwrap().contains("nmae"));

    // Typed amounts and areas are bounded like typed text; a blank channel is no channel.
    let huge = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &json!({"name": "超大项目", "investor_name": "某公司", "industry_code": "30",
                    "total_investment": {"yuan": i64::MAX, "currency": "CNY"},
                    "land_area_m2": i64::MAX, "expected_output": {"yuan": 5, "currency": "USD"}}),
        )
        .await;
    assert_eq!(huge.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = huge.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for f in ["total_investment", "land_area_m2", "expected_output"] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
    let blank_channel = t
        .post_json(
            "/api/v1/projects",
            Some(&token),
            &json!({"name": "普通项目", "investor_name": "某公司", "industry_code": "30",
                    "channel": "", "total_investment": {"yuan": 100_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(
        blank_channel.status,
        StatusCode::CREATED,
        "{}",
        blank_channel.text
    );
    assert_eq!(blank_channel.json()["channel"], serde_json::Value::Null);
}

#[tokio::test]
async fn the_list_filters_counts_sums_and_pages_within_scope() {
    let t = spawn_app().await;
    let leader = t.token("leader").await;
    let all = t
        .get("/api/v1/projects?per_page=100", Some(&leader))
        .await
        .json();
    let total = all["total"].as_i64().unwrap();
    assert!(total >= 40, "demo has projects: {total}");
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len() as i64, total);
    let cny: i64 = items
        .iter()
        .filter(|p| p["total_investment"]["currency"] == "CNY")
        .map(|p| p["total_investment"]["yuan"].as_i64().unwrap())
        .sum();
    assert_eq!(
        all["sums"]["cny_yuan"].as_i64().unwrap(),
        cny,
        "the sum shown is the sum of the records"
    );

    let construction = t
        .get(
            "/api/v1/projects?stage=construction&per_page=100",
            Some(&leader),
        )
        .await
        .json();
    assert!(
        construction["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["stage"] == "construction")
    );
    assert!(construction["total"].as_i64().unwrap() > 0);

    let big = t
        .get("/api/v1/projects?band=1y&per_page=100", Some(&leader))
        .await
        .json();
    for p in big["items"].as_array().unwrap() {
        let yuan = p["total_investment"]["yuan"].as_i64().unwrap();
        let cny_equiv = if p["total_investment"]["currency"] == "USD" {
            yuan * 71 / 10
        } else {
            yuan
        };
        assert!(cny_equiv >= 100_000_000, "{}", p["name"]);
    }

    let signed_2025 = t
        .get(
            "/api/v1/projects?batch=signed&from=2025-01-01&to=2025-12-31&per_page=100",
            Some(&leader),
        )
        .await
        .json();
    for p in signed_2025["items"].as_array().unwrap() {
        let d = p["contracted_on"].as_str().unwrap();
        assert!(("2025-01-01"..="2025-12-31").contains(&d), "{d}");
    }

    let page2 = t
        .get(
            "/api/v1/projects?per_page=10&page=2&sort=name",
            Some(&leader),
        )
        .await
        .json();
    assert_eq!(page2["items"].as_array().unwrap().len(), 10);
    assert_eq!(page2["total"], total);
    let page1 = t
        .get(
            "/api/v1/projects?per_page=10&page=1&sort=name",
            Some(&leader),
        )
        .await
        .json();
    assert_ne!(page1["items"][0]["id"], page2["items"][0]["id"]);

    let bad = t
        .get(
            "/api/v1/projects?stage=flying&per_page=1000&from=2026-13-01",
            Some(&leader),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["stage", "from", "per_page"]);
}

#[tokio::test]
async fn search_finds_two_character_chinese_words_and_fragments() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let id = t.create_project(&token, "宁波钢铁深加工项目", 8_000).await["id"]
        .as_i64()
        .unwrap();
    for q in ["钢铁", "铁深加", "宁波钢铁深加工项目", "钢", "项目投资有限"] {
        let found = t
            .get(
                &format!("/api/v1/projects?q={}", urlencode(q)),
                Some(&token),
            )
            .await
            .json();
        let ids: Vec<i64> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert!(ids.contains(&id), "{q} should find the project");
    }
    for q in ["钢材", "铁钢", "宁波钢铁深加工项目项目"] {
        let found = t
            .get(
                &format!("/api/v1/projects?q={}", urlencode(q)),
                Some(&token),
            )
            .await
            .json();
        let ids: Vec<i64> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert!(!ids.contains(&id), "{q} should not find the project");
    }
    // Renaming re-indexes both names.
    let renamed = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            Some(&token),
            &json!({"version": 1, "name": "宁波新材料项目", "investor_name": "宁波新材料有限公司"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    let found = t
        .get(
            &format!("/api/v1/projects?q={}", urlencode("钢铁深")),
            Some(&token),
        )
        .await
        .json();
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id)
    );
    let found = t
        .get(
            &format!("/api/v1/projects?q={}", urlencode("新材料有限")),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(
        found["items"][0]["id"], id,
        "the investor's name is searched too"
    );
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

#[tokio::test]
async fn records_outside_the_callers_unit_are_invisible_and_unwritable() {
    let t = spawn_app().await;
    let park_officer = t.token("officer").await;
    let town_officer = t.token("officer_town1").await;
    let id = t.create_project(&park_officer, "园区内部项目", 5_000).await["id"]
        .as_i64()
        .unwrap();

    let peek = t
        .get(&format!("/api/v1/projects/{id}"), Some(&town_officer))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    let write = t
        .transition(
            &town_officer,
            id,
            json!({"to": "negotiating", "date": "2026-02-01"}),
        )
        .await;
    assert_eq!(write.status, StatusCode::NOT_FOUND);
    let events = t
        .get(
            &format!("/api/v1/projects/{id}/events"),
            Some(&town_officer),
        )
        .await;
    assert_eq!(events.status, StatusCode::NOT_FOUND);
    let list = t
        .get("/api/v1/projects?per_page=100", Some(&town_officer))
        .await
        .json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id)
    );
    let outside_unit = t.get("/api/v1/projects?unit=2", Some(&town_officer)).await;
    assert_eq!(outside_unit.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The county leader sees it.
    let leader = t.token("leader").await;
    assert_eq!(
        t.get(&format!("/api/v1/projects/{id}"), Some(&leader))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_write_lands_in_the_audit_log_with_before_and_after() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let id = t.create_project(&token, "审计测试项目", 1_200).await["id"]
        .as_i64()
        .unwrap();
    t.transition(
        &token,
        id,
        json!({"to": "negotiating", "date": "2026-02-01"}),
    )
    .await;
    let note = t
        .post_json(
            &format!("/api/v1/projects/{id}/notes"),
            Some(&token),
            &json!({"body": "第二次洽谈，确认用地需求", "date": "2026-02-10"}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.text);
    t.patch_json(
        &format!("/api/v1/projects/{id}"),
        Some(&token),
        &json!({"version": 3, "jobs": 120}),
    )
    .await;

    let mut conn = t.db.pool.acquire().await.unwrap();
    let rows = zhaoshang::store::audit::for_entity(&mut conn, "project", &id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["create", "transition", "note", "update"]);
    assert!(
        rows.iter()
            .all(|r| r.actor_login.as_deref() == Some("officer"))
    );
    let update = &rows[3];
    assert!(
        update
            .before_json
            .as_deref()
            .unwrap()
            .contains("\"jobs\":null")
    );
    assert!(
        update
            .after_json
            .as_deref()
            .unwrap()
            .contains("\"jobs\":120")
    );

    let p = t
        .get(&format!("/api/v1/projects/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(p["last_progress_on"], "2026-02-10");
}

#[tokio::test]
async fn signing_in_needs_the_right_password_and_a_token_opens_the_api() {
    let t = spawn_app().await;
    let wrong = t.sign_in("officer", "nope").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["detail"], "账号或密码不正确");
    let unknown = t.sign_in("ghost", "nope").await;
    assert_eq!(
        unknown.json()["detail"],
        "账号或密码不正确",
        "unknown accounts look the same"
    );
    let anonymous = t.get("/api/v1/projects", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.content_type, "application/problem+json");
    let forged = t.get("/api/v1/projects", Some("deadbeef")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

    let token = t.token("officer").await;
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::OK
    );
    let out = t
        .json_request("DELETE", "/api/v1/session", Some(&token), &json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn idle_sessions_expire() {
    let config = zhaoshang::config::Config {
        session_idle_minutes: 0,
        ..Default::default()
    };
    let t = common::spawn_app_with(config).await;
    let token = t.token("officer").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn health_answers_ok() {
    let t = spawn_app().await;
    let reply = t.get("/healthz", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.text, "ok");
}

#[tokio::test]
async fn synthetic_projects_are_generated_with_consistent_histories() {
    let t = spawn_app().await;
    let before = t
        .get(
            "/api/v1/projects?per_page=1",
            Some(&t.token("leader").await),
        )
        .await
        .json()["total"]
        .as_i64()
        .unwrap();
    let n = t.app.generate_projects(1_500, 42).await.unwrap();
    assert_eq!(n, 1_500);
    let leader = t.token("leader").await;
    let after = t
        .get("/api/v1/projects?per_page=1", Some(&leader))
        .await
        .json()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before + 1_500);
    // A generated project is a normal project: readable, its history consistent, movable.
    let list = t
        .get(
            "/api/v1/projects?stage=lead&sort=lead_on&per_page=5",
            Some(&leader),
        )
        .await
        .json();
    let id = list["items"][0]["id"].as_i64().unwrap();
    let events = t
        .get(&format!("/api/v1/projects/{id}/events"), Some(&leader))
        .await
        .json();
    assert_eq!(events["items"][0]["kind"], "created");
    let moved = t
        .transition(
            &leader,
            id,
            json!({"to": "negotiating", "date": common_today()}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    // New projects after a bulk load get fresh ids (the PostgreSQL sequence was moved on).
    let fresh = t.create_project(&leader, "批量之后的新项目", 600).await;
    assert!(fresh["id"].as_i64().unwrap() > before + 1_500);
}

fn common_today() -> String {
    zhaoshang::domain::dates::iso(zhaoshang::domain::dates::shanghai_date(
        time::OffsetDateTime::now_utc(),
    ))
}

/// Every list answer — counts, sums, the order and the page — equals what a plain reading of
/// all the projects through the API gives, after a bulk load, creates, edits and moves.
#[tokio::test]
async fn list_answers_equal_a_recount_of_every_project() {
    use serde_json::Value;
    use zhaoshang::domain::search::normalise;
    let t = spawn_app().await;
    t.app.generate_projects(1_500, 7).await.unwrap();
    let leader = t.token("leader").await;
    // Edits and moves after the bulk load must show in the lists too.
    let created = t
        .create_project(&leader, "年产5万吨特种钢材项目", 120_000)
        .await;
    let moved = t
        .transition(
            &leader,
            created["id"].as_i64().unwrap(),
            json!({"to": "negotiating", "date": common_today()}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let created = moved.json();
    let version = created["version"].as_i64().unwrap();
    let edited = t
        .patch_json(
            &format!("/api/v1/projects/{}", created["id"]),
            Some(&leader),
            &json!({"version": version, "total_investment": {"yuan": 55_000_000, "currency": "CNY"}}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);

    let mut all: Vec<Value> = Vec::new();
    for page in 1.. {
        let r = t
            .get(
                &format!("/api/v1/projects?per_page=100&page={page}&sort=name"),
                Some(&leader),
            )
            .await
            .json();
        let items = r["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        all.extend(items);
    }
    assert_eq!(
        all.len() as i64,
        t.get("/api/v1/projects", Some(&leader)).await.json()["total"]
    );

    let mut conn = t.db.pool.acquire().await.unwrap();
    let park_units: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE code = 'park') || '%'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let park = park_units.iter().min().copied().unwrap();
    drop(conn);

    let rate = t.app.config.usd_rate_e4;
    let amount = |p: &Value| {
        let m = &p["total_investment"];
        (
            m["yuan"].as_i64().unwrap(),
            m["currency"].as_str().unwrap().to_string(),
        )
    };
    let cny_equivalent = |p: &Value| {
        let (yuan, currency) = amount(p);
        if currency == "USD" {
            yuan as i128 * rate as i128 / 10_000
        } else {
            yuan as i128
        }
    };
    let text = |p: &Value, k: &str| p[k].as_str().unwrap_or("").to_string();
    let in_band = |p: &Value, min: i64| {
        cny_equivalent(p) >= min as i128 || {
            let (yuan, currency) = amount(p);
            currency == "USD"
                && yuan >= ((min as i128 * 10_000 + rate as i128 - 1) / rate as i128) as i64
        }
    };
    type Check<'a> = Box<dyn Fn(&Value) -> bool + 'a>;
    let cases: Vec<(String, Check)> = vec![
        ("".into(), Box::new(|_| true)),
        (
            "stage=construction".into(),
            Box::new(move |p| p["stage"] == "construction"),
        ),
        (
            "band=1y&sort=investment".into(),
            Box::new(move |p| in_band(p, 100_000_000)),
        ),
        (
            "band=10y&sort=investment&page=2".into(),
            Box::new(move |p| in_band(p, 1_000_000_000)),
        ),
        (
            "batch=signed&from=2025-01-01&to=2025-12-31&sort=stale".into(),
            Box::new(move |p| {
                let d = text(p, "contracted_on");
                !d.is_empty() && d.as_str() >= "2025-01-01" && d.as_str() <= "2025-12-31"
            }),
        ),
        (
            "batch=reserve&sort=lead_on".into(),
            Box::new(|p| ["lead", "negotiating", "intent"].contains(&p["stage"].as_str().unwrap())),
        ),
        (format!("unit={park}&band=5000w"), {
            let units = park_units.clone();
            Box::new(move |p| {
                units.contains(&p["unit_id"].as_i64().unwrap()) && in_band(p, 50_000_000)
            })
        }),
        (
            "industry=38&stage=negotiating".into(),
            Box::new(|p| p["industry_code"] == "38" && p["stage"] == "negotiating"),
        ),
        (
            "q=年产".into(),
            Box::new(move |p| {
                normalise(&text(p, "name")).contains("年产")
                    || normalise(&text(p, "investor_name")).contains("年产")
            }),
        ),
        (
            "q=股份有限&sort=name".into(),
            Box::new(move |p| {
                normalise(&text(p, "investor_name")).contains("股份有限")
                    || normalise(&text(p, "name")).contains("股份有限")
            }),
        ),
        (
            "q=特种钢材&stage=lead".into(),
            Box::new(move |p| {
                p["stage"] == "lead"
                    && (normalise(&text(p, "name")).contains("特种钢材")
                        || normalise(&text(p, "investor_name")).contains("特种钢材"))
            }),
        ),
        (
            "q=50%25".into(),
            Box::new(move |p| normalise(&text(p, "name")).contains("50%")),
        ),
    ];
    for (query, check) in &cases {
        let mut expected: Vec<&Value> = all.iter().filter(|p| check(p)).collect();
        let sort = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("sort="))
            .unwrap_or("updated");
        let key = |p: &Value| p["id"].as_i64().unwrap();
        match sort {
            "investment" => {
                expected.sort_by_key(|p| std::cmp::Reverse((cny_equivalent(p), key(p))))
            }
            "lead_on" => expected.sort_by_key(|p| std::cmp::Reverse((text(p, "lead_on"), key(p)))),
            "stale" => expected.sort_by_key(|p| (text(p, "last_progress_on"), key(p))),
            "name" => expected.sort_by_key(|p| (text(p, "name"), key(p))),
            _ => expected.sort_by_key(|p| std::cmp::Reverse((text(p, "updated_at"), key(p)))),
        }
        let page: usize = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("page="))
            .map_or(1, |p| p.parse().unwrap());
        let r = t
            .get(&format!("/api/v1/projects?{query}"), Some(&leader))
            .await
            .json();
        assert_eq!(r["total"], expected.len() as i64, "count for {query}");
        let sum = |c: &str| {
            expected
                .iter()
                .filter(|p| amount(p).1 == c)
                .map(|p| amount(p).0)
                .sum::<i64>()
        };
        assert_eq!(r["sums"]["cny_yuan"], sum("CNY"), "CNY sum for {query}");
        assert_eq!(r["sums"]["usd_yuan"], sum("USD"), "USD sum for {query}");
        let want: Vec<i64> = expected
            .iter()
            .skip((page - 1) * 20)
            .take(20)
            .map(|p| key(p))
            .collect();
        let got: Vec<i64> = r["items"].as_array().unwrap().iter().map(key).collect();
        assert_eq!(got, want, "page for {query}");
    }
}

#[tokio::test]
async fn malformed_ids_and_unknown_endpoints_answer_404_in_problem_json() {
    let t = spawn_app().await;
    let leader = t.token("leader").await;
    for path in [
        "/api/v1/projects/abc",
        "/api/v1/projects/-1",
        "/api/v1/projects/99999999999999999999",
        "/api/v1/projects/abc/events",
        "/api/v1/no-such-thing",
    ] {
        let r = t.get(path, Some(&leader)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
        assert_eq!(r.content_type, "application/problem+json", "{path}");
        assert!(!r.json()["detail"].as_str().unwrap().is_empty(), "{path}");
    }
    // Without a session the API says so first, revealing nothing about the path.
    let r = t.get("/api/v1/projects/abc", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.content_type, "application/problem+json");
    // Pages answer with the Chinese error page.
    let cookie = t.cookie("leader").await;
    let r = t.get_page("/projects/abc", &cookie).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("项目不存在"), "{}", r.text);
}

/// Lists are answered from memory; writes made by another process (a CLI bulk load, a second
/// server) must show in them at the next request.
#[tokio::test]
async fn lists_follow_writes_made_by_another_process() {
    let t = spawn_app().await;
    let leader = t.token("leader").await;
    let count = |r: common::Reply| r.json()["total"].as_i64().unwrap();
    let before = count(t.get("/api/v1/projects", Some(&leader)).await);
    let query = format!("/api/v1/projects?q={}", urlencode("另一进程"));
    assert_eq!(count(t.get(&query, Some(&leader)).await), 0);

    let other = t.second_process().await;
    let other_leader = other.token("leader").await;
    let created = other
        .create_project(&other_leader, "另一进程录入的项目", 800)
        .await;
    let listed = t.get(&query, Some(&leader)).await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], created["id"]);

    let moved = other
        .transition(
            &other_leader,
            created["id"].as_i64().unwrap(),
            json!({"to": "negotiating", "date": common_today()}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let in_stage = format!("{query}&stage=negotiating");
    assert_eq!(count(t.get(&in_stage, Some(&leader)).await), 1);

    other.app.generate_projects(300, 11).await.unwrap();
    assert_eq!(
        count(t.get("/api/v1/projects", Some(&leader)).await),
        before + 301
    );
}

#[tokio::test]
async fn a_contract_amount_is_taken_as_sent_and_bounded() {
    let t = spawn_app().await;
    let token = t.token("officer").await;
    let created = t.create_project(&token, "精密铸件项目", 8_000).await;
    let id = created["id"].as_i64().unwrap();
    let today = zhaoshang::domain::dates::iso(t.app.today());
    for to in ["negotiating", "intent"] {
        let moved = t
            .transition(&token, id, json!({"to": to, "date": today}))
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    }
    let detail = t
        .refused_transition(
            &token,
            id,
            json!({"to": "contracted", "date": today, "contract_amount": {"yuan": i64::MAX, "currency": "CNY"}}),
        )
        .await;
    assert!(detail.contains("合同金额数值过大"), "{detail}");
    // An amount that is not a whole number of 万 arrives exactly, in dollars as sent.
    let signed = t
        .transition(
            &token,
            id,
            json!({"to": "contracted", "date": today, "contract_amount": {"yuan": 12_345_678, "currency": "USD"}}),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    assert_eq!(
        signed.json()["contract_amount"],
        json!({"yuan": 12_345_678, "currency": "USD"})
    );
}
