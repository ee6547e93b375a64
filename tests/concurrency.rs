//! Requests at once: writes never fail because another request is writing, and refusals never
//! hold the pool hostage. Runs on SQLite, and on PostgreSQL when ZHAOSHANG_TEST_PG is set.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{api_request, send_to, spawn_app};
use serde_json::json;
use sqlx::Row;
use tower::ServiceExt;

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
    // 16 clients, each sending its next create as soon as its last is answered.
    let clients: Vec<_> = (0..16)
        .map(|c| {
            let (router, officer) = (t.router.clone(), officer.clone());
            tokio::spawn(async move {
                let mut replies = Vec::new();
                for n in 0..12 {
                    let body = json!({
                        "name": format!("并发项目 {c}-{n}"),
                        "investor_name": format!("并发投资方{c}有限公司"),
                        "industry_code": "38",
                        "total_investment": {"yuan": 50_000_000, "currency": "CNY"},
                    });
                    let request =
                        api_request("POST", "/api/v1/projects", Some(&officer), Some(&body));
                    replies.push(send_to(router.clone(), request).await);
                }
                replies
            })
        })
        .collect();
    let mut created = Vec::new();
    for client in clients {
        for reply in client.await.unwrap() {
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
            created.push(reply.json()["id"].as_i64().unwrap());
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
            let body = json!({"version": 1, "notes": format!("第{n}次修改")});
            let path = format!("/api/v1/projects/{id}");
            t.spawn_send(api_request("PATCH", &path, Some(&officer), Some(&body)))
        })
        .collect();
    let mut kept = Vec::new();
    for (n, e) in edits.into_iter().enumerate() {
        let reply = e.await.unwrap();
        match reply.status {
            StatusCode::OK => kept.push(n),
            StatusCode::CONFLICT => assert!(reply.text.contains("已被他人修改"), "{}", reply.text),
            other => panic!("edit {n}: {other} {}", reply.text),
        }
    }
    assert_eq!(kept.len(), 1, "exactly one edit at version 1 is kept");
    let stored = t
        .get(&format!("/api/v1/projects/{id}"), Some(&officer))
        .await
        .json();
    assert_eq!(stored["notes"], format!("第{}次修改", kept[0]));
    assert_eq!(stored["version"], 2);
    t.assert_audit_intact().await;
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
            let path = format!("/api/v1/projects/{id}");
            t.spawn_send(api_request("GET", &path, Some(&town), None))
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
        let reply = r.await.unwrap();
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    }
    let mut conn = t.db.pool.acquire().await.unwrap();
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
    t.assert_audit_intact().await;
}

/// A write transaction dropped without committing (an error half-way, a client gone) is rolled
/// back: nothing it wrote stays, and neither this process's next write nor another process's
/// waits on a lock nobody will release.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_abandoned_write_is_rolled_back_and_blocks_no_one() {
    let t = spawn_app().await;
    let marker = "abandoned-write-marker";
    {
        let mut tx = t.db.write().await.expect("begin");
        sqlx::query("UPDATE units SET name = $1 WHERE id = (SELECT MIN(id) FROM units)")
            .bind(marker)
            .execute(&mut *tx)
            .await
            .expect("update");
        // Dropped here without commit.
    }
    let other = t.second_process().await;
    let begun = std::time::Instant::now();
    let mut theirs = tokio::time::timeout(std::time::Duration::from_secs(3), other.db.write())
        .await
        .expect("another process begins a write without waiting out a lock")
        .expect("begin");
    assert!(begun.elapsed() < std::time::Duration::from_secs(2));
    let kept: i64 = sqlx::query("SELECT COUNT(*) AS n FROM units WHERE name = $1")
        .bind(marker)
        .fetch_one(&mut *theirs)
        .await
        .expect("count")
        .try_get("n")
        .expect("n");
    assert_eq!(kept, 0, "the abandoned write left nothing behind");
    theirs.commit().await.expect("commit");
    let mut ours = tokio::time::timeout(std::time::Duration::from_secs(3), t.db.write())
        .await
        .expect("this process writes again")
        .expect("begin");
    sqlx::query("SELECT 1")
        .execute(&mut *ours)
        .await
        .expect("select");
    ours.commit().await.expect("commit");
    other.app.close().await;
}
