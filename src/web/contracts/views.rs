//! 合同履约: a signed project's contract page, the 履约监管 page and the idle-land list.

use crate::domain::contract::{Batches, IdleLand, Performance};
use crate::domain::dates::iso;
use crate::domain::validation::Invalid;
use crate::service::contracts::ContractView;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;
use std::collections::HashMap;

/// The forms of the contract page as typed (shown again with their errors).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ContractForms {
    pub version: String,
    pub effective_from: String,
    pub start_deadline: String,
    pub production_deadline: String,
    pub intensity_yuan_per_m2: String,
    pub tax_yuan_per_mu: String,
    pub land_area: String,
    pub land_price: String,
    pub incentive_kind: String,
    pub incentive_amount: String,
    pub incentive_recover_if: String,
    pub date: String,
    pub amount: String,
    pub text: String,
    pub from: String,
    pub to: String,
}

/// Which form a refusal belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Terms,
    Funds,
    Increase,
    Delay,
}

/// A recorded row as the page lists it.
pub struct DatedRow {
    pub date: String,
    pub amount: String,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "contracts/detail.html")]
pub struct ContractPage {
    pub layout: Layout,
    pub project_id: i64,
    pub project_name: String,
    pub version: i64,
    pub signed_on: String,
    pub signed_amount: String,
    pub committed: String,
    pub currency_unit: &'static str,
    pub standing_key: &'static str,
    pub standing_label: &'static str,
    pub missed: Vec<String>,
    /// The terms in force today, as label/value pairs.
    pub terms: Vec<(&'static str, String)>,
    pub history: Vec<String>,
    pub funds: Vec<DatedRow>,
    pub funds_total: String,
    pub increases: Vec<DatedRow>,
    pub delays: Vec<DatedRow>,
    pub can_write: bool,
    pub typed: ContractForms,
    pub failed: Option<Which>,
    pub errors: Invalid,
    pub flash: Option<String>,
    pub problem: Option<String>,
}

fn money_text(m: Option<crate::domain::money::Money>) -> String {
    m.map_or_else(|| "—".to_string(), |m| m.display())
}

impl ContractPage {
    pub fn build(
        layout: Layout,
        v: &ContractView,
        can_write: bool,
        typed: Option<(Which, ContractForms, Invalid)>,
        flash: Option<String>,
        problem: Option<String>,
    ) -> ContractPage {
        let terms = v.terms_today.as_ref().map_or_else(Vec::new, |t| {
            let mut rows = vec![
                ("适用自", iso(t.from)),
                ("约定开工日期", iso(t.terms.start_deadline)),
                ("约定投产日期", iso(t.terms.production_deadline)),
            ];
            if let Some(i) = t.terms.intensity_yuan_per_m2 {
                rows.push(("投资强度", format!("{i} 元/㎡")));
            }
            if let Some(x) = t.terms.tax_yuan_per_mu {
                rows.push(("亩均税收", format!("{x} 元/亩·年")));
            }
            if let Some(a) = t.terms.land_area_m2 {
                let area = crate::domain::area::Area::from_m2(a);
                rows.push((
                    "用地面积",
                    format!("{} 亩（{} ㎡）", area.mu_display(), area.m2_display()),
                ));
            }
            if let Some(p) = t.terms.land_price {
                rows.push(("土地价款", p.display()));
            }
            for inc in &t.terms.incentives {
                rows.push((
                    "优惠政策",
                    format!(
                        "{}：{}（{}时追回）",
                        inc.kind,
                        inc.amount.display(),
                        inc.recover_if
                    ),
                ));
            }
            rows
        });
        let history = v
            .records
            .terms
            .iter()
            .map(|r| {
                format!(
                    "{} 录入，适用自 {}：开工 {}，投产 {}",
                    crate::domain::dates::shanghai_minute(&r.recorded_at),
                    iso(r.terms.from),
                    iso(r.terms.terms.start_deadline),
                    iso(r.terms.terms.production_deadline)
                )
            })
            .collect();
        let (key, label, missed) = match &v.standing {
            None => ("", "", Vec::new()),
            Some(crate::domain::contract::Standing::Breached(terms)) => (
                "breached",
                "违约",
                terms
                    .iter()
                    .map(|t| {
                        format!(
                            "{}（{}）逾期 {} 天",
                            t.term.label(),
                            iso(t.deadline),
                            t.days_late
                        )
                    })
                    .collect(),
            ),
            Some(s) => (s.key(), s.label(), Vec::new()),
        };
        let (failed, typed, errors) = match typed {
            Some((w, t, e)) => (Some(w), t, e),
            None => (None, ContractForms::default(), Invalid::default()),
        };
        let currency = v
            .signed_amount
            .map_or(crate::domain::money::Currency::Cny, |m| m.currency);
        ContractPage {
            layout,
            project_id: v.project.id.0,
            project_name: v.project.name.clone(),
            version: v.project.version,
            signed_on: v.signed_on.map(iso).unwrap_or_default(),
            signed_amount: money_text(v.signed_amount),
            committed: money_text(v.committed),
            currency_unit: currency.wan_label(),
            standing_key: key,
            standing_label: label,
            missed,
            terms,
            history,
            funds: v
                .records
                .funds
                .iter()
                .map(|f| DatedRow {
                    date: iso(f.date),
                    amount: f.amount.display(),
                    text: f.source.clone(),
                })
                .collect(),
            funds_total: if v.funds_total.is_empty() {
                "—".into()
            } else {
                v.funds_total
                    .iter()
                    .map(|m| m.display())
                    .collect::<Vec<_>>()
                    .join("，")
            },
            increases: v
                .records
                .increases
                .iter()
                .map(|i| DatedRow {
                    date: iso(i.date),
                    amount: i.amount.display(),
                    text: i.reason.clone(),
                })
                .collect(),
            delays: v
                .records
                .delays
                .iter()
                .map(|d| DatedRow {
                    date: format!("{} 至 {}", iso(d.delay.from), iso(d.delay.to)),
                    amount: format!("{} 天", d.delay.days()),
                    text: d.reason.clone(),
                })
                .collect(),
            can_write,
            typed,
            failed,
            errors,
            flash,
            problem,
        }
    }

    /// A form's value as typed, when that form was the one refused.
    pub fn typed(&self, which: Which, field: &str) -> String {
        if self.failed != Some(which) {
            return String::new();
        }
        let t = &self.typed;
        match field {
            "effective_from" => &t.effective_from,
            "start_deadline" => &t.start_deadline,
            "production_deadline" => &t.production_deadline,
            "intensity_yuan_per_m2" => &t.intensity_yuan_per_m2,
            "tax_yuan_per_mu" => &t.tax_yuan_per_mu,
            "land_area" => &t.land_area,
            "land_price" => &t.land_price,
            "incentive_kind" => &t.incentive_kind,
            "incentive_amount" => &t.incentive_amount,
            "incentive_recover_if" => &t.incentive_recover_if,
            "date" => &t.date,
            "amount" => &t.amount,
            "text" => &t.text,
            "from" => &t.from,
            "to" => &t.to,
            _ => "",
        }
        .to_string()
    }

    /// The error of `field` on form `which`, if that form was refused.
    pub fn err(&self, which: Which, fields: &[&str]) -> String {
        if self.failed != Some(which) {
            return String::new();
        }
        fields
            .iter()
            .filter_map(|f| self.errors.message_for(f))
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// A figure of the 履约监管 page: its label, value, definition and the projects behind it.
pub struct Figure {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
    pub detail: String,
    pub definition: &'static str,
    pub projects: Vec<(i64, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "contracts/performance.html")]
pub struct PerformancePage {
    pub layout: Layout,
    pub units: Vec<Opt>,
    pub since: String,
    pub as_of: String,
    pub figures: Vec<Figure>,
    pub batches: Vec<Figure>,
    pub problem: Option<String>,
}

fn rate_text(r: crate::domain::contract::Rate) -> String {
    match r.pct {
        Some(p) => format!("{p:.1}%"),
        None => "暂无数据".into(),
    }
}

impl PerformancePage {
    pub fn build(
        layout: Layout,
        units: Vec<Opt>,
        (p, b): (&Performance, &Batches),
        names: &HashMap<i64, String>,
    ) -> PerformancePage {
        let named = |ids: &[i64]| -> Vec<(i64, String)> {
            ids.iter()
                .map(|id| {
                    (
                        *id,
                        names.get(id).cloned().unwrap_or_else(|| format!("#{id}")),
                    )
                })
                .collect()
        };
        let d = &crate::web::contracts::responses::DEFINITIONS_TEXT;
        let mut figures = vec![
            Figure {
                id: "contract-projects",
                label: "合同项目",
                value: format!("{} 个", p.contract_projects.len()),
                detail: String::new(),
                definition: d[0],
                projects: named(&p.contract_projects),
            },
            Figure {
                id: "fulfilment",
                label: "合同履约率",
                value: rate_text(p.fulfilment),
                detail: format!(
                    "履约 {} ÷ 有到期约定 {}",
                    p.fulfilment.num, p.fulfilment.den
                ),
                definition: d[1],
                projects: named(&p.fulfilled),
            },
            Figure {
                id: "breached",
                label: "违约项目",
                value: format!("{} 个", p.breached.len()),
                detail: format!("未到期 {} 个", p.not_due.len()),
                definition: "违约：有一项已到期的约定（开工、投产）没有在期限当日或之前做到，之后做到或终止的也算",
                projects: named(&p.breached),
            },
            Figure {
                id: "start-rate",
                label: "项目开工率",
                value: rate_text(p.start_rate),
                detail: format!(
                    "已开工 {} ÷ 合同项目 {}；到期口径 {}（{} ÷ {}）",
                    p.start_rate.num,
                    p.start_rate.den,
                    rate_text(p.start_rate_due),
                    p.start_rate_due.num,
                    p.start_rate_due.den
                ),
                definition: d[2],
                projects: named(&p.started),
            },
        ];
        for f in &p.funds_rate {
            figures.push(Figure {
                id: if f.currency == crate::domain::money::Currency::Usd {
                    "funds-usd"
                } else {
                    "funds-cny"
                },
                label: if f.currency == crate::domain::money::Currency::Usd {
                    "资金到位率（美元）"
                } else {
                    "资金到位率（人民币）"
                },
                value: match f.pct {
                    Some(x) => format!("{x:.1}%"),
                    None => "暂无数据".into(),
                },
                detail: format!(
                    "到位 {} ÷ 承诺 {}",
                    f.arrived.display(),
                    f.committed.display()
                ),
                definition: d[4],
                projects: Vec::new(),
            });
        }
        let batches = vec![
            Figure {
                id: "batch-reserve",
                label: "储备一批",
                value: format!("{} 个", b.reserve.len()),
                detail: "截止日处于线索、在谈、意向签约".into(),
                definition: "截止日当天处于线索、在谈或意向签约的项目",
                projects: named(&b.reserve),
            },
            Figure {
                id: "batch-signed",
                label: "签约一批",
                value: format!("{} 个", b.signed.ids.len()),
                detail: format!(
                    "{}；亿元以上 {} 个",
                    if b.signed.amounts.is_empty() {
                        "金额 —".to_string()
                    } else {
                        b.signed
                            .amounts
                            .iter()
                            .map(|m| m.display())
                            .collect::<Vec<_>>()
                            .join("，")
                    },
                    b.signed.over_100m.len()
                ),
                definition: "期内首次进入正式签约的项目（暂停后恢复不算新签）；金额为签约时的承诺投资加期内增资",
                projects: named(&b.signed.ids),
            },
            Figure {
                id: "batch-started",
                label: "开工一批",
                value: format!("{} 个", b.started.len()),
                detail: String::new(),
                definition: "期内首次进入开工在建的项目",
                projects: named(&b.started),
            },
            Figure {
                id: "batch-producing",
                label: "投产一批",
                value: format!("{} 个", b.producing.len()),
                detail: String::new(),
                definition: "期内首次进入投产的项目",
                projects: named(&b.producing),
            },
        ];
        PerformancePage {
            layout,
            units,
            since: iso(p.since),
            as_of: iso(p.as_of),
            figures,
            batches,
            problem: None,
        }
    }
}

/// A row of the idle-land list.
pub struct IdleRow {
    pub project_id: i64,
    pub name: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub start_deadline: String,
    pub extended_deadline: String,
    pub days_overdue: i64,
    pub fee: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "contracts/idle.html")]
pub struct IdlePage {
    pub layout: Layout,
    pub as_of: String,
    pub rows: Vec<IdleRow>,
}

impl IdlePage {
    pub fn build(
        layout: Layout,
        as_of: time::Date,
        items: &[IdleLand],
        names: &HashMap<i64, String>,
    ) -> IdlePage {
        IdlePage {
            layout,
            as_of: iso(as_of),
            rows: items
                .iter()
                .map(|i| IdleRow {
                    project_id: i.project_id,
                    name: names.get(&i.project_id).cloned().unwrap_or_default(),
                    status: i.status.label(),
                    status_key: match i.status {
                        crate::domain::contract::IdleStatus::Overdue => "overdue",
                        crate::domain::contract::IdleStatus::Idle => "idle",
                        crate::domain::contract::IdleStatus::Recoverable => "recoverable",
                    },
                    start_deadline: iso(i.start_deadline),
                    extended_deadline: iso(i.extended_deadline),
                    days_overdue: i.days_overdue,
                    fee: money_text(i.fee),
                })
                .collect(),
        }
    }
}
