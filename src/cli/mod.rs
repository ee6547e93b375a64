//! The command line: `serve`, `migrate`, `demo`. Thin: parse, call a service, print.

use crate::config::Config;
use crate::service::App;
use crate::service::setup::generated_password;
use crate::store::Db;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::time::Instant;

pub const DEFAULT_DB: &str = "sqlite://data/zhaoshang.db";

#[derive(Parser, Debug)]
#[command(name = "zhaoshang", version, about = "招商引资全流程管理系统")]
pub struct Cli {
    /// Database URL: sqlite://path (default data/zhaoshang.db) or postgres://user@host/db
    #[arg(long, env = "ZHAOSHANG_DB", default_value = DEFAULT_DB, global = true)]
    pub db: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (pages and JSON API).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ZHAOSHANG_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Load the demo county (units, accounts, projects) into an empty database.
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Load the demo data; with --projects N also generate N synthetic projects.
    Demo {
        /// How many synthetic projects to add (for scale tests).
        #[arg(long, default_value_t = 0)]
        projects: usize,
        /// Seed of the generator (the same seed gives the same projects).
        #[arg(long, default_value_t = 20_261_123)]
        seed: u64,
    },
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(db_url: &str) -> anyhow::Result<App> {
    let db = Db::connect(db_url).await?;
    db.migrate().await?;
    Ok(App::new(db, Config::from_env()?))
}

/// Loads the demo on an empty database and prints the accounts.
async fn ensure_demo(app: &App) -> anyhow::Result<()> {
    if !app.is_empty().await? {
        println!("数据库中已有数据，未重新加载演示数据（演示账号的密码为首次加载时打印的密码）。");
        return Ok(());
    }
    let (password, generated) = match std::env::var("ZHAOSHANG_DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (generated_password()?, true),
    };
    let started = Instant::now();
    let accounts = app.load_demo(&password).await?;
    println!(
        "已加载演示数据（用时 {:.1} 秒）。演示账号：",
        started.elapsed().as_secs_f64()
    );
    for (login, name, role) in &accounts.logins {
        println!("  {login:<16} {name}（{role}）");
    }
    if generated {
        println!("所有演示账号的密码：{password}");
        println!("（此密码只显示这一次；设置 ZHAOSHANG_DEMO_PASSWORD 可指定密码。）");
    } else {
        println!("所有演示账号的密码取自 ZHAOSHANG_DEMO_PASSWORD。");
    }
    Ok(())
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            open(&cli.db).await?;
            println!("数据库已是最新结构：{}", cli.db);
        }
        Command::Demo { projects, seed } => {
            let app = open(&cli.db).await?;
            ensure_demo(&app).await?;
            if projects > 0 {
                let started = Instant::now();
                let n = app.generate_projects(projects, seed).await?;
                println!(
                    "已生成 {n} 个模拟项目（用时 {:.1} 秒）。",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Serve { listen, demo } => {
            let app = open(&cli.db).await?;
            if demo {
                ensure_demo(&app).await?;
            } else if let Some((login, password)) = app.bootstrap().await? {
                println!("新数据库：已创建系统管理员账号 {login}，一次性密码：{password}");
                println!("（此密码只显示这一次，首次登录后请修改。）");
            }
            // Lists answer from memory; fill it now rather than on the first user's request.
            tokio::spawn({
                let app = app.clone();
                async move {
                    let started = std::time::Instant::now();
                    match app.warm_lists().await {
                        Ok(n) => tracing::info!(
                            projects = n,
                            ms = started.elapsed().as_millis(),
                            "list facts loaded"
                        ),
                        Err(e) => tracing::warn!(error = %e, "list facts not loaded yet"),
                    }
                }
            });
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| anyhow::anyhow!("无法监听 {listen}：{e}"))?;
            println!(
                "招商引资项目管理已启动：http://{}/  （数据库 {}，Ctrl+C 停止）",
                listener.local_addr()?,
                cli.db
            );
            axum::serve(listener, crate::web::router(app))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
    }
    Ok(())
}
