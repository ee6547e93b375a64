//! Benchmark harness (not a test): a 100,000-row investor list and a 100,000-row lead ledger
//! imported from .xlsx — read, every row validated (and checked against the 客商库 and the rest
//! of the file), previewed, then written in one transaction. Prints rows per second. SQLite,
//! and PostgreSQL when ZHAOSHANG_BENCH_PG names a server (scripts/bench starts one).
//!
//!   cargo bench --bench import
//!   ZHAOSHANG_BENCH_ROWS=20000 ZHAOSHANG_BENCH_ROUNDS=5 cargo bench --bench import

use std::time::Instant;
use zhaoshang::config::Config;
use zhaoshang::service::App;
use zhaoshang::sheet::{Cell, write_sheet};
use zhaoshang::store::Db;

const PASSWORD: &str = "Bench-Pass-2026!";

const CITIES: [&str; 6] = ["宁波", "苏州", "深圳", "东莞", "天津", "杭州"];
const KINDS: [&str; 3] = ["民营", "外资", "港资"];

/// A valid 统一社会信用代码 for row `n` (the check digit computed, as a real list would have).
fn credit_code(n: usize) -> String {
    zhaoshang::domain::credit_code::CreditCode::with_checksum(&format!("9133{:013}", n * 7 + 1))
        .map(|c| c.to_string())
        .unwrap_or_default()
}

fn investor_sheet(rows: usize) -> Vec<u8> {
    let headers = [
        "序号",
        "企业名称",
        "统一社会信用代码",
        "企业性质",
        "来源城市",
        "所属行业",
        "联系人",
        "电话",
        "备注",
    ];
    write_sheet(
        "客商名单",
        &headers,
        (0..rows).map(|i| {
            let kind = KINDS[i % KINDS.len()];
            vec![
                Cell::Number((i + 1) as f64),
                Cell::Text(format!(
                    "{}市第{}号精密制造有限公司",
                    CITIES[i % CITIES.len()],
                    i + 1
                )),
                Cell::Text(if kind == "民营" {
                    credit_code(i)
                } else {
                    String::new()
                }),
                Cell::from(kind),
                Cell::from(CITIES[i % CITIES.len()]),
                Cell::Text(format!("{} ", 13 + i % 30)),
                Cell::Text(format!("联系人{}", i % 997)),
                Cell::Text(format!("1380013{:04}", i % 10_000)),
                Cell::from("2026年推介会名单"),
            ]
        }),
    )
    .expect("sheet")
}

fn lead_sheet(rows: usize) -> Vec<u8> {
    let headers = [
        "项目名称",
        "投资方",
        "投资额（亿元）",
        "渠道",
        "信息来源",
        "联系人",
        "备注",
    ];
    write_sheet(
        "线索台账",
        &headers,
        (0..rows).map(|i| {
            vec![
                Cell::Text(format!("第{}号年产10万套零部件项目", i + 1)),
                Cell::Text(format!("{}某实业有限公司", CITIES[i % CITIES.len()])),
                Cell::Text(format!("{}.{}", 1 + i % 20, i % 10)),
                Cell::from(if i % 2 == 0 {
                    "以商招商"
                } else {
                    "驻外分队招商"
                }),
                Cell::Text(format!("在园企业{}", i % 50)),
                Cell::Text(format!("张经理 1390000{:04}", i % 10_000)),
                Cell::from(""),
            ]
        }),
    )
    .expect("sheet")
}

/// One round on a fresh database: both files previewed and imported; rows/s of each.
async fn round(url: &str, rows: usize, sheets: &[(&str, Vec<u8>)]) -> Vec<f64> {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let app = App::new(
        db.clone(),
        Config {
            import_max_rows: rows + 10,
            import_max_bytes: 256 * 1024 * 1024,
            ..Config::default()
        },
    );
    app.load_demo(PASSWORD).await.expect("demo");
    let (_, officer) = app.sign_in("officer", PASSWORD).await.expect("sign in");
    let mut rates = Vec::new();
    for (kind, bytes) in sheets {
        let started = Instant::now();
        let preview = app
            .preview_import(&officer, kind, "bench.xlsx", bytes)
            .await
            .expect("preview");
        let read = started.elapsed().as_secs_f64();
        assert_eq!(
            preview.rows_valid as usize,
            rows,
            "{:?}",
            preview.rejected.first()
        );
        let started = Instant::now();
        let done = app
            .confirm_import(&officer, preview.id, &Default::default())
            .await
            .expect("import");
        let write = started.elapsed().as_secs_f64();
        assert!(done.imported);
        let total = read + write;
        println!(
            "  {kind:<10} file {:>5.1} MB   read+validate+preview {:>5.2} s   write {:>5.2} s   \
             total {:>5.2} s = {:>7.0} rows/s",
            bytes.len() as f64 / 1e6,
            read,
            write,
            total,
            rows as f64 / total
        );
        rates.push(rows as f64 / total);
    }
    db.close().await;
    rates
}

/// `rounds` rounds, each on a database made fresh by `fresh` (which returns its URL); prints
/// every round, then the median and range per file. This machine's timings vary by a third
/// from run to run, so one round alone says little.
async fn run<F, Fut>(label: &str, rows: usize, rounds: usize, fresh: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = String>,
{
    println!("\n## {label}: {rows} rows per file, {rounds} rounds on fresh databases");
    let sheets = [
        ("investors", investor_sheet(rows)),
        ("leads", lead_sheet(rows)),
    ];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); sheets.len()];
    for r in 0..rounds {
        let url = fresh(r).await;
        for (i, rate) in round(&url, rows, &sheets).await.into_iter().enumerate() {
            rates[i].push(rate);
        }
    }
    for ((kind, _), mut r) in sheets.iter().zip(rates) {
        r.sort_by(f64::total_cmp);
        println!(
            "  {kind:<10} median {:>7.0} rows/s   (slowest {:.0}, fastest {:.0})",
            r[r.len() / 2],
            r[0],
            r[r.len() - 1]
        );
    }
}

fn main() {
    let rows: usize = std::env::var("ZHAOSHANG_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rounds: usize = std::env::var("ZHAOSHANG_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir =
            std::env::temp_dir().join(format!("zhaoshang-import-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sqlite_dir = dir.clone();
        run("SQLite", rows, rounds, |r| {
            let path = sqlite_dir.join(format!("bench-{r}.db"));
            async move { format!("sqlite://{}", path.display()) }
        })
        .await;
        let _ = std::fs::remove_dir_all(&dir);
        match std::env::var("ZHAOSHANG_BENCH_PG") {
            Ok(admin) if !admin.is_empty() => {
                sqlx::any::install_default_drivers();
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
                run("PostgreSQL", rows, rounds, |_| {
                    let admin = admin.clone();
                    let base = base.clone();
                    async move {
                        let pool = sqlx::AnyPool::connect(&admin).await.expect("PostgreSQL");
                        for sql in [
                            "DROP DATABASE IF EXISTS zhaoshang_import_bench",
                            "CREATE DATABASE zhaoshang_import_bench",
                        ] {
                            sqlx::query(sql).execute(&pool).await.unwrap();
                        }
                        pool.close().await;
                        format!("{base}/zhaoshang_import_bench")
                    }
                })
                .await;
            }
            _ => println!("\n(PostgreSQL skipped: set ZHAOSHANG_BENCH_PG or use scripts/bench)"),
        }
    });
}
