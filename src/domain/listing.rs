//! Which projects a list shows, in what order, and their counts and sums — as pure rules over
//! the few facts of each project that lists filter and sort by. The store keeps these facts of
//! every project in memory (see `store::list_index`), so a list never scans the table.

use super::industry::IndustryCode;
use super::money::{Currency, Money};
use super::project::{Band, Batch};
use super::search::Query;
use super::stage::Stage;
use serde::Serialize;
use std::collections::BinaryHeap;
use time::Date;

/// What lists need to know of one project.
#[derive(Debug, Clone)]
pub struct ListFacts {
    pub id: i64,
    pub unit_id: i64,
    /// 责任人 and 包联领导 (user ids).
    pub officer_id: Option<i64>,
    pub leader_id: Option<i64>,
    pub stage: Stage,
    /// None for a code no longer in the classification (it then matches no industry filter).
    pub industry: Option<IndustryCode>,
    pub total_investment: Money,
    pub lead_on: Date,
    pub contracted_on: Option<Date>,
    pub construction_on: Option<Date>,
    pub production_on: Option<Date>,
    pub last_progress_on: Date,
    /// Nanoseconds since 1970 of the last change (RFC 3339 text does not sort as time when
    /// fractions of a second come and go).
    pub updated_ns: i128,
    pub name: String,
    /// Normalised name and investor name (see `search::search_text`).
    pub search_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Updated,
    Investment,
    LeadOn,
    Stale,
    Name,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Updated,
        Sort::Investment,
        Sort::LeadOn,
        Sort::Stale,
        Sort::Name,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Sort::Updated => "updated",
            Sort::Investment => "investment",
            Sort::LeadOn => "lead_on",
            Sort::Stale => "stale",
            Sort::Name => "name",
        }
    }
    pub fn parse(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.key() == key)
    }
    pub fn label(self) -> &'static str {
        match self {
            Sort::Updated => "最近更新",
            Sort::Investment => "总投资从大到小",
            Sort::LeadOn => "录入日期从新到旧",
            Sort::Stale => "最久无进展",
            Sort::Name => "项目名称",
        }
    }
}

/// A list request, parsed and scoped by the service.
#[derive(Debug, Clone)]
pub struct Criteria {
    /// The units whose projects may be listed (the caller's scope, or a subtree inside it).
    pub units: UnitSet,
    /// When set, only these projects (sorted ids): an enterprise's own.
    pub only: Option<Vec<i64>>,
    pub stage: Option<Stage>,
    /// Only the projects with this 责任人, or this 包联领导 (user ids).
    pub officer: Option<i64>,
    pub leader: Option<i64>,
    /// Only active projects: not paused, not closed (终止, 退出, 否决).
    pub active: bool,
    /// Only projects whose last progress is before this day.
    pub stalled_before: Option<Date>,
    pub industry: Option<IndustryCode>,
    pub band: Option<Band>,
    pub batch: Option<Batch>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// A fragment of the project or investor name.
    pub needle: Option<Query>,
    pub sort: Sort,
    pub page: i64,
    pub per_page: i64,
    /// CNY per USD ×10⁴, for bands and the investment order only.
    pub usd_rate_e4: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank<'a> {
    Number(i128, i64),
    Text(&'a str, i64),
}

/// The units a list may show, as a bitmap over unit ids (a hash lookup per project is
/// measurable at 200,000 projects).
#[derive(Debug, Clone, Default)]
pub struct UnitSet(Vec<bool>);

impl UnitSet {
    pub fn contains(&self, unit_id: i64) -> bool {
        usize::try_from(unit_id)
            .ok()
            .and_then(|i| self.0.get(i))
            .copied()
            .unwrap_or(false)
    }
}

impl FromIterator<i64> for UnitSet {
    fn from_iter<I: IntoIterator<Item = i64>>(ids: I) -> UnitSet {
        let mut bits = Vec::new();
        for id in ids {
            if let Ok(i) = usize::try_from(id) {
                if bits.len() <= i {
                    bits.resize(i + 1, false);
                }
                bits[i] = true;
            }
        }
        UnitSet(bits)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub count: i64,
    pub cny_yuan: i64,
    pub usd_yuan: i64,
}

impl Criteria {
    /// The date a period filter applies to: first entry into the batch's stage, else 录入日期.
    fn dated(&self, f: &ListFacts) -> Option<Date> {
        match self.batch.and_then(Batch::entry_stage) {
            Some(Stage::Contracted) => f.contracted_on,
            Some(Stage::Construction) => f.construction_on,
            Some(Stage::Production) => f.production_on,
            _ => Some(f.lead_on),
        }
    }

    pub fn admits(&self, f: &ListFacts) -> bool {
        self.units.contains(f.unit_id)
            && self
                .only
                .as_ref()
                .is_none_or(|ids| ids.binary_search(&f.id).is_ok())
            && self.stage.is_none_or(|s| f.stage == s)
            && self.officer.is_none_or(|o| f.officer_id == Some(o))
            && self.leader.is_none_or(|l| f.leader_id == Some(l))
            && (!self.active || f.stage.is_active())
            && self.stalled_before.is_none_or(|d| f.last_progress_on < d)
            && self.industry.is_none_or(|i| f.industry == Some(i))
            && self
                .band
                .is_none_or(|b| b.contains(f.total_investment, self.usd_rate_e4))
            && (self.batch != Some(Batch::Reserve) || Batch::RESERVE_STAGES.contains(&f.stage))
            && match self.dated(f) {
                Some(d) => {
                    self.from.is_none_or(|from| d >= from) && self.to.is_none_or(|to| d <= to)
                }
                None => false,
            }
            && self
                .needle
                .as_ref()
                .is_none_or(|q| q.matches(&f.search_text))
    }

    /// A project's place in the list order: smaller comes first; ids break ties so that
    /// pages never overlap.
    fn rank<'a>(&self, f: &'a ListFacts) -> Rank<'a> {
        let day = |d: Date| i128::from(d.to_julian_day());
        match self.sort {
            Sort::Updated => Rank::Number(-f.updated_ns, -f.id),
            Sort::Investment => Rank::Number(
                -i128::from(f.total_investment.cny_equivalent(self.usd_rate_e4)),
                -f.id,
            ),
            Sort::LeadOn => Rank::Number(-day(f.lead_on), -f.id),
            // Closed projects are never stale: they come after every active one.
            Sort::Stale => Rank::Number(
                day(f.last_progress_on) + if f.stage.is_final() { 1 << 40 } else { 0 },
                f.id,
            ),
            Sort::Name => Rank::Text(&f.name, f.id),
        }
    }

    pub fn offset(&self) -> usize {
        ((self.page - 1).max(0) * self.per_page) as usize
    }
}

/// The counts and sums each of several lists would show, in one pass over the projects.
pub fn tally<'a>(all: impl IntoIterator<Item = &'a ListFacts>, lists: &[Criteria]) -> Vec<Totals> {
    let mut totals = vec![Totals::default(); lists.len()];
    for f in all {
        for (c, t) in lists.iter().zip(totals.iter_mut()) {
            if c.admits(f) {
                t.add(f.total_investment);
            }
        }
    }
    totals
}

impl Totals {
    fn add(&mut self, amount: Money) {
        self.count += 1;
        // Amounts are bounded on the way in; saturating keeps a sum honest-looking at worst.
        match amount.currency {
            Currency::Cny => self.cny_yuan = self.cny_yuan.saturating_add(amount.yuan),
            Currency::Usd => self.usd_yuan = self.usd_yuan.saturating_add(amount.yuan),
        }
    }
}

/// Counts and sums of every admitted project, and the ids of the requested page in order.
pub fn select<'a>(
    all: impl IntoIterator<Item = &'a ListFacts>,
    c: &Criteria,
) -> (Totals, Vec<i64>) {
    let mut totals = Totals::default();
    // The first offset + per_page in list order, kept as a max-heap: each project costs one
    // comparison with the last of them.
    let keep = c.offset() + c.per_page.max(0) as usize;
    // (Grown as needed: a far page must not reserve memory for rows that do not exist.)
    let mut front: BinaryHeap<(Rank<'a>, i64)> = BinaryHeap::with_capacity(keep.min(1_024) + 1);
    for f in all {
        if !c.admits(f) {
            continue;
        }
        totals.add(f.total_investment);
        if keep == 0 {
            continue;
        }
        let rank = c.rank(f);
        if front.len() < keep {
            front.push((rank, f.id));
        } else if front.peek().is_some_and(|last| rank < last.0) {
            front.pop();
            front.push((rank, f.id));
        }
    }
    let ids = front
        .into_sorted_vec()
        .into_iter()
        .skip(c.offset())
        .map(|(_, id)| id)
        .collect();
    (totals, ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;

    fn facts(id: i64, unit_id: i64, stage: Stage, wan: i64, currency: Currency) -> ListFacts {
        let d = parse_date("2025-03-01").unwrap();
        ListFacts {
            id,
            officer_id: None,
            leader_id: None,
            unit_id,
            stage,
            industry: IndustryCode::parse("31"),
            total_investment: Money::new(wan * 10_000, currency),
            lead_on: d,
            contracted_on: None,
            construction_on: None,
            production_on: None,
            last_progress_on: d,
            updated_ns: id as i128,
            name: format!("项目{id}"),
            search_text: format!("项目{id}\n唐山钢铁有限公司"),
        }
    }

    fn criteria() -> Criteria {
        Criteria {
            only: None,
            units: [1, 2].into_iter().collect(),
            stage: None,
            officer: None,
            leader: None,
            active: false,
            stalled_before: None,
            industry: None,
            band: None,
            batch: None,
            from: None,
            to: None,
            needle: None,
            sort: Sort::Investment,
            page: 1,
            per_page: 2,
            usd_rate_e4: 71_000,
        }
    }

    #[test]
    fn units_outside_scope_are_neither_listed_nor_counted() {
        let all = [
            facts(1, 1, Stage::Lead, 100, Currency::Cny),
            facts(2, 3, Stage::Lead, 900, Currency::Cny),
        ];
        let (totals, ids) = select(&all, &criteria());
        assert_eq!(totals.count, 1);
        assert_eq!(totals.cny_yuan, 1_000_000);
        assert_eq!(ids, vec![1]);
    }

    #[test]
    fn investment_order_converts_dollars_and_pages_do_not_overlap() {
        let all = [
            facts(1, 1, Stage::Lead, 10_000, Currency::Cny), // 1亿元
            facts(2, 1, Stage::Lead, 1_500, Currency::Usd),  // 1.065亿元
            facts(3, 2, Stage::Lead, 10_000, Currency::Cny), // ties with 1: higher id first
            facts(4, 2, Stage::Lead, 50, Currency::Cny),
        ];
        let mut c = criteria();
        assert_eq!(select(&all, &c).1, vec![2, 3]);
        c.page = 2;
        assert_eq!(select(&all, &c).1, vec![1, 4]);
        c.page = 3;
        let (totals, ids) = select(&all, &c);
        assert!(ids.is_empty());
        assert_eq!(totals.count, 4);
        assert_eq!(totals.usd_yuan, 15_000_000);
    }

    #[test]
    fn the_reserve_batch_is_the_three_early_stages_and_periods_need_a_date() {
        let mut signed = facts(2, 1, Stage::Contracted, 100, Currency::Cny);
        signed.contracted_on = parse_date("2025-06-01");
        let all = [facts(1, 1, Stage::Intent, 100, Currency::Cny), signed];
        let mut c = criteria();
        c.batch = Some(Batch::Reserve);
        assert_eq!(select(&all, &c).1, vec![1]);
        c.batch = Some(Batch::Signed);
        c.from = parse_date("2025-01-01");
        c.to = parse_date("2025-12-31");
        assert_eq!(select(&all, &c).1, vec![2]);
        c.to = parse_date("2025-05-31");
        assert!(select(&all, &c).1.is_empty());
    }

    #[test]
    fn search_matches_a_fragment_of_name_or_investor() {
        let all = [facts(1, 1, Stage::Lead, 100, Currency::Cny)];
        let mut c = criteria();
        c.needle = Query::parse("钢铁");
        assert_eq!(select(&all, &c).0.count, 1);
        c.needle = Query::parse("钢材");
        assert_eq!(select(&all, &c).0.count, 0);
    }
}
