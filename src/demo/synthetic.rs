//! Synthetic projects in bulk, with plausible names, amounts and histories, for scale tests and
//! benchmarks: written straight to the store (indexes dropped and rebuilt), not through the use
//! cases, so a province's worth loads in seconds. Deterministic for a given seed.

use crate::domain::dates::iso;
use crate::domain::search;
use crate::domain::stage::Stage;
use crate::error::{Error, Result};
use crate::service::App;
use crate::store::{audit, bulk, list_index, now_text, units, users};
use time::{Date, Duration};

impl App {
    /// Adds `count` synthetic projects with plausible histories, spread over all units.
    /// Needs at least one unit and one account (load the demo first).
    pub async fn generate_projects(&self, count: usize, seed: u64) -> Result<usize> {
        let mut conn = self.db.pool.acquire().await?;
        let root = units::by_code(&mut conn, "yutian_county").await?;
        let all_units = match root {
            Some(r) => units::subtree(&mut conn, &r.path).await?,
            None => {
                return Err(Error::Conflict(
                    "请先加载演示数据（serve --demo 或 demo）再生成项目".into(),
                ));
            }
        };
        let author = users::by_login(&mut conn, "leader")
            .await?
            .ok_or_else(|| Error::Conflict("缺少演示账号 leader".into()))?;
        drop(conn);
        let unit_ids: Vec<i64> = all_units.iter().map(|u| u.id.0).collect();
        let today = self.today();
        let now = now_text();
        let mut rng = SplitMix(seed);
        // All or nothing, in one transaction. When the load at least doubles the table, the
        // secondary indexes (and on PostgreSQL the foreign keys) are dropped first and made
        // again after: one pass instead of millions of scattered inserts and checks. Readers of
        // these tables wait meanwhile; this is a scale-test tool.
        let mut tx = self.db.write().await?;
        let first_id = bulk::next_project_id(&mut tx).await?;
        let change = list_index::next_change(&mut tx).await?;
        let rebuild_indexes = count as i64 >= first_id - 1;
        let tables = ["projects", "project_events"];
        let (indexes, foreign_keys) = if rebuild_indexes {
            (
                bulk::drop_secondary_indexes(&mut tx, &tables).await?,
                bulk::drop_foreign_keys(&mut tx, &tables).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let mut done = 0;
        while done < count {
            let batch = (count - done).min(10_000);
            let mut projects = Vec::with_capacity(batch);
            let mut events = Vec::with_capacity(batch * 5);
            for i in 0..batch {
                let id = first_id + (done + i) as i64;
                let (p, evs) = synthetic(&mut rng, id, &unit_ids, author.id.0, today, &now);
                projects.push(p);
                events.extend(evs);
            }
            let t0 = std::time::Instant::now();
            bulk::insert_projects(&mut tx, &projects, change).await?;
            let t1 = std::time::Instant::now();
            bulk::insert_history(&mut tx, &events, &now).await?;
            tracing::debug!(
                projects_ms = (t1 - t0).as_millis(),
                events_ms = t1.elapsed().as_millis(),
                events = events.len(),
                "generated batch"
            );
            done += batch;
        }
        let t0 = std::time::Instant::now();
        bulk::create_indexes(&mut tx, &indexes).await?;
        bulk::add_foreign_keys(&mut tx, &foreign_keys).await?;
        tracing::debug!(ms = t0.elapsed().as_millis(), "indexes and keys rebuilt");
        audit::append(
            &mut tx,
            None,
            audit::Entry {
                action: "generate",
                entity: "project",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({ "first_id": first_id, "count": done })),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        self.db.resync_sequences().await?;
        self.db.analyze().await?;
        Ok(done)
    }
}

/// A small deterministic generator (SplitMix64), so runs are reproducible.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const REGIONS: [&str; 18] = [
    "宁波", "苏州", "深圳", "天津", "唐山", "温州", "台州", "无锡", "东莞", "佛山", "青岛", "泉州",
    "杭州", "常州", "嘉兴", "北京", "上海", "广州",
];
const BRANDS: [&str; 20] = [
    "华宇", "恒通", "金盛", "永泰", "鑫源", "瑞丰", "宏达", "中科", "东方", "天成", "博远", "众诚",
    "明阳", "汇丰", "新亚", "凯晟", "隆基", "正泰", "海川", "德力",
];
const PRODUCTS: [(&str, &[&str]); 15] = [
    ("31", &["钢铁深加工", "不锈钢薄板", "特种钢材"]),
    ("17", &["高档面料", "纺织印染", "功能性纤维"]),
    ("18", &["服装加工", "品牌服饰", "针织服装"]),
    ("38", &["智能家电", "锂电池", "光伏组件", "高效电机"]),
    ("39", &["电子元器件", "半导体封测", "光电显示"]),
    ("34", &["数控机床", "液压件", "精密轴承"]),
    ("36", &["汽车零部件", "新能源汽车配件"]),
    ("13", &["肉制品加工", "粮油加工", "饲料"]),
    ("14", &["休闲食品", "调味品"]),
    ("26", &["精细化工", "新型涂料"]),
    ("29", &["塑料制品", "橡胶轮胎"]),
    ("30", &["新型建材", "玻璃深加工"]),
    ("33", &["五金制品", "金属结构件"]),
    ("59", &["冷链物流", "仓储物流"]),
    ("27", &["生物医药", "医疗器械"]),
];
const CHANNELS: [&str; 8] = [
    "business",
    "kinship",
    "agency",
    "field_team",
    "online",
    "expo",
    "chain",
    "other",
];
const SUFFIXES: [&str; 3] = ["有限公司", "股份有限公司", "集团有限公司"];

fn synthetic(
    rng: &mut SplitMix,
    id: i64,
    unit_ids: &[i64],
    author: i64,
    today: Date,
    now: &str,
) -> (bulk::BulkProject, Vec<bulk::BulkHistoryEntry>) {
    let (industry, products) = rng.pick(&PRODUCTS);
    let product = rng.pick(products);
    let region = rng.pick(&REGIONS);
    let brand = rng.pick(&BRANDS);
    let name = match rng.below(3) {
        0 => format!("年产{}万件{product}项目", 1 + rng.below(200)),
        1 => format!("{product}生产基地项目"),
        _ => format!("{brand}{product}扩建项目"),
    };
    let trade: String = product.chars().take(2).collect();
    let investor_name = format!("{region}{brand}{trade}{}", rng.pick(&SUFFIXES));
    // 500万 to 500亿: a decade picked evenly, then an even spread within it, in whole 万元.
    let wan = 500 * 10i64.pow(rng.below(4) as u32) * (1_000 + rng.below(9_000) as i64) / 1_000;
    let usd = rng.below(40) == 0;
    let total = wan * 10_000;
    let target_rank = match rng.below(100) {
        0..=29 => rng.below(3) as usize,
        30..=44 => 3,
        45..=54 => 4,
        55..=74 => 5,
        75..=89 => 6,
        _ => 7,
    };
    let lead_on = Date::from_calendar_date(2023, time::Month::January, 1).unwrap_or(today)
        + Duration::days(rng.below(1400) as i64);
    let lead_on = lead_on.min(today);
    let mut events = vec![bulk::BulkHistoryEntry {
        project_id: id,
        kind: "created",
        from_stage: None,
        to_stage: Some("lead"),
        effective_date: iso(lead_on),
        body: None,
        actor_id: author,
    }];
    let mut entries: [Option<String>; 7] = Default::default();
    let mut stage = Stage::Lead;
    let mut since = lead_on;
    for next in Stage::MAIN_PATH.iter().skip(1).take(target_rank) {
        let date = since + Duration::days(10 + rng.below(120) as i64);
        if date > today {
            break;
        }
        if *next == Stage::Intent && rng.below(3) == 0 {
            continue; // signed without an intention agreement
        }
        if let Some(rank) = next.rank().filter(|r| *r >= 1) {
            entries[rank - 1] = Some(iso(date));
        }
        events.push(bulk::BulkHistoryEntry {
            project_id: id,
            kind: "transition",
            from_stage: Some(stage.key()),
            to_stage: Some(next.key()),
            effective_date: iso(date),
            body: None,
            actor_id: author,
        });
        stage = *next;
        since = date;
    }
    let mut paused_from = None;
    let closing = rng.below(100);
    let off_path = if closing < 5 {
        Some((Stage::Paused, "企业资金安排调整，暂缓推进"))
    } else if closing < 8 && !stage.has_landed() {
        Some((Stage::Terminated, "投资方战略调整，洽谈终止"))
    } else if closing < 10 && stage.has_landed() {
        Some((Stage::Exited, "未按约定开工，依约收回土地"))
    } else if closing < 12 && stage.is_reserve() {
        Some((Stage::Rejected, "不符合园区准入条件"))
    } else {
        None
    };
    if let Some((to, reason)) = off_path {
        let date = (since + Duration::days(5 + rng.below(60) as i64)).min(today);
        events.push(bulk::BulkHistoryEntry {
            project_id: id,
            kind: "transition",
            from_stage: Some(stage.key()),
            to_stage: Some(to.key()),
            effective_date: iso(date),
            body: Some(reason.to_string()),
            actor_id: author,
        });
        if to == Stage::Paused {
            paused_from = Some(stage.key());
        }
        stage = to;
        since = date;
    }
    let mut last_progress = since;
    for _ in 0..rng.below(3) {
        let date = (since + Duration::days(rng.below(90) as i64)).min(today);
        last_progress = last_progress.max(date);
        events.push(bulk::BulkHistoryEntry {
            project_id: id,
            kind: "note",
            from_stage: None,
            to_stage: None,
            effective_date: iso(date),
            body: Some("对接企业，协调推进相关事项".to_string()),
            actor_id: author,
        });
    }
    let contract = entries[2].as_ref().map(|_| total);
    let project = bulk::BulkProject {
        id,
        search_text: search::search_text(&[&name, &investor_name]),
        name,
        investor_name,
        industry_code: industry,
        channel: rng.pick(&CHANNELS),
        total_investment_yuan: if usd { total / 7 } else { total },
        currency: if usd { "USD" } else { "CNY" },
        land_area_m2: (rng.below(4) > 0).then(|| (10 + rng.below(490) as i64) * 10_000 / 15),
        unit_id: rng.pick(unit_ids),
        stage: stage.key(),
        paused_from,
        stage_since: iso(since),
        lead_on: iso(lead_on),
        entries,
        contract_amount_yuan: contract.map(|c| if usd { c / 7 } else { c }),
        last_progress_on: iso(last_progress),
        created_by: author,
        // As if each history had been recorded on the day of its last progress.
        updated_at: format!(
            "{}T{:02}:{:02}:{:02}Z",
            iso(last_progress),
            rng.below(10),
            rng.below(60),
            rng.below(60)
        ),
        now: now.to_string(),
    };
    (project, events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;

    #[test]
    fn synthetic_histories_never_run_into_the_future() {
        let today = Date::from_calendar_date(2026, time::Month::November, 23).unwrap();
        let mut rng = SplitMix(7);
        for id in 1..2000 {
            let (p, events) = synthetic(&mut rng, id, &[1, 2, 3], 1, today, "now");
            assert!(parse_date(&p.last_progress_on).unwrap() <= today);
            let mut last = parse_date(&p.lead_on).unwrap();
            for e in events.iter().filter(|e| e.kind == "transition") {
                let d = parse_date(&e.effective_date).unwrap();
                assert!(d >= last && d <= today);
                last = d;
            }
        }
    }
}
