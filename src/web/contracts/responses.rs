//! What the contract-performance API answers: its own shapes, built from the domain's records
//! and reports.

use crate::domain::contract::{
    Batches, Deadline, IdleLand, IdleStatus, Incentive, Performance, Rate, Standing, TermsFrom,
};
use crate::domain::dates::serialize_iso;
use crate::domain::ids::ProjectId;
use crate::domain::money::{Currency, Money};
use crate::service::contracts::ContractView;
use serde::Serialize;
use time::Date;

/// One version of the terms as recorded.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TermsResponse {
    id: Option<i64>,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    effective_from: Date,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    start_deadline: Date,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    production_deadline: Date,
    intensity_yuan_per_m2: Option<i64>,
    tax_yuan_per_mu: Option<i64>,
    land_area_m2: Option<i64>,
    land_price: Option<Money>,
    incentives: Vec<Incentive>,
    recorded_at: Option<String>,
}

impl TermsResponse {
    fn of(t: &TermsFrom, id: Option<i64>, recorded_at: Option<String>) -> TermsResponse {
        TermsResponse {
            id,
            effective_from: t.from,
            start_deadline: t.terms.start_deadline,
            production_deadline: t.terms.production_deadline,
            intensity_yuan_per_m2: t.terms.intensity_yuan_per_m2,
            tax_yuan_per_mu: t.terms.tax_yuan_per_mu,
            land_area_m2: t.terms.land_area_m2,
            land_price: t.terms.land_price,
            incentives: t.terms.incentives.clone(),
            recorded_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct DatedMoneyResponse {
    id: i64,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    date: Date,
    amount: Money,
    /// The reason of a capital increase, the source of funds.
    text: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct DelayResponse {
    id: i64,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    from: Date,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    to: Date,
    days: i64,
    reason: String,
}

/// A term missed, and by how many days.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct MissedTerm {
    term: Deadline,
    label: &'static str,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    deadline: Date,
    days_late: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct StandingResponse {
    /// fulfilled, breached or not_due.
    status: &'static str,
    label: &'static str,
    missed: Vec<MissedTerm>,
}

impl From<&Standing> for StandingResponse {
    fn from(s: &Standing) -> Self {
        StandingResponse {
            status: s.key(),
            label: s.label(),
            missed: match s {
                Standing::Breached(terms) => terms
                    .iter()
                    .map(|t| MissedTerm {
                        term: t.term,
                        label: t.term.label(),
                        deadline: t.deadline,
                        days_late: t.days_late,
                    })
                    .collect(),
                _ => Vec::new(),
            },
        }
    }
}

/// A project's contract: the terms in force today (at the top), every version recorded, the
/// capital increases, funds and delays, and how the project stands today.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ContractResponse {
    project_id: ProjectId,
    /// The project's version after the write (send it with the next one).
    version: i64,
    #[serde(serialize_with = "crate::domain::dates::serialize_iso_option")]
    #[schema(value_type = Option<String>, format = Date)]
    signed_on: Option<Date>,
    signed_amount: Option<Money>,
    /// Signed amount plus capital increases to date.
    committed: Option<Money>,
    /// The terms in force today (none before any are recorded).
    #[serde(flatten)]
    #[schema(inline)]
    current: Option<TermsResponse>,
    terms_history: Vec<TermsResponse>,
    amendments: Vec<DatedMoneyResponse>,
    funds: Vec<DatedMoneyResponse>,
    funds_total: Vec<Money>,
    delays: Vec<DelayResponse>,
    /// How it stands today (none for an enterprise).
    standing: Option<StandingResponse>,
}

impl ContractResponse {
    pub(crate) fn of(v: ContractView) -> ContractResponse {
        let current = v
            .terms_today
            .as_ref()
            .map(|t| TermsResponse::of(t, None, None));
        ContractResponse {
            project_id: v.project.id,
            version: v.project.version,
            signed_on: v.signed_on,
            signed_amount: v.signed_amount,
            committed: v.committed,
            current,
            terms_history: v
                .records
                .terms
                .iter()
                .map(|r| TermsResponse::of(&r.terms, Some(r.id), Some(r.recorded_at.clone())))
                .collect(),
            amendments: v
                .records
                .increases
                .iter()
                .map(|i| DatedMoneyResponse {
                    id: i.id,
                    date: i.date,
                    amount: i.amount,
                    text: i.reason.clone(),
                })
                .collect(),
            funds: v
                .records
                .funds
                .iter()
                .map(|f| DatedMoneyResponse {
                    id: f.id,
                    date: f.date,
                    amount: f.amount,
                    text: f.source.clone(),
                })
                .collect(),
            funds_total: v.funds_total,
            delays: v
                .records
                .delays
                .iter()
                .map(|d| DelayResponse {
                    id: d.id,
                    from: d.delay.from,
                    to: d.delay.to,
                    days: d.delay.days(),
                    reason: d.reason.clone(),
                })
                .collect(),
            standing: v.standing.as_ref().map(StandingResponse::from),
        }
    }
}

/// 合同履约率 with the projects behind it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FulfilmentResponse {
    num: i64,
    den: i64,
    pct: Option<f64>,
    fulfilled: Vec<i64>,
    breached: Vec<i64>,
    not_due: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct RateResponse {
    num: i64,
    den: i64,
    pct: Option<f64>,
}

impl From<Rate> for RateResponse {
    fn from(r: Rate) -> Self {
        RateResponse {
            num: r.num,
            den: r.den,
            pct: r.pct,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FundsRateResponse {
    currency: Currency,
    arrived: Money,
    committed: Money,
    pct: Option<f64>,
}

/// The definitions the figures follow, in words.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Definitions {
    contract_projects: &'static str,
    fulfilment: &'static str,
    start_rate: &'static str,
    start_rate_due: &'static str,
    funds_rate: &'static str,
}

/// The definitions in words, in the order of `Definitions`' fields (the pages show them too).
pub(crate) const DEFINITIONS_TEXT: [&str; 5] = [
    "合同项目：在起始日与截止日之间（含两端）首次进入正式签约的项目，之后终止的仍计入",
    "合同履约率 = 履约项目数 ÷ 截止日前至少有一项约定期限已到期的合同项目数；履约指每项已到期的约定（开工、投产）都在期限当日或之前做到",
    "项目开工率 = 截止日前已进入开工在建的合同项目数 ÷ 全部合同项目数",
    "项目开工率（到期口径）= 同上，只计约定开工日期已到的合同项目",
    "资金到位率（分币种）= 起始日至截止日合同项目的到位资金 ÷ 其承诺投资（签约金额加截止日前的增资）",
];

const DEFINITIONS: Definitions = Definitions {
    contract_projects: DEFINITIONS_TEXT[0],
    fulfilment: DEFINITIONS_TEXT[1],
    start_rate: DEFINITIONS_TEXT[2],
    start_rate_due: DEFINITIONS_TEXT[3],
    funds_rate: DEFINITIONS_TEXT[4],
};

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct PerformanceResponse {
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    since: Date,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    as_of: Date,
    contract_projects: Vec<i64>,
    fulfilment: FulfilmentResponse,
    start_rate: RateResponse,
    start_rate_due: RateResponse,
    /// The contract projects that had entered 开工在建 by `as_of`.
    started: Vec<i64>,
    funds_rate: Vec<FundsRateResponse>,
    definitions: Definitions,
}

impl From<Performance> for PerformanceResponse {
    fn from(p: Performance) -> Self {
        PerformanceResponse {
            since: p.since,
            as_of: p.as_of,
            fulfilment: FulfilmentResponse {
                num: p.fulfilment.num,
                den: p.fulfilment.den,
                pct: p.fulfilment.pct,
                fulfilled: p.fulfilled,
                breached: p.breached,
                not_due: p.not_due,
            },
            contract_projects: p.contract_projects,
            start_rate: p.start_rate.into(),
            start_rate_due: p.start_rate_due.into(),
            started: p.started,
            funds_rate: p
                .funds_rate
                .into_iter()
                .map(|f| FundsRateResponse {
                    currency: f.currency,
                    arrived: f.arrived,
                    committed: f.committed,
                    pct: f.pct,
                })
                .collect(),
            definitions: DEFINITIONS,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Ids {
    ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct SignedResponse {
    ids: Vec<i64>,
    amounts: Vec<Money>,
    over_100m: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct BatchesResponse {
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    from: Date,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    to: Date,
    reserve: Ids,
    signed: SignedResponse,
    started: Ids,
    producing: Ids,
}

impl BatchesResponse {
    pub(crate) fn of(b: Batches, from: Date, to: Date) -> BatchesResponse {
        BatchesResponse {
            from,
            to,
            reserve: Ids { ids: b.reserve },
            signed: SignedResponse {
                ids: b.signed.ids,
                amounts: b.signed.amounts,
                over_100m: b.signed.over_100m,
            },
            started: Ids { ids: b.started },
            producing: Ids { ids: b.producing },
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct IdleItem {
    project_id: i64,
    status: IdleStatus,
    status_label: &'static str,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    start_deadline: Date,
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    extended_deadline: Date,
    days_overdue: i64,
    /// 闲置费: 20% of the land price once idle; 0 while only overdue.
    fee: Option<Money>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct IdleResponse {
    #[serde(serialize_with = "serialize_iso")]
    #[schema(value_type = String, format = Date)]
    as_of: Date,
    items: Vec<IdleItem>,
}

impl IdleResponse {
    pub(crate) fn of(items: Vec<IdleLand>, as_of: Date) -> IdleResponse {
        IdleResponse {
            as_of,
            items: items
                .into_iter()
                .map(|i| IdleItem {
                    project_id: i.project_id,
                    status: i.status,
                    status_label: i.status.label(),
                    start_deadline: i.start_deadline,
                    extended_deadline: i.extended_deadline,
                    days_overdue: i.days_overdue,
                    fee: i.fee,
                })
                .collect(),
        }
    }
}
