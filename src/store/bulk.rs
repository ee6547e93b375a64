//! Multi-row inserts for generated scale data (`zhaoshang demo --projects N`).

use super::{Bind, Conn, SqlBuilder};
use sqlx::Row;

/// One generated project with its final state. Money in yuan; dates `YYYY-MM-DD`.
pub struct BulkProject {
    pub id: i64,
    pub name: String,
    pub investor_name: String,
    pub search_text: String,
    pub industry_code: &'static str,
    pub channel: &'static str,
    pub total_investment_yuan: i64,
    pub currency: &'static str,
    pub land_area_m2: Option<i64>,
    pub unit_id: i64,
    pub stage: &'static str,
    pub paused_from: Option<&'static str>,
    pub stage_since: String,
    pub lead_on: String,
    /// First-entry dates of intent, contracted, landed, construction, production, at_capacity.
    pub entries: [Option<String>; 6],
    pub contract_amount_yuan: Option<i64>,
    pub last_progress_on: String,
    pub created_by: i64,
    pub now: String,
}

pub struct BulkEvent {
    pub project_id: i64,
    pub kind: &'static str,
    pub from_stage: Option<&'static str>,
    pub to_stage: Option<&'static str>,
    pub effective_date: String,
    pub body: Option<String>,
    pub actor_id: i64,
}

pub async fn next_project_id(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) AS n FROM projects")
        .fetch_one(conn)
        .await?
        .try_get("n")
}

fn opt_text(v: &Option<String>) -> Bind {
    Bind::OptText(v.clone())
}

pub async fn insert_projects(conn: &mut Conn, rows: &[BulkProject]) -> sqlx::Result<()> {
    for chunk in rows.chunks(400) {
        let mut b = SqlBuilder::default();
        b.push(
            "INSERT INTO projects (id, name, investor_name, search_text, industry_code, channel, \
             total_investment_yuan, currency, land_area_m2, unit_id, stage, paused_from, stage_since, \
             lead_on, intent_on, contracted_on, landed_on, construction_on, production_on, at_capacity_on, \
             contract_amount_yuan, contract_currency, last_progress_on, version, created_by, created_at, updated_at) VALUES ",
        );
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push("(").bind(Bind::Int(p.id));
            for v in [
                Bind::Text(p.name.clone()),
                Bind::Text(p.investor_name.clone()),
                Bind::Text(p.search_text.clone()),
                Bind::Text(p.industry_code.into()),
                Bind::Text(p.channel.into()),
                Bind::Int(p.total_investment_yuan),
                Bind::Text(p.currency.into()),
            ] {
                b.push(", ").bind(v);
            }
            match p.land_area_m2 {
                Some(a) => b.push(", ").bind(Bind::Int(a)),
                None => b.push(", NULL"),
            };
            b.push(", ").bind(Bind::Int(p.unit_id));
            b.push(", ").bind(Bind::Text(p.stage.into()));
            b.push(", ")
                .bind(Bind::OptText(p.paused_from.map(String::from)));
            b.push(", ").bind(Bind::Text(p.stage_since.clone()));
            b.push(", ").bind(Bind::Text(p.lead_on.clone()));
            for e in &p.entries {
                b.push(", ").bind(opt_text(e));
            }
            match p.contract_amount_yuan {
                Some(a) => b
                    .push(", ")
                    .bind(Bind::Int(a))
                    .push(", ")
                    .bind(Bind::Text(p.currency.into())),
                None => b.push(", NULL, NULL"),
            };
            b.push(", ").bind(Bind::Text(p.last_progress_on.clone()));
            b.push(", 1, ").bind(Bind::Int(p.created_by));
            b.push(", ").bind(Bind::Text(p.now.clone()));
            b.push(", ").bind(Bind::Text(p.now.clone())).push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_events(conn: &mut Conn, rows: &[BulkEvent], now: &str) -> sqlx::Result<()> {
    for chunk in rows.chunks(1500) {
        let mut b = SqlBuilder::default();
        b.push(
            "INSERT INTO project_events (project_id, kind, from_stage, to_stage, effective_date, body, actor_id, recorded_at) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push("(").bind(Bind::Int(e.project_id));
            b.push(", ").bind(Bind::Text(e.kind.into()));
            b.push(", ")
                .bind(Bind::OptText(e.from_stage.map(String::from)));
            b.push(", ")
                .bind(Bind::OptText(e.to_stage.map(String::from)));
            b.push(", ").bind(Bind::Text(e.effective_date.clone()));
            b.push(", ").bind(Bind::OptText(e.body.clone()));
            b.push(", ").bind(Bind::Int(e.actor_id));
            b.push(", ").bind(Bind::Text(now.into())).push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_grams(conn: &mut Conn, rows: &[(i64, i64)]) -> sqlx::Result<()> {
    for chunk in rows.chunks(5000) {
        let mut b = SqlBuilder::default();
        b.push("INSERT INTO project_grams (gram, project_id) VALUES ");
        for (i, (gram, project)) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.push("(")
                .bind(Bind::Int(*gram))
                .push(", ")
                .bind(Bind::Int(*project))
                .push(")");
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(())
}
