//! The test book: seventeen projects written out by hand, with what each rule must say of them
//! worked out by hand (leap days, month ends, pauses, terminations, capital increases, USD,
//! delays, supplementary agreements).

use super::*;
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage::{self, *};

pub(crate) fn d(text: &str) -> Date {
    crate::domain::dates::parse_date(text).expect(text)
}

fn cny(yuan: i64) -> Money {
    Money::new(yuan, Currency::Cny)
}

fn usd(dollars: i64) -> Money {
    Money::new(dollars, Currency::Usd)
}

fn terms(from: &str, start: &str, production: &str, land_price: Option<Money>) -> TermsFrom {
    TermsFrom {
        from: d(from),
        terms: Terms {
            start_deadline: d(start),
            production_deadline: d(production),
            intensity_yuan_per_m2: None,
            tax_yuan_per_mu: None,
            land_area_m2: None,
            land_price,
            incentives: Vec::new(),
        },
    }
}

fn project(id: i64, entries: &[(&str, Stage)], signed: Option<Money>) -> ContractFacts {
    ContractFacts {
        project_id: id,
        unit_id: 1,
        entries: entries.iter().map(|(day, s)| (d(day), *s)).collect(),
        signed_amount: signed,
        ..ContractFacts::default()
    }
}

pub(crate) fn book() -> Vec<ContractFacts> {
    let mut p = Vec::new();
    // P1: started on its deadline day: 履约.
    let mut f = project(
        1,
        &[
            ("2024-01-10", Lead),
            ("2025-02-01", Contracted),
            ("2025-06-30", Construction),
        ],
        Some(cny(100_000_000)),
    );
    f.terms = vec![terms("2025-02-01", "2025-06-30", "2026-06-30", None)];
    f.funds = vec![(d("2025-03-01"), cny(30_000_000))];
    p.push(f);
    // P2: started fifteen days late.
    let mut f = project(
        2,
        &[
            ("2024-05-01", Lead),
            ("2025-03-01", Contracted),
            ("2025-10-15", Construction),
        ],
        Some(cny(50_000_000)),
    );
    f.terms = vec![terms("2025-03-01", "2025-09-30", "2026-12-31", None)];
    p.push(f);
    // P3: terminated before its start deadline: still a breach when the deadline passes.
    let mut f = project(
        3,
        &[
            ("2024-06-01", Lead),
            ("2025-01-15", Contracted),
            ("2025-04-01", Terminated),
        ],
        Some(cny(80_000_000)),
    );
    f.terms = vec![terms("2025-01-15", "2025-05-31", "2026-05-31", None)];
    p.push(f);
    // P4: paused and back to 正式签约: signed once, in February.
    let mut f = project(
        4,
        &[
            ("2024-12-01", Lead),
            ("2025-02-10", Contracted),
            ("2025-04-01", Paused),
            ("2025-07-01", Contracted),
        ],
        Some(cny(60_000_000)),
    );
    f.terms = vec![terms("2025-02-10", "2026-03-31", "2027-03-31", None)];
    p.push(f);
    // P5: in dollars, 亿元以上 by the rate (20M × 7.1).
    let mut f = project(
        5,
        &[("2025-01-05", Lead), ("2025-05-01", Contracted)],
        Some(usd(20_000_000)),
    );
    f.terms = vec![terms("2025-05-01", "2026-05-01", "2027-05-01", None)];
    f.funds = vec![(d("2025-08-01"), usd(5_000_000))];
    p.push(f);
    // P6: signed in 2024, a capital increase in 2025, started in 2025.
    let mut f = project(
        6,
        &[
            ("2024-08-01", Lead),
            ("2024-11-01", Contracted),
            ("2025-05-20", Construction),
        ],
        Some(cny(30_000_000)),
    );
    f.terms = vec![terms("2024-11-01", "2025-06-30", "2026-06-30", None)];
    f.increases = vec![(d("2025-03-01"), cny(20_000_000))];
    f.funds = vec![
        (d("2025-02-01"), cny(10_000_000)),
        (d("2025-04-01"), cny(15_000_000)),
    ];
    p.push(f);
    // P7: a supplementary agreement before the first deadline came replaces it.
    let mut f = project(
        7,
        &[
            ("2024-10-01", Lead),
            ("2025-01-10", Contracted),
            ("2025-08-01", Construction),
        ],
        Some(cny(40_000_000)),
    );
    f.terms = vec![
        terms("2025-01-10", "2025-04-30", "2026-04-30", None),
        terms("2025-04-01", "2025-08-31", "2026-08-31", None),
    ];
    p.push(f);
    // P8: a supplementary agreement after the first deadline was missed cannot undo it.
    let mut f = project(
        8,
        &[
            ("2024-09-01", Lead),
            ("2025-01-20", Contracted),
            ("2025-06-01", Construction),
        ],
        Some(cny(45_000_000)),
    );
    f.terms = vec![
        terms("2025-01-20", "2025-03-31", "2026-03-31", None),
        terms("2025-05-01", "2025-09-30", "2026-09-30", None),
    ];
    p.push(f);
    // P9: land granted, start deadline on a leap day, never started.
    let mut f = project(
        9,
        &[
            ("2022-06-01", Lead),
            ("2023-01-10", Contracted),
            ("2023-03-01", Landed),
        ],
        Some(cny(120_000_000)),
    );
    f.terms = vec![terms(
        "2023-01-10",
        "2024-02-29",
        "2025-02-28",
        Some(cny(3_000_000)),
    )];
    f.land_granted_on = Some(d("2023-03-01"));
    p.push(f);
    // P10: delays extend the start deadline (10 days, then 1 more day recorded in March).
    let mut f = project(
        10,
        &[
            ("2024-01-01", Lead),
            ("2024-06-01", Contracted),
            ("2024-07-01", Landed),
        ],
        Some(cny(90_000_000)),
    );
    f.terms = vec![terms(
        "2024-06-01",
        "2025-01-31",
        "2026-01-31",
        Some(cny(1_000_003)),
    )];
    f.land_granted_on = Some(d("2024-07-01"));
    f.delays = vec![
        Delay {
            from: d("2025-01-01"),
            to: d("2025-01-10"),
        },
        Delay {
            from: d("2025-03-01"),
            to: d("2025-03-01"),
        },
    ];
    p.push(f);
    // P11: land idle for a while, then started late: no longer idle land, still a breach.
    let mut f = project(
        11,
        &[
            ("2023-01-01", Lead),
            ("2024-01-05", Contracted),
            ("2024-02-01", Landed),
            ("2025-01-15", Construction),
        ],
        Some(cny(70_000_000)),
    );
    f.terms = vec![terms(
        "2024-01-05",
        "2024-06-30",
        "2025-12-31",
        Some(cny(2_000_000)),
    )];
    f.land_granted_on = Some(d("2024-02-01"));
    p.push(f);
    // P12: signed on the first day of the year; started on time, production missed.
    let mut f = project(
        12,
        &[
            ("2024-11-01", Lead),
            ("2025-01-01", Contracted),
            ("2025-02-01", Construction),
        ],
        Some(cny(200_000_000)),
    );
    f.terms = vec![terms("2025-01-01", "2025-03-31", "2025-10-31", None)];
    f.funds = vec![
        (d("2024-12-31"), cny(10_000_000)),
        (d("2025-01-01"), cny(50_000_000)),
    ];
    p.push(f);
    // P13: a lead at the year's end.
    p.push(project(13, &[("2025-03-01", Lead)], None));
    // P14: 意向签约 at the year's end, signed the next year.
    p.push(project(
        14,
        &[
            ("2025-02-01", Lead),
            ("2025-06-01", Intent),
            ("2026-01-05", Contracted),
        ],
        Some(cny(70_000_000)),
    ));
    // P15: signed, no terms recorded yet.
    p.push(project(
        15,
        &[("2025-04-01", Lead), ("2025-06-01", Contracted)],
        Some(cny(10_000_000)),
    ));
    // P16: signed on the last day of the year, exactly 1亿元.
    let mut f = project(
        16,
        &[("2025-10-01", Lead), ("2025-12-31", Contracted)],
        Some(cny(100_000_000)),
    );
    f.terms = vec![terms("2025-12-31", "2026-06-30", "2027-06-30", None)];
    p.push(f);
    // P17: dollars just under 1亿元 (14M × 7.1), start deadline missed by 30 days.
    let mut f = project(
        17,
        &[("2025-01-01", Lead), ("2025-09-09", Contracted)],
        Some(usd(14_000_000)),
    );
    f.terms = vec![terms("2025-09-09", "2025-12-01", "2026-12-01", None)];
    p.push(f);
    p
}

fn of(id: i64) -> ContractFacts {
    book().into_iter().find(|f| f.project_id == id).unwrap()
}

#[test]
fn each_project_stands_as_worked_out_by_hand() {
    let end = d("2025-12-31");
    type Case<'a> = (i64, &'a str, &'a [(Deadline, i64)]);
    let cases: [Case; 10] = [
        (1, "fulfilled", &[]),
        (2, "breached", &[(Deadline::Start, 15)]),
        (3, "breached", &[(Deadline::Start, 214)]),
        (4, "not_due", &[]),
        (7, "fulfilled", &[]),
        (8, "breached", &[(Deadline::Start, 62)]),
        (
            11,
            "breached",
            &[(Deadline::Start, 199), (Deadline::Production, 0)],
        ),
        (12, "breached", &[(Deadline::Production, 61)]),
        (15, "not_due", &[]),
        (17, "breached", &[(Deadline::Start, 30)]),
    ];
    for (id, key, missed) in cases {
        let s = standing(&of(id), end);
        assert_eq!(s.key(), key, "P{id}: {s:?}");
        if let Standing::Breached(terms) = s {
            let got: Vec<(Deadline, i64)> = terms.iter().map(|t| (t.term, t.days_late)).collect();
            assert_eq!(got, missed, "P{id}");
        }
    }
    // On its deadline day, not yet started: missed that very day, 0 days late.
    assert_eq!(standing(&of(2), d("2025-09-30")).key(), "breached");
    assert_eq!(standing(&of(2), d("2025-09-29")).key(), "not_due");
}

#[test]
fn the_three_rates_for_2025_are_as_worked_out_by_hand() {
    let book = book();
    let r = performance_report(&book, d("2025-01-01"), d("2025-12-31"));
    assert_eq!(
        r.contract_projects,
        vec![1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17]
    );
    assert_eq!(r.fulfilled, vec![1, 7]);
    assert_eq!(r.breached, vec![2, 3, 8, 12, 17]);
    assert_eq!(r.not_due, vec![4, 5, 15, 16]);
    assert_eq!(
        (r.fulfilment.num, r.fulfilment.den, r.fulfilment.pct),
        (2, 7, Some(28.6))
    );
    assert_eq!(
        (r.start_rate.num, r.start_rate.den, r.start_rate.pct),
        (5, 11, Some(45.5))
    );
    assert_eq!(
        (
            r.start_rate_due.num,
            r.start_rate_due.den,
            r.start_rate_due.pct
        ),
        (5, 7, Some(71.4))
    );
    assert_eq!(r.funds_rate.len(), 2);
    let cny_rate = r.funds_rate[0];
    assert_eq!(
        (cny_rate.arrived, cny_rate.committed, cny_rate.pct),
        (cny(80_000_000), cny(685_000_000), Some(11.7))
    );
    let usd_rate = r.funds_rate[1];
    assert_eq!(
        (usd_rate.arrived, usd_rate.committed, usd_rate.pct),
        (usd(5_000_000), usd(34_000_000), Some(14.7))
    );
    // Asked again about an earlier date, the answer is that of the earlier date: as of
    // 2025-06-30 the projects signed by then, P2's deadline not yet come.
    let mid = performance_report(&book, d("2025-01-01"), d("2025-06-30"));
    assert_eq!(mid.contract_projects, vec![1, 2, 3, 4, 5, 7, 8, 12, 15]);
    assert_eq!(
        mid.fulfilled,
        vec![1, 12],
        "P12 had started on time; its production not yet due"
    );
    assert_eq!(mid.breached, vec![3, 8]);
    assert_eq!(mid.start_rate.num, 3, "P1, P8 and P12 had started");
}

#[test]
fn four_batches_count_each_project_once() {
    let book = book();
    let b = batches(&book, d("2025-01-01"), d("2025-12-31"), 71_000);
    assert_eq!(b.reserve, vec![13, 14]);
    assert_eq!(b.signed.ids, vec![1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17]);
    // 685M signed plus P6's 20M increase; the dollars apart.
    assert_eq!(b.signed.amounts, vec![cny(705_000_000), usd(34_000_000)]);
    assert_eq!(b.signed.over_100m, vec![1, 5, 12, 16]);
    assert_eq!(b.started, vec![1, 2, 6, 7, 8, 11, 12]);
    assert!(b.producing.is_empty());
    // P4's return to 正式签约 in July is no new signing.
    let july = batches(&book, d("2025-07-01"), d("2025-07-31"), 71_000);
    assert!(july.signed.ids.is_empty(), "{july:?}");
    // Both ends of a period count: the last day of the year holds P16's signing.
    let last_day = batches(&book, d("2025-12-31"), d("2025-12-31"), 71_000);
    assert_eq!(last_day.signed.ids, vec![16]);
}

#[test]
fn idle_land_follows_anniversaries_delays_and_a_late_start() {
    let at = |id: i64, day: &str| idle_land(&of(id), d(day));
    // Leap day deadline: its anniversaries fall on 28 February.
    assert_eq!(anniversary(d("2024-02-29"), 1), d("2025-02-28"));
    assert_eq!(anniversary(d("2024-02-29"), 4), d("2028-02-29"));
    let overdue = at(9, "2025-02-27").unwrap();
    assert_eq!(
        (overdue.status, overdue.days_overdue, overdue.fee),
        (IdleStatus::Overdue, 364, Some(cny(0)))
    );
    let idle = at(9, "2025-02-28").unwrap();
    assert_eq!((idle.status, idle.days_overdue), (IdleStatus::Idle, 365));
    assert_eq!(idle.fee, Some(cny(600_000)));
    assert_eq!(at(9, "2026-02-27").unwrap().status, IdleStatus::Idle);
    assert_eq!(at(9, "2026-02-28").unwrap().status, IdleStatus::Recoverable);
    // Delays: ten days known by February, one more day from March.
    assert_eq!(at(10, "2025-02-10"), None);
    let first = at(10, "2025-02-11").unwrap();
    assert_eq!(
        (first.extended_deadline, first.days_overdue),
        (d("2025-02-10"), 1)
    );
    let later = at(10, "2025-03-05").unwrap();
    assert_eq!(
        (later.extended_deadline, later.days_overdue),
        (d("2025-02-11"), 22)
    );
    let fee = at(10, "2026-02-11").unwrap();
    assert_eq!(
        (fee.status, fee.fee),
        (IdleStatus::Idle, Some(cny(200_001))),
        "20% to the yuan"
    );
    // Overdue before it started late; not idle land once started.
    let before = at(11, "2024-12-31").unwrap();
    assert_eq!(
        (before.status, before.days_overdue),
        (IdleStatus::Overdue, 184)
    );
    assert_eq!(at(11, "2025-12-31"), None);
    // Overlapping delays count each day once.
    let overlapping = [
        Delay {
            from: d("2025-01-01"),
            to: d("2025-01-10"),
        },
        Delay {
            from: d("2025-01-05"),
            to: d("2025-01-12"),
        },
        Delay {
            from: d("2025-01-12"),
            to: d("2025-01-12"),
        },
        Delay {
            from: d("2025-02-01"),
            to: d("2025-02-01"),
        },
    ];
    assert_eq!(super::idle::delay_days(overlapping.into_iter()), 13);
    // Without land granted, no idle land whatever the deadline.
    assert_eq!(at(17, "2027-12-31"), None);
}
