//! Contract performance (履约): the terms a signed project agreed to, the dated records of what
//! happened since, and the rules that judge them as of any date — each project's status, the
//! three rates, 四个一批 counted once, and idle land.
//!
//! Every judgement takes an `as_of` date and looks only at what had happened by then (stage
//! entries, terms, capital increases, funds, delays dated on or before it), so asking again later
//! about an earlier date gives the same answer.

mod idle;
pub mod input;
mod rates;

pub use idle::{IdleLand, IdleStatus, anniversary, delay_days, idle_land};
pub use rates::{Batches, FundsRate, Performance, Rate, SignedBatch, batches, performance_report};

use super::money::{Currency, Money};
use super::stage::Stage;
use time::Date;

/// One incentive granted with the contract, and the condition under which it is recovered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Incentive {
    pub kind: String,
    pub amount: Money,
    pub recover_if: String,
}

/// What a contract commits a project to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// 约定开工日期.
    pub start_deadline: Date,
    /// 约定投产日期.
    pub production_deadline: Date,
    /// Committed investment intensity, 元/㎡.
    pub intensity_yuan_per_m2: Option<i64>,
    /// Committed tax per mu per year, 元/亩.
    pub tax_yuan_per_mu: Option<i64>,
    pub land_area_m2: Option<i64>,
    pub land_price: Option<Money>,
    pub incentives: Vec<Incentive>,
}

/// Terms and the day they apply from: the 正式签约 date for the contract's own terms, a
/// supplementary agreement's date for a later change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsFrom {
    pub from: Date,
    pub terms: Terms,
}

/// A delay caused by the government or force majeure, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delay {
    pub from: Date,
    pub to: Date,
}

impl Delay {
    /// Its length in days, both ends counted.
    pub fn days(self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }
}

/// What the rules need to know of one project: its stage history and its dated records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContractFacts {
    pub project_id: i64,
    pub unit_id: i64,
    /// Every stage entry in the order recorded: (effective date, stage entered). The first is
    /// the project's entry into 线索 (or the stage it was recorded at).
    pub entries: Vec<(Date, Stage)>,
    /// The contract amount recorded when the project first entered 正式签约.
    pub signed_amount: Option<Money>,
    /// The contract's terms and their later changes, in date order.
    pub terms: Vec<TermsFrom>,
    /// Capital increases (增资): date and the amount added.
    pub increases: Vec<(Date, Money)>,
    /// Funds arrived (到位资金): date and amount.
    pub funds: Vec<(Date, Money)>,
    pub delays: Vec<Delay>,
    /// 供地: the day the land was granted.
    pub land_granted_on: Option<Date>,
}

impl ContractFacts {
    /// The first day the project entered `stage`, if it had by `as_of`.
    pub fn first_entry(&self, stage: Stage, as_of: Date) -> Option<Date> {
        self.entries
            .iter()
            .filter(|(d, s)| *s == stage && *d <= as_of)
            .map(|(d, _)| *d)
            .min()
    }

    /// The stage it stood at at the end of `day` (the last entry dated on or before it).
    pub fn stage_on(&self, day: Date) -> Option<Stage> {
        let mut at: Option<(Date, Stage)> = None;
        for &(d, s) in &self.entries {
            if d <= day && at.is_none_or(|(a, _)| d >= a) {
                at = Some((d, s));
            }
        }
        at.map(|(_, s)| s)
    }

    /// The day it first entered 正式签约 (a return after 暂停 is not a new signing).
    pub fn signed_on(&self, as_of: Date) -> Option<Date> {
        self.first_entry(Stage::Contracted, as_of)
    }

    /// The contract's currency: that of the amount signed.
    pub fn currency(&self) -> Option<Currency> {
        self.signed_amount.map(|m| m.currency)
    }

    /// Committed investment as of `as_of`: the amount signed plus the capital increases dated
    /// up to it (in the contract's currency).
    pub fn committed(&self, as_of: Date) -> Option<Money> {
        let signed = self.signed_amount?;
        self.signed_on(as_of)?;
        let added: i64 = self
            .increases
            .iter()
            .filter(|(d, m)| *d <= as_of && m.currency == signed.currency)
            .map(|(_, m)| m.yuan)
            .sum();
        Some(Money::new(signed.yuan + added, signed.currency))
    }

    /// The terms in force on `day`: the latest change dated on or before it.
    pub fn terms_on(&self, day: Date) -> Option<&Terms> {
        self.terms
            .iter()
            .filter(|t| t.from <= day)
            .max_by_key(|t| t.from)
            .map(|t| &t.terms)
    }
}

/// A term of the contract whose deadline can be met or missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// 约定开工: entering 开工在建 by then.
    Start,
    /// 约定投产: entering 投产 by then.
    Production,
}

impl Deadline {
    pub fn label(self) -> &'static str {
        match self {
            Deadline::Start => "约定开工",
            Deadline::Production => "约定投产",
        }
    }

    fn stage(self) -> Stage {
        match self {
            Deadline::Start => Stage::Construction,
            Deadline::Production => Stage::Production,
        }
    }

    fn of(self, t: &Terms) -> Date {
        match self {
            Deadline::Start => t.start_deadline,
            Deadline::Production => t.production_deadline,
        }
    }
}

/// A deadline that had come by the date asked, and whether it was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueTerm {
    pub term: Deadline,
    pub deadline: Date,
    /// Whether it happened on or before its deadline.
    pub met: bool,
    /// Days after the deadline it happened (or, not yet happened, until the date asked).
    pub days_late: i64,
}

/// A project's performance as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// 履约: every term due by then was met on or before its deadline.
    Fulfilled(Vec<DueTerm>),
    /// 违约: a term due by then was missed (whatever happened later); the missed ones.
    Breached(Vec<DueTerm>),
    /// 未到期: no term due yet (or no terms recorded).
    NotDue,
}

impl Standing {
    pub fn key(&self) -> &'static str {
        match self {
            Standing::Fulfilled(_) => "fulfilled",
            Standing::Breached(_) => "breached",
            Standing::NotDue => "not_due",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Standing::Fulfilled(_) => "履约",
            Standing::Breached(_) => "违约",
            Standing::NotDue => "未到期",
        }
    }
}

/// The deadlines due by `as_of`, each with how late it was met. A deadline is due when it lies
/// on or before `as_of` while its terms were in force (terms changed before a deadline came
/// replace it; a change after it cannot undo its breach).
pub fn due_terms(f: &ContractFacts, as_of: Date) -> Vec<DueTerm> {
    let mut due = Vec::new();
    let mut versions: Vec<&TermsFrom> = f.terms.iter().filter(|t| t.from <= as_of).collect();
    versions.sort_by_key(|t| t.from);
    for (i, v) in versions.iter().enumerate() {
        let until = versions.get(i + 1).map(|next| next.from);
        for term in [Deadline::Start, Deadline::Production] {
            let deadline = term.of(&v.terms);
            let in_force = until.is_none_or(|next| deadline < next);
            if deadline > as_of || !in_force {
                continue;
            }
            let happened = f.first_entry(term.stage(), as_of);
            let (met, days_late) = match happened {
                Some(d) if d <= deadline => (true, 0),
                Some(d) => (false, (d - deadline).whole_days()),
                None => (false, (as_of - deadline).whole_days()),
            };
            due.push(DueTerm {
                term,
                deadline,
                met,
                days_late,
            });
        }
    }
    due
}

/// 履约, 违约 or 未到期 as of `as_of`.
pub fn standing(f: &ContractFacts, as_of: Date) -> Standing {
    let due = due_terms(f, as_of);
    if due.is_empty() {
        Standing::NotDue
    } else if due.iter().all(|d| d.met) {
        Standing::Fulfilled(due)
    } else {
        Standing::Breached(due.into_iter().filter(|d| !d.met).collect())
    }
}

/// A percentage rounded half away from zero to one decimal; none of nothing.
pub fn pct(num: i128, den: i128) -> Option<f64> {
    if den <= 0 {
        return None;
    }
    let tenths = (num * 1000 + den / 2) / den;
    Some(tenths as f64 / 10.0)
}

#[cfg(test)]
pub(crate) mod book;
