//! The three rates (合同履约率, 项目开工率, 资金到位率) and 四个一批, counted once.

use super::{ContractFacts, Deadline, Standing, due_terms, pct, standing};
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage;
use time::Date;

/// A rate: numerator, denominator and the percentage rounded to one decimal (none when the
/// denominator is 0).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Rate {
    pub num: i64,
    pub den: i64,
    pub pct: Option<f64>,
}

impl Rate {
    fn of(num: usize, den: usize) -> Rate {
        Rate {
            num: num as i64,
            den: den as i64,
            pct: pct(num as i128, den as i128),
        }
    }
}

/// 资金到位率 in one currency.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct FundsRate {
    pub currency: Currency,
    pub arrived: Money,
    pub committed: Money,
    pub pct: Option<f64>,
}

/// The three rates for a set of projects, a start date and an as-of date, with the projects
/// behind each number.
#[derive(Debug, Clone, PartialEq)]
pub struct Performance {
    pub since: Date,
    pub as_of: Date,
    /// 合同项目: first entered 正式签约 between `since` and `as_of`, both included.
    pub contract_projects: Vec<i64>,
    pub fulfilled: Vec<i64>,
    pub breached: Vec<i64>,
    pub not_due: Vec<i64>,
    /// 合同履约率: 履约 / contract projects with a term due.
    pub fulfilment: Rate,
    /// 项目开工率: contract projects that entered 开工在建 by `as_of` / all contract projects.
    pub start_rate: Rate,
    pub started: Vec<i64>,
    /// The same over the contract projects whose start deadline had come by `as_of`.
    pub start_rate_due: Rate,
    /// 资金到位率 per currency that has contract projects.
    pub funds_rate: Vec<FundsRate>,
}

pub fn performance_report<'a>(
    projects: impl IntoIterator<Item = &'a ContractFacts>,
    since: Date,
    as_of: Date,
) -> Performance {
    let mut r = Performance {
        since,
        as_of,
        contract_projects: Vec::new(),
        fulfilled: Vec::new(),
        breached: Vec::new(),
        not_due: Vec::new(),
        fulfilment: Rate::of(0, 0),
        start_rate: Rate::of(0, 0),
        started: Vec::new(),
        start_rate_due: Rate::of(0, 0),
        funds_rate: Vec::new(),
    };
    let (mut start_due, mut started_of_due) = (0usize, 0usize);
    // Per currency: (arrived, committed).
    let mut money: Vec<(Currency, i64, i64)> = Vec::new();
    for f in projects {
        let Some(signed) = f.signed_on(as_of) else {
            continue;
        };
        if signed < since {
            continue;
        }
        r.contract_projects.push(f.project_id);
        match standing(f, as_of) {
            Standing::Fulfilled(_) => r.fulfilled.push(f.project_id),
            Standing::Breached(_) => r.breached.push(f.project_id),
            Standing::NotDue => r.not_due.push(f.project_id),
        }
        let started = f.first_entry(Stage::Construction, as_of).is_some();
        if started {
            r.started.push(f.project_id);
        }
        if due_terms(f, as_of)
            .iter()
            .any(|d| d.term == Deadline::Start)
        {
            start_due += 1;
            started_of_due += usize::from(started);
        }
        if let Some(committed) = f.committed(as_of) {
            let arrived: i64 = f
                .funds
                .iter()
                .filter(|(d, m)| *d >= since && *d <= as_of && m.currency == committed.currency)
                .map(|(_, m)| m.yuan)
                .sum();
            match money.iter_mut().find(|(c, _, _)| *c == committed.currency) {
                Some(entry) => {
                    entry.1 += arrived;
                    entry.2 += committed.yuan;
                }
                None => money.push((committed.currency, arrived, committed.yuan)),
            }
        }
    }
    r.fulfilment = Rate::of(r.fulfilled.len(), r.fulfilled.len() + r.breached.len());
    r.start_rate = Rate::of(r.started.len(), r.contract_projects.len());
    r.start_rate_due = Rate::of(started_of_due, start_due);
    money.sort_by_key(|(c, _, _)| c.code());
    r.funds_rate = money
        .into_iter()
        .map(|(currency, arrived, committed)| FundsRate {
            currency,
            arrived: Money::new(arrived, currency),
            committed: Money::new(committed, currency),
            pct: pct(arrived.into(), committed.into()),
        })
        .collect();
    r
}

/// 签约一批: the projects, the amounts per currency and those of 1亿元 or more at signing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignedBatch {
    pub ids: Vec<i64>,
    pub amounts: Vec<Money>,
    pub over_100m: Vec<i64>,
}

/// 四个一批 for a period, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Batches {
    /// 储备一批: in 线索, 在谈 or 意向签约 at the period's end.
    pub reserve: Vec<i64>,
    pub signed: SignedBatch,
    /// 开工一批: first entered 开工在建 in the period.
    pub started: Vec<i64>,
    /// 投产一批: first entered 投产 in the period.
    pub producing: Vec<i64>,
}

/// One hundred million yuan: the 亿元以上 line.
const HUNDRED_MILLION: i64 = 100_000_000;

/// 四个一批 for `from`..=`to`. A project counts once in 签约一批, at its first entry into
/// 正式签约; the signed amount is the committed investment at first signing of the projects
/// signed in the period plus the increments of capital increases dated in it. 亿元以上 uses the
/// amount at signing (USD at `usd_rate_e4` yuan per 10⁴ dollars).
pub fn batches<'a>(
    projects: impl IntoIterator<Item = &'a ContractFacts>,
    from: Date,
    to: Date,
    usd_rate_e4: i64,
) -> Batches {
    let mut b = Batches::default();
    let mut amounts: Vec<(Currency, i64)> = Vec::new();
    let mut add = |m: Money| match amounts.iter_mut().find(|(c, _)| *c == m.currency) {
        Some(entry) => entry.1 += m.yuan,
        None => amounts.push((m.currency, m.yuan)),
    };
    let within = |d: Date| d >= from && d <= to;
    for f in projects {
        if f.stage_on(to)
            .is_some_and(|s| crate::domain::project::Batch::RESERVE_STAGES.contains(&s))
        {
            b.reserve.push(f.project_id);
        }
        if f.signed_on(to).is_some_and(within) {
            b.signed.ids.push(f.project_id);
            if let Some(m) = f.signed_amount {
                add(m);
                if m.cny_equivalent(usd_rate_e4) >= HUNDRED_MILLION {
                    b.signed.over_100m.push(f.project_id);
                }
            }
        }
        // Increments count in the period of their date, for projects signed by then.
        if f.signed_on(to).is_some() {
            for &(d, m) in &f.increases {
                if within(d) {
                    add(m);
                }
            }
        }
        if f.first_entry(Stage::Construction, to).is_some_and(within) {
            b.started.push(f.project_id);
        }
        if f.first_entry(Stage::Production, to).is_some_and(within) {
            b.producing.push(f.project_id);
        }
    }
    amounts.sort_by_key(|(c, _)| c.code());
    b.signed.amounts = amounts
        .into_iter()
        .map(|(c, yuan)| Money::new(yuan, c))
        .collect();
    b
}
