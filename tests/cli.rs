//! The command line against a real database: accounts and units, and the audit chain's check
//! finding an entry edited or deleted directly in the database.

mod common;

use common::spawn_app;
use std::process::{Command, Output};

fn zhaoshang(url: &str, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhaoshang"));
    cmd.arg("--db").arg(url).args(args);
    cmd.env_remove("ZHAOSHANG_PASSWORD");
    if let Some(p) = password {
        cmd.env("ZHAOSHANG_PASSWORD", p);
    }
    cmd.output().expect("run zhaoshang")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn execute(t: &common::TestApp, sql: &str) {
    let mut conn = t.db.pool.acquire().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .unwrap();
}

async fn entry_ids(t: &common::TestApp) -> Vec<i64> {
    let mut conn = t.db.pool.acquire().await.unwrap();
    sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn units_and_accounts_are_added_from_the_command_line_under_the_password_policy() {
    let t = spawn_app().await;
    let out = zhaoshang(
        &t.url,
        &[
            "unit",
            "add",
            "--code",
            "town_new",
            "--name",
            "新设镇",
            "--parent",
            "yutian_county",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("已添加单位 town_new"));

    let again = zhaoshang(
        &t.url,
        &["unit", "add", "--code", "town_new", "--name", "重复"],
        None,
    );
    assert!(!again.status.success());
    assert!(
        text(&again).contains("单位代码“town_new”已存在"),
        "{}",
        text(&again)
    );

    let user = [
        "user",
        "add",
        "--login",
        "newofficer",
        "--name",
        "新专员",
        "--role",
        "officer",
        "--unit",
        "town_new",
    ];
    let weak = zhaoshang(&t.url, &user, Some("password"));
    assert!(!weak.status.success());
    assert!(text(&weak).contains("密码"), "{}", text(&weak));
    let bad_role = zhaoshang(
        &t.url,
        &[
            "user", "add", "--login", "x1", "--name", "某", "--role", "boss", "--unit", "town_new",
        ],
        Some("Good-Pass-2026"),
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role).contains("角色“boss”无效"),
        "{}",
        text(&bad_role)
    );

    let ok = zhaoshang(&t.url, &user, Some("Good-Pass-2026"));
    assert!(ok.status.success(), "{}", text(&ok));
    // The new account signs in and works in its new unit.
    let (_, actor) = t.app.sign_in("newofficer", "Good-Pass-2026").await.unwrap();
    assert_eq!(actor.login, "newofficer");

    let verify = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("审计日志完整"), "{}", text(&verify));
}

#[tokio::test]
async fn audit_verify_names_the_entry_edited_in_the_database() {
    let t = spawn_app().await;
    let ids = entry_ids(&t).await;
    assert!(ids.len() > 50, "the demo writes many entries");
    let ok = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(ok.status.success(), "{}", text(&ok));

    let target = ids[ids.len() / 2];
    execute(
        &t,
        &format!("UPDATE audit_log SET after_json = '{{\"name\":\"改过\"}}' WHERE id = {target}"),
    )
    .await;
    let out = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains(&format!("第 {target} 号记录的内容与其哈希不符")),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn audit_verify_detects_deleted_entries_in_the_middle_and_at_the_end() {
    let t = spawn_app().await;
    let ids = entry_ids(&t).await;
    let last = *ids.last().unwrap();
    execute(&t, &format!("DELETE FROM audit_log WHERE id = {last}")).await;
    let out = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("最后的记录被删除过"), "{}", text(&out));

    let (victim, next) = (ids[10], ids[11]);
    execute(&t, &format!("DELETE FROM audit_log WHERE id = {victim}")).await;
    let out = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains(&format!("第 {next} 号记录与前一条记录的哈希链断开")),
        "{}",
        text(&out)
    );
}
