//! A signed project's contract records as read back: each version of its terms, capital
//! increases, funds arrived and delays, every one dated.

use crate::domain::contract::{Delay, TermsFrom};
use crate::domain::money::Money;
use time::Date;

/// One version of the terms: a correction on the same day supersedes the earlier row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsRecord {
    pub id: i64,
    pub terms: TermsFrom,
    pub recorded_at: String,
}

/// 增资.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increase {
    pub id: i64,
    pub date: Date,
    pub amount: Money,
    pub reason: String,
}

/// 到位资金.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundsArrival {
    pub id: i64,
    pub date: Date,
    pub amount: Money,
    pub source: String,
}

/// A delay caused by the government or force majeure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayRecord {
    pub id: i64,
    pub delay: Delay,
    pub reason: String,
}

/// Everything recorded of a project's contract.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContractRecords {
    /// Every row, in the order of their dates and then of recording.
    pub terms: Vec<TermsRecord>,
    pub increases: Vec<Increase>,
    pub funds: Vec<FundsArrival>,
    pub delays: Vec<DelayRecord>,
}

impl ContractRecords {
    /// The terms as they apply: per day they apply from, the last recorded.
    pub fn terms_in_force(&self) -> Vec<TermsFrom> {
        let mut out: Vec<TermsFrom> = Vec::new();
        for r in &self.terms {
            match out.iter_mut().find(|t| t.from == r.terms.from) {
                Some(t) => *t = r.terms.clone(),
                None => out.push(r.terms.clone()),
            }
        }
        out.sort_by_key(|t| t.from);
        out
    }

    /// The terms that apply on `day`: the latest change dated on or before it, or, before the
    /// first applies, the first recorded.
    pub fn terms_on(&self, day: time::Date) -> Option<TermsFrom> {
        let in_force = self.terms_in_force();
        in_force
            .iter()
            .filter(|t| t.from <= day)
            .max_by_key(|t| t.from)
            .or(in_force.first())
            .cloned()
    }
}
