//! Requests at once: writes never fail because another request is writing, and refusals never
//! hold the pool hostage. Runs on SQLite, and on PostgreSQL when ZHAOSHANG_TEST_PG is set.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::spawn_app;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Row;
use tower::ServiceExt;

/// Sends one request through a clone of the router, from a task of its own.
fn send(
    router: &axum::Router,
    method: &str,
    path: String,
    token: &str,
    body: Option<Value>,
) -> tokio::task::JoinHandle<(StatusCode, String)> {
    let router = router.clone();
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(v) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let request = request.body(body).expect("request");
    tokio::spawn(async move {
        let response = router.oneshot(request).await.expect("response");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&bytes).to_string())
    })
}

async fn audit_is_intact(t: &common::TestApp) {
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let check = zhaoshang::store::audit::verify(&mut conn).await.unwrap();
    assert!(
        matches!(check, zhaoshang::store::audit::ChainCheck::Intact { .. }),
        "{check:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clients_writing_at_once_are_all_answered_and_all_kept() {
    let t = spawn_app().await;
    let officer = t.token("officer").await;
    let before = t
        .get("/api/v1/projects?per_page=1", Some(&officer))
        .await
        .json()["total"]
        .as_i64()
        .unwrap();
    // 16 clients, each creating 12 projects as fast as answers come.
    let mut clients = Vec::new();
    for c in 0..16 {
        let router = t.router.clone();
        let officer = officer.clone();
        clients.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for n in 0..12 {
                let body = json!({
                    "name": format!("并发项目 {c}-{n}"),
                    "investor_name": format!("并发投资方{c}有限公司"),
                    "industry_code": "38",
                    "total_investment": {"yuan": 50_000_000, "currency": "CNY"},
                });
                answers.push(
                    send(
                        &router,
                        "POST",
                        "/api/v1/projects".into(),
                        &officer,
                        Some(body),
                    )
                    .await
                    .unwrap(),
                );
            }
            answers
        }));
    }
    let mut created = Vec::new();
    for c in clients {
        for (status, text) in c.await.unwrap() {
            assert_eq!(status, StatusCode::CREATED, "{text}");
            created.push(
                serde_json::from_str::<Value>(&text).unwrap()["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
    }
    let after = t
        .get("/api/v1/projects?per_page=1", Some(&officer))
        .await
        .json()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(after - before, 192, "every acknowledged create is listed");

    // Eight edits of one project at the same version: one is kept, the others are told the
    // record changed; none fails and none is lost silently.
    let id = created[0];
    let edits: Vec<_> = (0..8)
        .map(|n| {
            send(
                &t.router,
                "PATCH",
                format!("/api/v1/projects/{id}"),
                &officer,
                Some(json!({"version": 1, "notes": format!("第{n}次修改")})),
            )
        })
        .collect();
    let mut kept = Vec::new();
    for (n, e) in edits.into_iter().enumerate() {
        let (status, text) = e.await.unwrap();
        match status {
            StatusCode::OK => kept.push(n),
            StatusCode::CONFLICT => assert!(text.contains("已被他人修改"), "{text}"),
            other => panic!("edit {n}: {other} {text}"),
        }
    }
    assert_eq!(kept.len(), 1, "exactly one edit at version 1 is kept");
    let stored = t
        .get(&format!("/api/v1/projects/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(stored["notes"], format!("第{}次修改", kept[0]));
    assert_eq!(stored["version"], 2);
    audit_is_intact(&t).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_refused_reads_at_once_leave_the_server_answering_and_are_all_recorded() {
    let t = spawn_app().await;
    let park_project = t.a_park_project().await;
    let town = t.token("officer_town1").await;
    let refused: Vec<_> = (0..64)
        .map(|n| {
            // Half ask for a project outside their scope, half for one that does not exist.
            let id = if n % 2 == 0 {
                park_project
            } else {
                9_000_000 + n
            };
            send(
                &t.router,
                "GET",
                format!("/api/v1/projects/{id}"),
                &town,
                None,
            )
        })
        .collect();
    // The health check is answered while they run (a pool held hostage would time it out).
    let health = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        t.router.clone().oneshot(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        ),
    )
    .await
    .expect("the health check is answered while refusals are being recorded")
    .expect("response");
    assert_eq!(health.status(), StatusCode::OK);
    for r in refused {
        let (status, text) = r.await.unwrap();
        assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    }
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let recorded: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'permission_denied' \
         AND actor_login = 'officer_town1' AND entity = 'project'",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap()
    .try_get("n")
    .unwrap();
    assert_eq!(recorded, 64, "each refusal is in the audit trail once");
    drop(conn);
    audit_is_intact(&t).await;
}
