//! The hostile rounds of the load harness: a burst of sign-ins nobody can complete, and uploads
//! built to exhaust a reader. Each prints how the server answered, how fast, whether it kept
//! answering others meanwhile, and its resident memory before and after.

use super::{Http, memory_of};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

async fn send(
    http: &Http,
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Bytes,
) -> Result<(u16, Value, Duration), String> {
    let started = Instant::now();
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    let res = http
        .request(req.body(Full::new(body)).map_err(|e| e.to_string())?)
        .await
        .map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let bytes = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        started.elapsed(),
    ))
}

/// `n` sign-ins at once, half unknown logins and half wrong passwords of one account, while a
/// watcher asks /healthz every 50 ms. Returns whether the server kept answering and stayed
/// free of 5xx.
pub async fn sign_in_burst(http: &Http, base: &str, pid: Option<&str>, n: usize) -> bool {
    println!("\nsign-in burst: {n} at once (half unknown logins, half wrong passwords)");
    println!("  server memory before: {}", memory_of(pid));
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (http, base, watching) = (http.clone(), base.to_string(), watching.clone());
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            let mut failures = 0;
            while watching.load(std::sync::atomic::Ordering::Relaxed) {
                match send(&http, &base, "GET", "/healthz", &[], Bytes::new()).await {
                    Ok((200, _, took)) => slowest = slowest.max(took),
                    _ => failures += 1,
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (slowest, failures)
        })
    };
    let started = Instant::now();
    let attempts: Vec<_> = (0..n)
        .map(|i| {
            let (http, base) = (http.clone(), base.to_string());
            tokio::spawn(async move {
                let login = if i % 2 == 0 {
                    format!("nobody-{i}")
                } else {
                    "park_leader".to_string()
                };
                let body = json!({ "login": login, "password": format!("Wrong-{i}") });
                send(
                    &http,
                    &base,
                    "POST",
                    "/api/v1/session",
                    &[("content-type", "application/json".into())],
                    Bytes::from(body.to_string()),
                )
                .await
            })
        })
        .collect();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut slowest = Duration::ZERO;
    let mut transport = 0;
    for a in attempts {
        match a.await {
            Ok(Ok((status, _, took))) => {
                *statuses.entry(status).or_default() += 1;
                slowest = slowest.max(took);
            }
            _ => transport += 1,
        }
    }
    let took = started.elapsed();
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let (health_slowest, health_failures) = watcher.await.unwrap_or((Duration::MAX, 1));
    println!(
        "  answered in {:.2} s (slowest {:.0} ms): statuses {statuses:?}, transport errors {transport}",
        took.as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
    println!(
        "  /healthz meanwhile: slowest {:.0} ms, {health_failures} failures",
        health_slowest.as_secs_f64() * 1000.0
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("  server memory after: {}", memory_of(pid));
    let server_errors = statuses.keys().any(|s| *s >= 500);
    !server_errors && transport == 0 && health_failures == 0
}

fn sheet(dimension: &str, cells: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
    )
    .into_bytes()
}

/// The files the hardening review used to stop or exhaust the server, built here.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    use zhaoshang::sheet::raw_workbook;
    vec![
        (
            "a sheet declaring 1,048,576 rows, two cells",
            raw_workbook(
                &sheet(
                    "A1:XFD1048576",
                    r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
                ),
                None,
            ),
        ),
        (
            "32 million cells packed small",
            raw_workbook(
                &sheet(
                    "A1:A1",
                    &format!("<row>{}</row>", r#"<c><v>1</v></c>"#.repeat(32_000_000)),
                ),
                None,
            ),
        ),
        (
            "one cell of 1 MB of text",
            raw_workbook(
                &sheet(
                    "A1:A1",
                    &format!(
                        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>"#,
                        "x".repeat(1024 * 1024)
                    ),
                ),
                None,
            ),
        ),
        (
            "30 MB of shared text",
            raw_workbook(
                &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
                Some(
                    format!(
                        r#"<sst uniqueCount="1"><si><t>{}</t></si></sst>"#,
                        "x".repeat(30 * 1024 * 1024)
                    )
                    .as_bytes(),
                ),
            ),
        ),
        (
            "shared strings asking room for a trillion",
            raw_workbook(
                &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
                Some(br#"<sst uniqueCount="1000000000000"><si><t>a</t></si></sst>"#),
            ),
        ),
    ]
}

/// Uploads each hostile file for import preview. Each must be refused (422) with words for the
/// user, within 2 s, and the server must not grow by more than 64 MB.
pub async fn hostile_uploads(http: &Http, base: &str, token: &str, pid: Option<&str>) -> bool {
    println!("\nhostile uploads (import preview)");
    println!("  server memory before: {}", memory_of(pid));
    let mut passed = true;
    for (what, bytes) in hostile_files() {
        let answer = send(
            http,
            base,
            "POST",
            "/api/v1/imports?kind=investors&file_name=hostile.xlsx",
            &[
                ("authorization", format!("Bearer {token}")),
                (
                    "content-type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
                ),
            ],
            Bytes::from(bytes.clone()),
        )
        .await;
        match answer {
            Ok((status, body, took)) => {
                let detail = body["detail"].as_str().unwrap_or("").to_string();
                let ok = status == 422 && took < Duration::from_secs(2);
                passed &= ok;
                println!(
                    "  {} {what} ({} KB): {status} in {:.0} ms — {detail}",
                    if ok { "ok" } else { "!!" },
                    bytes.len() / 1024,
                    took.as_secs_f64() * 1000.0
                );
            }
            Err(e) => {
                passed = false;
                println!("  !! {what}: {e}");
            }
        }
    }
    println!("  server memory after: {}", memory_of(pid));
    passed
}
