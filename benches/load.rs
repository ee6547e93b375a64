//! Load harness (not a test): mixed traffic against a running server over real HTTP, then a
//! check that every acknowledged write is there. `scripts/load` builds a release server, gives
//! it a fresh database with `demo --projects N`, and runs this against it on SQLite and on
//! PostgreSQL.
//!
//! Environment: ZHAOSHANG_LOAD_URL (http://127.0.0.1:PORT), ZHAOSHANG_DEMO_PASSWORD,
//! ZHAOSHANG_LOAD_CONNS (default "1,16,64"), ZHAOSHANG_LOAD_SECONDS (per round, default 10),
//! ZHAOSHANG_LOAD_PID (the server's process id, for its resident memory).
//!
//! Each client signs in once, then loops for the round's time choosing at random: create a
//! project, PATCH one of its own projects with the version it holds, move one a stage on, add a
//! progress note, create an investor, list with a stage filter, search by a two-character word.
//! Exits non-zero on any 5xx or transport error, or when a check after a round fails.
//!
//! Then two hostile rounds (see `hostile`): a burst of 200 sign-ins nobody can complete, and the
//! uploads built to exhaust a reader (ZHAOSHANG_LOAD_HOSTILE=0 leaves them out).

#[path = "load/hostile.rs"]
mod hostile;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Http = Client<HttpConnector, Full<Bytes>>;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Op {
    Create,
    Patch,
    Transition,
    Note,
    Investor,
    List,
    Search,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create project",
            Op::Patch => "PATCH project (version)",
            Op::Transition => "stage transition",
            Op::Note => "progress note",
            Op::Investor => "create investor",
            Op::List => "list, stage filter",
            Op::Search => "search, 2 characters",
        }
    }
    fn writes(self) -> bool {
        !matches!(self, Op::List | Op::Search)
    }
    /// Weights out of 100: about two writes in three.
    /// An operation in the mix's proportions; `writes_only` keeps the writes' proportions and
    /// leaves out the reads.
    fn pick(r: u32, writes_only: bool) -> Op {
        match r % if writes_only { 66 } else { 100 } {
            0..20 => Op::Create,
            20..38 => Op::Patch,
            38..48 => Op::Transition,
            48..60 => Op::Note,
            60..66 => Op::Investor,
            66..83 => Op::List,
            _ => Op::Search,
        }
    }
}

/// One project a client created, and what it knows it did to it.
#[derive(Clone, Debug)]
struct Own {
    id: i64,
    version: i64,
    stage: usize,
    patches: u32,
    last_note_value: Option<String>,
}

const STAGES: [&str; 4] = ["lead", "negotiating", "intent", "contracted"];

#[derive(Default)]
struct Tally {
    samples: BTreeMap<Op, Vec<Duration>>,
    status: BTreeMap<u16, u64>,
    transport_errors: u64,
    unexpected: Vec<String>,
    own: Vec<Own>,
    investors: Vec<i64>,
}

struct Server {
    http: Http,
    base: String,
    token: String,
}

impl Server {
    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), String> {
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token));
        let payload = match body {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Bytes::from(v.to_string())
            }
            None => Bytes::new(),
        };
        let res = self
            .http
            .request(req.body(Full::new(payload)).map_err(|e| e.to_string())?)
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((status, value))
    }
}

fn today() -> String {
    use zhaoshang::domain::dates::{iso, shanghai_date};
    iso(shanghai_date(time::OffsetDateTime::now_utc()))
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }
}

async fn client_loop(
    server: Arc<Server>,
    round: usize,
    client: usize,
    until: Instant,
    writes_only: bool,
) -> Tally {
    let mut t = Tally::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (((round as u64) << 32) | (client as u64 + 1)));
    let date = today();
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let mut op = Op::pick(rng.next(), writes_only);
        if matches!(op, Op::Patch | Op::Transition | Op::Note) && t.own.is_empty() {
            op = Op::Create;
        }
        let pick = if t.own.is_empty() {
            0
        } else {
            rng.next() as usize % t.own.len()
        };
        if op == Op::Transition && t.own[pick].stage + 1 >= STAGES.len() {
            op = Op::Note;
        }
        let (method, path, body) = match op {
            Op::Create => (
                "POST",
                "/api/v1/projects".to_string(),
                Some(json!({
                    "name": format!("压测项目 r{round} c{client} #{n}"),
                    "investor_name": format!("压测投资方{client}号有限公司"),
                    "industry_code": "30",
                    "total_investment": { "yuan": 100_000_000 + i64::from(rng.next() % 1000) * 1_000_000, "currency": "CNY" },
                })),
            ),
            Op::Patch => {
                let own = &t.own[pick];
                (
                    "PATCH",
                    format!("/api/v1/projects/{}", own.id),
                    Some(
                        json!({ "version": own.version, "notes": format!("r{round} c{client} #{n}") }),
                    ),
                )
            }
            Op::Transition => {
                let own = &t.own[pick];
                let to = STAGES[own.stage + 1];
                let mut body = json!({ "to": to, "date": date, "version": own.version });
                if to == "contracted" {
                    body["contract_amount"] = json!({ "yuan": 80_000_000, "currency": "CNY" });
                }
                (
                    "POST",
                    format!("/api/v1/projects/{}/transitions", own.id),
                    Some(body),
                )
            }
            Op::Note => (
                "POST",
                format!("/api/v1/projects/{}/notes", t.own[pick].id),
                Some(json!({ "body": format!("压测进展 r{round} c{client} #{n}"), "date": date })),
            ),
            Op::Investor => (
                "POST",
                "/api/v1/investors".to_string(),
                Some(json!({
                    "name": format!("压测客商 r{round} c{client} n{n} Holdings Ltd"),
                    "kind": "foreign",
                    "confirm_duplicate": true,
                })),
            ),
            Op::List => (
                "GET",
                format!(
                    "/api/v1/projects?stage={}&per_page=20&page={}",
                    STAGES[(rng.next() % 4) as usize],
                    1 + rng.next() % 5
                ),
                None,
            ),
            Op::Search => (
                "GET",
                format!(
                    "/api/v1/projects?q={}&per_page=20",
                    ["钢铁", "新能", "包装", "科技"][(rng.next() % 4) as usize]
                ),
                None,
            ),
        };
        let started = Instant::now();
        let answer = server.call(method, &path, body.clone()).await;
        let took = started.elapsed();
        let (status, value) = match answer {
            Ok(a) => a,
            Err(e) => {
                t.transport_errors += 1;
                if t.unexpected.len() < 5 {
                    t.unexpected.push(format!("{} {path}: {e}", op.name()));
                }
                continue;
            }
        };
        *t.status.entry(status).or_default() += 1;
        t.samples.entry(op).or_default().push(took);
        let ok = (200..300).contains(&status);
        if !ok {
            if t.unexpected.len() < 5 {
                t.unexpected
                    .push(format!("{} {path} → {status} {value}", op.name()));
            }
            continue;
        }
        match op {
            Op::Create => t.own.push(Own {
                id: value["id"].as_i64().unwrap_or(0),
                version: value["version"].as_i64().unwrap_or(0),
                stage: 0,
                patches: 0,
                last_note_value: None,
            }),
            Op::Patch => {
                let own = &mut t.own[pick];
                own.version = value["version"].as_i64().unwrap_or(own.version);
                own.patches += 1;
                own.last_note_value = body.and_then(|b| b["notes"].as_str().map(str::to_string));
            }
            Op::Transition => {
                let own = &mut t.own[pick];
                own.version = value["version"].as_i64().unwrap_or(own.version);
                own.stage += 1;
            }
            Op::Note => {
                // A note moves the project's "last progress" date, and its version with it.
                let own = &mut t.own[pick];
                if let Ok((200, p)) = server
                    .call("GET", &format!("/api/v1/projects/{}", own.id), None)
                    .await
                {
                    own.version = p["version"].as_i64().unwrap_or(own.version);
                }
            }
            Op::Investor => t.investors.push(value["id"].as_i64().unwrap_or(0)),
            Op::List | Op::Search => {}
        }
    }
    t
}

/// Reads back every acknowledged write of the round; returns the problems found.
async fn check(server: Arc<Server>, own: Vec<Own>, investors: Vec<i64>) -> Vec<String> {
    let own = Arc::new(own);
    let investors = Arc::new(investors);
    let workers = 16;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (server, own, investors) = (server.clone(), own.clone(), investors.clone());
        tasks.push(tokio::spawn(async move {
            let mut problems = Vec::new();
            for o in own.iter().skip(w).step_by(workers) {
                match server
                    .call("GET", &format!("/api/v1/projects/{}", o.id), None)
                    .await
                {
                    Ok((200, p)) => {
                        if p["stage"].as_str() != Some(STAGES[o.stage]) {
                            problems.push(format!(
                                "project {}: stage {} but {} was acknowledged",
                                o.id, p["stage"], STAGES[o.stage]
                            ));
                        }
                        if let Some(v) = &o.last_note_value
                            && p["notes"].as_str() != Some(v)
                        {
                            problems.push(format!(
                                "project {}: notes {} but {v:?} was acknowledged last",
                                o.id, p["notes"]
                            ));
                        }
                    }
                    other => problems.push(format!(
                        "acknowledged project {} reads back as {other:?}",
                        o.id
                    )),
                }
                if o.patches > 0 {
                    match server
                        .call("GET", &format!("/api/v1/projects/{}/events", o.id), None)
                        .await
                    {
                        Ok((200, h)) => {
                            let edits = h["items"].as_array().map_or(0, |items| {
                                items.iter().filter(|e| e["kind"] == "edited").count()
                            });
                            if edits != o.patches as usize {
                                problems.push(format!(
                                    "project {}: {} acknowledged PATCHes, {edits} in its history",
                                    o.id, o.patches
                                ));
                            }
                        }
                        other => problems.push(format!("history of {}: {other:?}", o.id)),
                    }
                }
            }
            for id in investors.iter().skip(w).step_by(workers) {
                if !matches!(
                    server
                        .call("GET", &format!("/api/v1/investors/{id}"), None)
                        .await,
                    Ok((200, _))
                ) {
                    problems.push(format!("acknowledged investor {id} is missing"));
                }
            }
            problems
        }));
    }
    let mut problems = Vec::new();
    for t in tasks {
        problems.extend(t.await.unwrap_or_else(|e| vec![e.to_string()]));
    }
    problems
}

fn memory_of(pid: Option<&str>) -> String {
    let Some(pid) = pid else {
        return "(ZHAOSHANG_LOAD_PID not set)".into();
    };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or("?".to_string(), |kb| {
                format!("{:.0} MB", kb as f64 / 1024.0)
            })
    };
    format!("resident {} (peak {})", field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let env = |k: &str| std::env::var(k).ok();
    let base = env("ZHAOSHANG_LOAD_URL")
        .expect("ZHAOSHANG_LOAD_URL: the server to load, http://127.0.0.1:PORT");
    let password = env("ZHAOSHANG_DEMO_PASSWORD")
        .expect("ZHAOSHANG_DEMO_PASSWORD: the demo accounts' password");
    let conns: Vec<usize> = env("ZHAOSHANG_LOAD_CONNS")
        .unwrap_or_else(|| "1,16,64".into())
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let seconds: u64 = env("ZHAOSHANG_LOAD_SECONDS")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let pid = env("ZHAOSHANG_LOAD_PID");
    // `mixed` (default): two thirds writes, a third list and search reads; `writes`: writes only.
    let writes_only = match env("ZHAOSHANG_LOAD_MIX").as_deref() {
        None | Some("mixed") => false,
        Some("writes") => true,
        Some(other) => panic!("ZHAOSHANG_LOAD_MIX: mixed or writes, not {other}"),
    };
    println!(
        "traffic: {}",
        if writes_only {
            "writes only"
        } else {
            "mixed (2/3 writes, 1/3 reads)"
        }
    );

    let http: Http = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build_http();
    let http_for_hostile = http.clone();
    let signed_in = {
        let anonymous = Server {
            http: http.clone(),
            base: base.clone(),
            token: String::new(),
        };
        let (status, body) = anonymous
            .call(
                "POST",
                "/api/v1/session",
                Some(json!({ "login": "officer", "password": password })),
            )
            .await
            .expect("sign in");
        assert!(
            (200..300).contains(&status),
            "sign-in as officer: {status} {body}"
        );
        body["token"].as_str().expect("token").to_string()
    };
    let server = Arc::new(Server {
        http,
        base,
        token: signed_in,
    });
    println!("server memory before: {}", memory_of(pid.as_deref()));

    let mut failed = false;
    for (round, &c) in conns.iter().enumerate() {
        let until = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let tasks: Vec<_> = (0..c)
            .map(|client| {
                tokio::spawn(client_loop(
                    server.clone(),
                    round,
                    client,
                    until,
                    writes_only,
                ))
            })
            .collect();
        let mut all = Tally::default();
        for task in tasks {
            let t = task.await.expect("client");
            for (op, s) in t.samples {
                all.samples.entry(op).or_default().extend(s);
            }
            for (k, v) in t.status {
                *all.status.entry(k).or_default() += v;
            }
            all.transport_errors += t.transport_errors;
            all.unexpected.extend(t.unexpected);
            all.own.extend(t.own);
            all.investors.extend(t.investors);
        }
        let elapsed = started.elapsed().as_secs_f64();
        let total: usize = all.samples.values().map(Vec::len).sum();
        let writes: usize = all
            .samples
            .iter()
            .filter(|(op, _)| op.writes())
            .map(|(_, s)| s.len())
            .sum();
        // The traffic is made so that nothing should be refused: any answer but 2xx is a fault.
        let not_ok: u64 = all
            .status
            .iter()
            .filter(|(s, _)| !(200..300).contains(*s))
            .map(|(_, n)| n)
            .sum();
        let acked_creates = all.own.len();
        println!(
            "\n{c} connection(s), {seconds} s: {:.0} requests/s, {:.0} writes/s answered; statuses {:?}; transport errors {}",
            total as f64 / elapsed,
            writes as f64 / elapsed,
            all.status,
            all.transport_errors
        );
        for (op, mut s) in all.samples {
            s.sort();
            println!(
                "  {:<26} {:>7.0}/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
                op.name(),
                s.len() as f64 / elapsed,
                percentile(&s, 0.5),
                percentile(&s, 0.99)
            );
        }
        for u in all.unexpected.iter().take(10) {
            println!("  ! {u}");
        }
        let problems = check(server.clone(), all.own, all.investors).await;
        println!(
            "  check: {acked_creates} acknowledged creates read back with their stage, notes and edit history: {}",
            if problems.is_empty() {
                "all present".to_string()
            } else {
                format!("{} problems", problems.len())
            }
        );
        for p in problems.iter().take(10) {
            println!("  ! {p}");
        }
        println!("  server memory: {}", memory_of(pid.as_deref()));
        failed |= not_ok > 0 || all.transport_errors > 0 || !problems.is_empty();
    }
    if env("ZHAOSHANG_LOAD_HOSTILE").as_deref() != Some("0") {
        failed |=
            !hostile::sign_in_burst(&http_for_hostile, &server.base, pid.as_deref(), 200).await;
        failed |= !hostile::hostile_uploads(
            &http_for_hostile,
            &server.base,
            &server.token,
            pid.as_deref(),
        )
        .await;
    }
    if failed {
        println!(
            "\nLOAD FAILED: answers other than 2xx, transport errors or missing writes (see above)"
        );
        std::process::exit(1);
    }
    println!("\nload passed: every answer 2xx, every acknowledged write present");
}
