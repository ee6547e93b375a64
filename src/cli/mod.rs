//! The command line: `serve`, `migrate`, `demo`, `unit add`, `user add`, `user reset`,
//! `audit verify`,
//! `audit anchor`.
//! Thin: parse, call a service, print.

use crate::config::Config;
use crate::domain::user::Role;
use crate::service::App;
use crate::service::setup::generated_password;
use crate::store::Db;
use crate::store::audit::{Anchor, ChainCheck};
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
    /// Units of the organisation.
    Unit {
        #[command(subcommand)]
        action: UnitAction,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum UnitAction {
    /// Add a unit, under --parent when given.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        parent: Option<String>,
    },
    /// List the units (code, name, in tree order): the codes `user add --unit` takes.
    List,
}

#[derive(Subcommand, Debug)]
pub enum UserAction {
    /// Add an account; its password comes from ZHAOSHANG_PASSWORD, else it is asked for.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// leader, officer, department, enterprise, sysadmin, secadmin or auditor.
        #[arg(long)]
        role: String,
        /// The code of the account's unit.
        #[arg(long)]
        unit: String,
    },
    /// Set an account's password (the administrators' accounts are reset only here); its
    /// lock is lifted and its sessions end. The password comes from ZHAOSHANG_PASSWORD, else it
    /// is asked for.
    Reset {
        #[arg(long)]
        login: String,
    },
    /// List the accounts: login, name, role, unit and state.
    List,
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Check the keyed chain of the audit trail and name the first broken entry; with
    /// --anchor, also that the head recorded then is still there.
    Verify {
        /// A head printed earlier by `audit anchor` (`entries:mac`).
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Print the chain's head (`entries:mac`), to keep apart from the database and check
    /// against later with `audit verify --anchor`.
    Anchor,
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
    let mut accounts = app.load_demo(&password).await?;
    // The three separated administrators (三员) of the demo county: created here, at the server,
    // as administrators always are.
    for (login, name, role) in [
        ("sysadmin", "系统管理员", Role::Sysadmin),
        ("secadmin", "安全保密管理员", Role::Secadmin),
        ("auditor", "安全审计员", Role::Auditor),
    ] {
        app.add_user(login, name, role, "yutian_county", &password, false)
            .await?;
        accounts
            .logins
            .push((login.into(), name.into(), role.label().to_string()));
    }
    println!(
        "已加载演示数据（用时 {:.1} 秒）。演示账号（{} 个）：",
        started.elapsed().as_secs_f64(),
        accounts.logins.len()
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

/// Reads a password from the terminal without echoing it (or a line from a pipe).
fn ask_password(prompt: &str) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let terminal = std::io::stdin().is_terminal();
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let stty = |arg: &str| {
        std::process::Command::new("stty")
            .arg(arg)
            .stdin(std::process::Stdio::inherit())
            .status()
    };
    if terminal {
        let _ = stty("-echo");
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if terminal {
        let _ = stty("echo");
        eprintln!();
    }
    read?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        anyhow::bail!("未输入密码（也可用环境变量 ZHAOSHANG_PASSWORD 提供）");
    }
    Ok(password)
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Unit {
            action: UnitAction::Add { code, name, parent },
        } => {
            let app = open(&cli.db).await?;
            let id = app.add_unit(&code, &name, parent.as_deref()).await?;
            println!("已添加单位 {code}（{}，编号 {id}）。", name.trim());
        }
        Command::User {
            action:
                UserAction::Add {
                    login,
                    name,
                    role,
                    unit,
                },
        } => {
            let role = Role::parse(role.trim()).ok_or_else(|| {
                anyhow::anyhow!(
                    "角色“{role}”无效，可选：{}",
                    Role::ALL.map(|r| r.key()).join("、")
                )
            })?;
            let password = match std::env::var("ZHAOSHANG_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => ask_password(&format!("账号 {login} 的密码："))?,
            };
            let app = open(&cli.db).await?;
            let id = app
                .add_user(&login, &name, role, &unit, &password, false)
                .await?;
            println!("已添加账号 {login}（{}，编号 {id}）。", role.label());
        }
        Command::Unit {
            action: UnitAction::List,
        } => {
            let app = open(&cli.db).await?;
            let units = app.units_on_server().await?;
            println!("{:<20} 名称", "代码");
            for u in &units {
                let state = if u.retired { "（已撤销）" } else { "" };
                println!("{:<20} {}{}{state}", u.code, "  ".repeat(u.depth()), u.name);
            }
        }
        Command::User {
            action: UserAction::List,
        } => {
            let app = open(&cli.db).await?;
            let units = app.units_on_server().await?;
            let code_of = |id: crate::domain::ids::UnitId| {
                units
                    .iter()
                    .find(|u| u.id == id)
                    .map_or_else(String::new, |u| u.code.clone())
            };
            println!(
                "{:<18} {:<10} {:<12} {:<18} 状态",
                "账号", "姓名", "角色", "单位"
            );
            for u in app.users_on_server().await? {
                let state = match (u.active, u.must_change_password) {
                    (false, _) => "已停用",
                    (true, true) => "待改一次性密码",
                    (true, false) => "正常",
                };
                println!(
                    "{:<18} {:<10} {:<12} {:<18} {state}",
                    u.login,
                    u.name,
                    u.role.label(),
                    code_of(u.unit_id)
                );
            }
        }
        Command::User {
            action: UserAction::Reset { login },
        } => {
            let password = match std::env::var("ZHAOSHANG_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => ask_password(&format!("账号 {login} 的新密码："))?,
            };
            let app = open(&cli.db).await?;
            app.reset_password_on_server(&login, &password).await?;
            println!("已重置账号 {} 的密码，其登录已全部失效。", login.trim());
        }
        Command::Audit {
            action: AuditAction::Verify { anchor },
        } => {
            let anchor = match anchor.as_deref() {
                None => None,
                Some(text) => Some(Anchor::parse(text).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--anchor 须为 `audit anchor` 打印的“条数:MAC”（64 位十六进制）"
                    )
                })?),
            };
            let app = open(&cli.db).await?;
            match app.verify_audit(anchor.as_ref()).await? {
                ChainCheck::Intact { entries } => match &anchor {
                    Some(a) => println!(
                        "审计日志完整：共 {entries} 条，逐条校验通过，且包含锚点记录的前 {} 条。",
                        a.entries
                    ),
                    None => println!("审计日志完整：共 {entries} 条，逐条校验通过。"),
                },
                ChainCheck::Altered { id } => {
                    anyhow::bail!("审计日志第 {id} 号记录的内容与其哈希不符：该记录被改动过。")
                }
                ChainCheck::Unlinked { id } => anyhow::bail!(
                    "审计日志第 {id} 号记录与前一条记录的哈希链断开：其前面的记录被删除、插入或改动过。"
                ),
                ChainCheck::Missing { expected, found } => anyhow::bail!(
                    "审计日志应有 {expected} 条记录，实有 {found} 条：最后的记录被删除过。"
                ),
                ChainCheck::Rewritten { position } => anyhow::bail!(
                    "审计日志第 {position} 条记录的哈希与锚点不符：日志自该处起被改写过。"
                ),
            }
        }
        Command::Audit {
            action: AuditAction::Anchor,
        } => {
            let app = open(&cli.db).await?;
            let anchor = app.audit_anchor().await?;
            println!("{anchor}");
            eprintln!(
                "以上为审计日志当前的锚点（共 {} 条）。请将其保存在数据库之外，日后用 audit verify --anchor 核对。",
                anchor.entries
            );
        }
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
                    let started = std::time::Instant::now();
                    match app.warm_contracts().await {
                        Ok(n) => tracing::info!(
                            projects = n,
                            ms = started.elapsed().as_millis(),
                            "contract facts loaded"
                        ),
                        Err(e) => tracing::warn!(error = %e, "contract facts not loaded yet"),
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
            axum::serve(
                listener,
                crate::web::router(app)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
    }
    Ok(())
}
