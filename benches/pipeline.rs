//! Benchmark harness (not a test): 200,000 projects on SQLite, and on PostgreSQL when
//! ZHAOSHANG_BENCH_PG names a server (scripts/bench starts one). Requests go through the whole
//! router in one process — routing, session lookup, service, SQL, template — and p50/p99 are
//! printed per operation.
//!
//!   cargo bench --bench pipeline                 # SQLite only
//!   scripts/bench                                # SQLite and PostgreSQL
//!   ZHAOSHANG_BENCH_PROJECTS=50000 scripts/bench # smaller

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use zhaoshang::config::Config;
use zhaoshang::service::App;
use zhaoshang::store::Db;

const PASSWORD: &str = "Bench-Pass-2026!";

struct Bench {
    router: axum::Router,
    cookie: String,
    token: String,
}

impl Bench {
    async fn call(&self, req: Request<Body>) -> (StatusCode, Duration) {
        let started = Instant::now();
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let _ = res.into_body().collect().await.expect("body");
        (status, started.elapsed())
    }
    async fn page(&self, path: &str) -> Duration {
        let req = Request::get(path)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .unwrap();
        let (status, took) = self.call(req).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        took
    }
    async fn api_get(&self, path: &str) -> (StatusCode, Duration) {
        let req = Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .body(Body::empty())
            .unwrap();
        self.call(req).await
    }

    async fn api_json(&self, path: &str, body: String) -> (StatusCode, Duration) {
        let req = Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.call(req).await
    }
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {name:<34} n={:<5} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        samples.len(),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(at(1.0))
    );
}

/// This process's resident memory (Linux), in MiB.
fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap()
}

async fn run(label: &str, url: &str, projects: usize) {
    println!("\n## {label}: {projects} projects");
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let app = App::new(db, Config::default());
    let started = Instant::now();
    app.load_demo(PASSWORD).await.expect("demo");
    app.generate_projects(projects, 20_261_123)
        .await
        .expect("generate");
    println!("  generated in {:.1} s", started.elapsed().as_secs_f64());
    let rss_before = resident_mib();
    let started = Instant::now();
    let loaded = app.warm_lists().await.expect("list facts");
    println!(
        "  list facts of {loaded} projects loaded in {:.2} s; resident memory {:.0} → {:.0} MiB",
        started.elapsed().as_secs_f64(),
        rss_before,
        resident_mib()
    );
    let router = zhaoshang::web::router(app.clone());

    // Sign in as the county leader, who sees everything.
    let login = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("login=leader&password={PASSWORD}")))
        .unwrap();
    let res = router.clone().oneshot(login).await.unwrap();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (token, _) = app.sign_in("leader", PASSWORD).await.expect("token");
    let bench = Bench {
        router,
        cookie,
        token: token.0,
    };

    let lists = [
        "/projects",
        "/projects?stage=construction",
        "/projects?band=1y&sort=investment",
        "/projects?batch=signed&from=2025-01-01&to=2025-12-31",
        "/projects?industry=38&stage=negotiating",
        "/projects?unit=2&band=5000w",
        "/projects?batch=reserve&sort=stale",
        "/projects?stage=production&page=20",
    ];
    // Warm up caches once, as a running server would be.
    for path in lists {
        bench.page(path).await;
    }
    let mut samples = Vec::new();
    for i in 0..400 {
        samples.push(bench.page(lists[i % lists.len()]).await);
    }
    report("list page with filters (HTML)", samples);

    let words = [
        "钢铁",
        "数控机床",
        "华宇",
        "宁波",
        "光伏组件",
        "冷链",
        "生物医药",
        "年产",
        "股份有限",
        "特种钢材",
    ];
    let mut samples = Vec::new();
    for i in 0..400 {
        let q = urlencode(words[i % words.len()]);
        samples.push(bench.page(&format!("/projects?{q}")).await);
    }
    report("name search (HTML)", samples);

    let mut samples = Vec::new();
    let mut seed = 12345u64;
    for _ in 0..400 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let id = 1 + (seed >> 33) % projects as u64;
        samples.push(bench.page(&format!("/projects/{id}")).await);
    }
    report("project detail (HTML)", samples);

    // Transitions on projects still in `lead`.
    // The benchmark's own connection, beside the application's.
    let own = Db::connect(url).await.expect("connect");
    let mut conn = own.pool.acquire().await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM projects WHERE stage = 'lead' ORDER BY id LIMIT 300",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let today = zhaoshang::domain::dates::iso(app.today());
    let mut samples = Vec::new();
    for id in ids {
        let (status, took) = bench
            .api_json(
                &format!("/api/v1/projects/{id}/transitions"),
                format!(r#"{{"to":"negotiating","date":"{today}"}}"#),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        samples.push(took);
    }
    report("stage transition (API)", samples);

    // Contract performance: terms for every signed project (start six months after signing,
    // land at 5% of the contract) and funds for those that started, then the reports.
    let mut conn = own.pool.acquire().await.unwrap();
    let plus = |col: &str, days: i64| {
        if url.starts_with("sqlite:") {
            format!("date({col}, '+{days} days')")
        } else {
            format!("CAST(CAST({col} AS DATE) + {days} AS TEXT)")
        }
    };
    let terms = format!(
        "INSERT INTO contract_terms (project_id, effective_from, start_deadline, production_deadline, \
         land_price_yuan, land_price_currency, incentives_json, recorded_at) \
         SELECT id, contracted_on, {}, {}, contract_amount_yuan / 20, contract_currency, '[]', '2026-01-01T00:00:00Z' \
         FROM projects WHERE contracted_on IS NOT NULL AND contract_amount_yuan IS NOT NULL",
        plus("contracted_on", 183),
        plus("contracted_on", 548)
    );
    let signed = sqlx::query(sqlx::AssertSqlSafe(terms))
        .execute(&mut *conn)
        .await
        .unwrap()
        .rows_affected();
    let funded = sqlx::query(
        "INSERT INTO funds_arrived (project_id, on_date, amount_yuan, currency, source, recorded_at) \
         SELECT id, construction_on, contract_amount_yuan * 4 / 10, contract_currency, '自有资金', '2026-01-01T00:00:00Z' \
         FROM projects WHERE construction_on IS NOT NULL AND contract_amount_yuan IS NOT NULL",
    )
    .execute(&mut *conn)
    .await
    .unwrap()
    .rows_affected();
    // Marked changed, as recording them through the application would.
    sqlx::query("UPDATE change_counters SET value = value + 1 WHERE name = 'projects'")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE projects SET change_seq = (SELECT value FROM change_counters WHERE name = 'projects') \
         WHERE contracted_on IS NOT NULL",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let rss_before = resident_mib();
    let started = Instant::now();
    let loaded = app.warm_contracts().await.expect("contract facts");
    println!(
        "  {signed} signed projects with terms, {funded} with funds; contract facts of {loaded} \
         projects loaded in {:.2} s; resident memory {:.0} → {:.0} MiB",
        started.elapsed().as_secs_f64(),
        rss_before,
        resident_mib()
    );
    for (name, path) in [
        (
            "performance report (API)",
            "/api/v1/reports/performance?since=2020-01-01",
        ),
        (
            "四个一批 (API)",
            "/api/v1/reports/batches?from=2025-01-01&to=2025-12-31",
        ),
        ("idle land (API)", "/api/v1/land/idle"),
    ] {
        let mut samples = Vec::new();
        for _ in 0..50 {
            let (status, took) = bench.api_get(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            samples.push(took);
        }
        report(name, samples);
    }
    own.pool.close().await;
    app.close().await;
}

fn main() {
    let projects: usize = std::env::var("ZHAOSHANG_BENCH_PROJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = std::env::temp_dir().join(format!("zhaoshang-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        run(
            "SQLite",
            &format!("sqlite://{}/bench.db", dir.display()),
            projects,
        )
        .await;
        let _ = std::fs::remove_dir_all(&dir);
        match std::env::var("ZHAOSHANG_BENCH_PG") {
            Ok(admin) if !admin.is_empty() => {
                sqlx::any::install_default_drivers();
                let pool = sqlx::AnyPool::connect(&admin).await.expect("PostgreSQL");
                sqlx::query("DROP DATABASE IF EXISTS zhaoshang_bench")
                    .execute(&pool)
                    .await
                    .unwrap();
                sqlx::query("CREATE DATABASE zhaoshang_bench")
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
                run("PostgreSQL", &format!("{base}/zhaoshang_bench"), projects).await;
            }
            _ => println!("\n(PostgreSQL skipped: set ZHAOSHANG_BENCH_PG or use scripts/bench)"),
        }
    });
}
