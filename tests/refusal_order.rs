//! Forms and the JSON API parse what was typed at the edge, but only after the caller's role and
//! scope are settled: an account that may not write, or a record outside its scope, is refused
//! as such (403, 404) whatever it sent, and never learns which of its fields were wrong.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, spawn_app};
use serde_json::{Value, json};

/// A record of each kind kept by 一镇 (officer_town1), and a body no rule accepts.
async fn town_records(t: &common::TestApp) -> Vec<(&'static str, i64, Value)> {
    let town = t.token("officer_town1").await;
    let me = t.sign_in("officer_town1", PASSWORD).await.json()["user"]["id"].clone();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut made = Vec::new();
    for (path, body, bad) in [
        (
            "/api/v1/investors",
            json!({"name": "次序测试外资有限公司", "kind": "foreign"}),
            json!({"kind": "bogus", "website": "not a url"}),
        ),
        (
            "/api/v1/visits",
            json!({"direction": "out", "visit_date": today, "place": "宁波",
                   "investor_side": "某公司 总经理", "participants": [me],
                   "purpose": "洽谈"}),
            json!({"direction": "sideways", "visit_date": "2999-01-01"}),
        ),
        (
            "/api/v1/events",
            json!({"kind": "promotion", "title": "次序测试推介会", "held_on": today,
                   "city": "宁波"}),
            json!({"kind": "party", "title": ""}),
        ),
        (
            "/api/v1/referrers",
            json!({"kind": "person", "name": "次序测试引荐人"}),
            json!({"kind": "alien", "name": ""}),
        ),
    ] {
        let created = t.post_json(path, Some(&town), &body).await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{path}: {}",
            created.text
        );
        made.push((path, created.json()["id"].as_i64().expect("id"), bad));
    }
    made
}

#[tokio::test]
async fn an_account_that_may_not_write_is_refused_whatever_it_sent() {
    let t = spawn_app().await;
    let records = town_records(&t).await;
    let enterprise = t.token("enterprise").await;
    for (path, _, bad) in &records {
        let refused = t.post_json(path, Some(&enterprise), bad).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            refused.text
        );
        assert!(
            refused.json()["errors"]
                .as_array()
                .is_none_or(Vec::is_empty),
            "{path}: a refusal names no field: {}",
            refused.text
        );
    }
    // The pages too: the form's fields are not judged for an account that may not use it.
    let cookie = t.cookie("enterprise").await;
    for page in ["/investors", "/visits", "/events", "/referrers"] {
        let refused = t
            .post_form(page, Some(&cookie), &[("name", ""), ("kind", "bogus")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{page}");
    }
}

#[tokio::test]
async fn a_record_outside_the_callers_scope_is_not_found_whatever_was_sent() {
    let t = spawn_app().await;
    let records = town_records(&t).await;
    let other_town = t.token("officer_town2").await;
    for (path, id, bad) in &records {
        let mut body = bad.clone();
        body["version"] = json!(1);
        let refused = t
            .patch_json(&format!("{path}/{id}"), Some(&other_town), &body)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::NOT_FOUND,
            "{path}/{id}: {}",
            refused.text
        );
    }
    let cookie = t.cookie("officer_town2").await;
    for (path, id, _) in &records {
        let page = format!("{}/{id}", path.trim_start_matches("/api/v1"));
        let refused = t
            .post_form(&page, Some(&cookie), &[("version", "1"), ("kind", "bogus")])
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{page}");
    }
    // The same bodies from the record's own officer are judged, field by field.
    let town = t.token("officer_town1").await;
    for (path, id, bad) in &records {
        let mut body = bad.clone();
        body["version"] = json!(1);
        let judged = t
            .patch_json(&format!("{path}/{id}"), Some(&town), &body)
            .await;
        assert_eq!(
            judged.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}/{id}: {}",
            judged.text
        );
    }
}
