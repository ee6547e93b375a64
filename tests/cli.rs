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
    // `unit list` shows the codes `user add --unit` takes, the new one under its county.
    let listed = zhaoshang(&t.url, &["unit", "list"], None);
    assert!(listed.status.success(), "{}", text(&listed));
    let lines: Vec<String> = text(&listed).lines().map(str::to_string).collect();
    let county = lines
        .iter()
        .position(|l| l.starts_with("yutian_county "))
        .unwrap();
    let new = lines
        .iter()
        .position(|l| l.starts_with("town_new "))
        .unwrap();
    assert!(new > county && lines[new].contains("  新设镇"), "{lines:?}");

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
    let accounts = zhaoshang(&t.url, &["user", "list"], None);
    let line = text(&accounts)
        .lines()
        .find(|l| l.starts_with("newofficer "))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        line.contains("新专员") && line.contains("招商专员") && line.contains("town_new"),
        "{}",
        text(&accounts)
    );

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

/// Rewrites the chain from entry `from` on with the old unkeyed SHA-256 (what anyone can
/// compute without the key), after giving entry `edit.0` the content `edit.1`.
async fn unkeyed_chain(t: &common::TestApp, from: i64, edit: Option<(i64, &str)>) {
    use sha2::{Digest, Sha256};
    use sqlx::Row;
    let mut conn = t.db.pool.acquire().await.unwrap();
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor_login, actor_unit_id, action, entity, entity_id, \
         before_json, after_json, client_addr, prev_hash FROM audit_log WHERE id >= $1 ORDER BY id",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut prev: String = rows[0].get("prev_hash");
    for row in &rows {
        let id: i64 = row.get("id");
        let after: Option<String> = match edit {
            Some((target, content)) if target == id => Some(content.to_string()),
            _ => row.get("after_json"),
        };
        let mut fields = vec![
            serde_json::json!(row.get::<String, _>("at")),
            serde_json::json!(row.get::<Option<i64>, _>("actor_id")),
            serde_json::json!(row.get::<Option<String>, _>("actor_login")),
            serde_json::json!(row.get::<String, _>("action")),
            serde_json::json!(row.get::<String, _>("entity")),
            serde_json::json!(row.get::<Option<String>, _>("entity_id")),
            serde_json::json!(row.get::<Option<String>, _>("before_json")),
            serde_json::json!(after),
            serde_json::json!(row.get::<Option<String>, _>("client_addr")),
            serde_json::json!(prev),
        ];
        if let Some(unit) = row.get::<Option<i64>, _>("actor_unit_id") {
            fields.push(serde_json::json!(unit));
        }
        let hash = hex::encode(Sha256::digest(
            serde_json::Value::Array(fields).to_string().as_bytes(),
        ));
        sqlx::query(
            "UPDATE audit_log SET after_json = $1, prev_hash = $2, hash = $3 WHERE id = $4",
        )
        .bind(&after)
        .bind(&prev)
        .bind(&hash)
        .bind(id)
        .execute(&mut *conn)
        .await
        .unwrap();
        prev = hash;
    }
}

/// The chain is keyed: someone who edits an entry in the database and recomputes every hash
/// after it (without the key, which lives outside the database) is still caught.
#[tokio::test]
async fn an_edit_with_the_chain_recomputed_without_the_key_is_caught() {
    let t = spawn_app().await;
    let ids = entry_ids(&t).await;
    let target = ids[ids.len() / 2];
    unkeyed_chain(&t, target, Some((target, r#"{"name":"改过"}"#))).await;
    let out = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("第 {target} 号记录的内容与其哈希不符")),
        "{}",
        text(&out)
    );
}

/// A trail chained before the chain was keyed is sealed with the key once: on the upgrade's
/// first start, which creates the key, and only if its old chain holds. A database that merely
/// says "not keyed yet" on a later start (anyone who can edit it could say so, after
/// recomputing the old unkeyed chain) gets nothing sealed.
#[tokio::test]
async fn a_trail_chained_before_the_key_is_sealed_once_on_upgrade_if_it_holds() {
    let t = spawn_app().await;
    let ids = entry_ids(&t).await;
    let key_dir =
        std::env::temp_dir().join(format!("zs-key-{}", ids.len() * 7919 + ids[0] as usize));
    let _ = std::fs::remove_dir_all(&key_dir);
    let new_key = key_dir.join("audit.key");
    let with_new_key = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zhaoshang"))
            .arg("--db")
            .arg(&t.url)
            .args(args)
            .env("ZHAOSHANG_AUDIT_KEY_FILE", &new_key)
            .output()
            .expect("run zhaoshang")
    };

    // Forged: an entry changed and the old chain recomputed, the flag lowered. The key already
    // exists, so nothing is sealed and the change is reported.
    let target = ids[ids.len() / 3];
    unkeyed_chain(&t, ids[0], Some((target, r#"{"name":"改过"}"#))).await;
    execute(
        &t,
        "UPDATE change_counters SET value = 0 WHERE name = 'audit_keyed'",
    )
    .await;
    let started = zhaoshang(&t.url, &["migrate"], None);
    assert!(started.status.success(), "{}", text(&started));
    let out = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(!out.status.success(), "{}", text(&out));

    // An honest upgrade: the old chain holds, and this start makes the key — sealed once.
    unkeyed_chain(&t, ids[0], None).await;
    let upgraded = with_new_key(&["migrate"]);
    assert!(upgraded.status.success(), "{}", text(&upgraded));
    let ok = with_new_key(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", text(&ok));

    // A keyed trail meeting a key made on this start: the old key is missing, and it says so.
    let _ = std::fs::remove_file(&new_key);
    let missing = with_new_key(&["audit", "verify"]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("原密钥缺失"), "{}", text(&missing));
    let _ = std::fs::remove_dir_all(&key_dir);
}

/// The chain's head kept apart from the database finds what the chain alone cannot: the last
/// entries deleted with the counter lowered, or the tail replaced by other entries.
#[tokio::test]
async fn an_anchor_kept_apart_finds_a_truncated_or_rewritten_tail() {
    let t = spawn_app().await;
    let printed = zhaoshang(&t.url, &["audit", "anchor"], None);
    assert!(printed.status.success(), "{}", text(&printed));
    let anchor = String::from_utf8_lossy(&printed.stdout).trim().to_string();
    let ok = zhaoshang(&t.url, &["audit", "verify", "--anchor", &anchor], None);
    assert!(ok.status.success(), "{}", text(&ok));

    let ids = entry_ids(&t).await;
    let keep = ids[ids.len() - 50];
    execute(&t, &format!("DELETE FROM audit_log WHERE id > {keep}")).await;
    execute(
        &t,
        "UPDATE change_counters SET value = (SELECT COUNT(*) FROM audit_log) WHERE name = 'audit'",
    )
    .await;
    // The chain alone now looks whole …
    let fooled = zhaoshang(&t.url, &["audit", "verify"], None);
    assert!(fooled.status.success(), "{}", text(&fooled));
    // … the anchor does not.
    let caught = zhaoshang(&t.url, &["audit", "verify", "--anchor", &anchor], None);
    assert!(!caught.status.success());
    assert!(
        text(&caught).contains("最后的记录被删除过"),
        "{}",
        text(&caught)
    );

    // Refilled with new entries to the same count: still not the head that was kept.
    for n in 0..50 {
        let out = zhaoshang(
            &t.url,
            &[
                "unit",
                "add",
                "--code",
                &format!("refill_{n}"),
                "--name",
                &format!("补{n}"),
                "--parent",
                "yutian_county",
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    let caught = zhaoshang(&t.url, &["audit", "verify", "--anchor", &anchor], None);
    assert!(!caught.status.success(), "{}", text(&caught));
    assert!(text(&caught).contains("与锚点不符"), "{}", text(&caught));

    let garbled = zhaoshang(&t.url, &["audit", "verify", "--anchor", "12:xyz"], None);
    assert!(!garbled.status.success());
    assert!(text(&garbled).contains("--anchor"), "{}", text(&garbled));
}
