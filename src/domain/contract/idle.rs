//! Idle land (闲置土地处置办法, 2012): land granted and left unbuilt past the agreed start.

use super::ContractFacts;
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use time::{Date, Month};

/// How far past its start deadline an unbuilt granted parcel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdleStatus {
    /// 逾期未开工: past the (extended) start deadline.
    Overdue,
    /// 闲置: from the first anniversary of the deadline, with a fee of 20% of the land price.
    Idle,
    /// 可无偿收回: from the second anniversary.
    Recoverable,
}

impl IdleStatus {
    pub fn label(self) -> &'static str {
        match self {
            IdleStatus::Overdue => "逾期未开工",
            IdleStatus::Idle => "闲置",
            IdleStatus::Recoverable => "可无偿收回",
        }
    }
}

/// A project's land as the idle-land rules see it on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleLand {
    pub project_id: i64,
    pub status: IdleStatus,
    pub start_deadline: Date,
    /// The deadline extended by the recorded delays.
    pub extended_deadline: Date,
    pub days_overdue: i64,
    /// 闲置费: 20% of the land price once idle, nothing while only overdue; none when the
    /// price is not recorded.
    pub fee: Option<Money>,
}

/// The same month and day `years` later, or the last day of that month when that day does
/// not exist (29 February).
pub fn anniversary(day: Date, years: i32) -> Date {
    let year = day.year() + years;
    let last = last_day(year, day.month());
    Date::from_calendar_date(year, day.month(), day.day().min(last)).unwrap_or(day)
}

fn last_day(year: i32, month: Month) -> u8 {
    time::util::days_in_month(month, year)
}

/// The days `delays` cover, each day once however many delays overlap it.
pub fn delay_days(delays: impl Iterator<Item = super::Delay>) -> i64 {
    let mut spans: Vec<super::Delay> = delays.collect();
    spans.sort_by_key(|d| d.from);
    let mut days = 0;
    let mut covered_until: Option<Date> = None;
    for d in spans {
        let start = match covered_until {
            Some(until) if d.from <= until => match until.next_day() {
                Some(next) => next,
                None => continue,
            },
            _ => d.from,
        };
        if d.to >= start {
            days += (d.to - start).whole_days() + 1;
        }
        covered_until = Some(covered_until.map_or(d.to, |u| u.max(d.to)));
    }
    days
}

/// The idle-land status of a project as of `as_of`, if it is listed: land granted, past the
/// start deadline of the terms in force (extended by delays caused by the government or force
/// majeure, each counted with both ends), and not started by then.
pub fn idle_land(f: &ContractFacts, as_of: Date) -> Option<IdleLand> {
    f.land_granted_on.filter(|g| *g <= as_of)?;
    if f.first_entry(Stage::Construction, as_of).is_some() {
        return None;
    }
    // Deadlines are projected on today's records when `as_of` lies ahead: the latest terms.
    let terms = f
        .terms_on(as_of)
        .or_else(|| f.terms.first().map(|t| &t.terms))?;
    let start_deadline = terms.start_deadline;
    // Delays known by then (all recorded ones, for a date ahead), overlapping ones counted
    // once.
    let extension = delay_days(f.delays.iter().filter(|d| d.from <= as_of).copied());
    let extended_deadline = start_deadline.checked_add(time::Duration::days(extension))?;
    if as_of <= extended_deadline {
        return None;
    }
    let status = if as_of >= anniversary(extended_deadline, 2) {
        IdleStatus::Recoverable
    } else if as_of >= anniversary(extended_deadline, 1) {
        IdleStatus::Idle
    } else {
        IdleStatus::Overdue
    };
    // 20% of the land price, to the yuan (half up).
    let fee = terms.land_price.map(|p| match status {
        IdleStatus::Overdue => Money::new(0, p.currency),
        _ => Money::new((p.yuan * 20 + 50) / 100, p.currency),
    });
    Some(IdleLand {
        project_id: f.project_id,
        status,
        start_deadline,
        extended_deadline,
        days_overdue: (as_of - extended_deadline).whole_days(),
        fee,
    })
}
