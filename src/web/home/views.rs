//! The start pages: figures shown as links to the lists they count.

use crate::config::Config;
use crate::domain::dates::iso;
use crate::domain::listing::Totals;
use crate::domain::money::{Currency, format_big};
use crate::service::home::{
    Counted, DepartmentStart, EnterpriseStart, Figure, LeaderStart, MyWork,
};
use crate::web::projects::views::href as project_list_href;
use crate::web::views::{Layout, LeadRow, ProjectRow, VisitRow, link};
use askama::Template;
use askama_web::WebTemplate;
use time::Date;

/// A figure as a page shows it: the count, the amount, and where the list is.
pub struct FigureView {
    pub label: String,
    pub count: i64,
    pub amount: String,
    pub href: String,
}

fn amount(t: &Totals) -> String {
    let mut text = format_big(t.cny_yuan, Currency::Cny);
    if t.usd_yuan > 0 {
        text.push_str(" + ");
        text.push_str(&format_big(t.usd_yuan, Currency::Usd));
    }
    text
}

impl FigureView {
    fn of(f: &Figure) -> FigureView {
        FigureView {
            label: f.label.clone(),
            count: f.totals.count,
            amount: amount(&f.totals),
            href: project_list_href(&f.list),
        }
    }
}

/// A count of leads or visits, with the list it comes from.
pub struct CountedView<R> {
    pub total: i64,
    pub href: String,
    pub rows: Vec<R>,
}

impl<R> CountedView<R> {
    fn of<T>(path: &str, c: &Counted<T>, row: impl Fn(&T) -> R) -> CountedView<R> {
        let pairs: Vec<(&str, &str)> = c.filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        CountedView {
            total: c.total,
            href: link(path, &pairs, 1),
            rows: c.items.iter().map(row).collect(),
        }
    }
}

pub struct UnitRowView {
    pub name: String,
    pub all: FigureView,
    pub signed: FigureView,
    pub started: FigureView,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/leader.html")]
pub struct LeaderStartPage {
    pub layout: Layout,
    pub today: String,
    pub year: i32,
    pub signed_this_year: FigureView,
    pub signed_this_month: FigureView,
    pub big: FigureView,
    pub stale: FigureView,
    pub batches: Vec<FigureView>,
    pub stages: Vec<FigureView>,
    pub units: Vec<UnitRowView>,
    pub stalest: Vec<ProjectRow>,
    pub work: MyWorkSummary,
}

/// The leader's own part of 我的工作, in one line on the start page.
pub struct MyWorkSummary {
    pub looked_after: FigureView,
}

impl LeaderStartPage {
    pub fn of(layout: Layout, s: LeaderStart, work: MyWork, config: &Config) -> LeaderStartPage {
        LeaderStartPage {
            layout,
            today: iso(s.today),
            year: s.today.year(),
            signed_this_year: FigureView::of(&s.signed_this_year),
            signed_this_month: FigureView::of(&s.signed_this_month),
            big: FigureView::of(&s.big),
            stale: FigureView::of(&s.stale),
            batches: s.batches.iter().map(FigureView::of).collect(),
            stages: s.stages.iter().map(FigureView::of).collect(),
            units: s
                .units
                .iter()
                .map(|u| UnitRowView {
                    name: u.name.clone(),
                    all: FigureView::of(&u.all),
                    signed: FigureView::of(&u.signed),
                    started: FigureView::of(&u.started),
                })
                .collect(),
            stalest: s
                .stalest
                .iter()
                .map(|p| ProjectRow::of(p, s.today, config))
                .collect(),
            work: MyWorkSummary {
                looked_after: FigureView::of(&work.looked_after),
            },
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home/work.html")]
pub struct MyWorkPage {
    pub layout: Layout,
    pub responsible: FigureView,
    pub looked_after: FigureView,
    pub stalled: FigureView,
    pub stalled_projects: Vec<ProjectRow>,
    pub leads: CountedView<LeadRow>,
    pub quiet_leads: CountedView<LeadRow>,
    pub quiet_days: i64,
    pub overdue_visits: CountedView<VisitRow>,
}

impl MyWorkPage {
    pub fn of(layout: Layout, w: MyWork, today: Date, config: &Config) -> MyWorkPage {
        MyWorkPage {
            layout,
            responsible: FigureView::of(&w.responsible),
            looked_after: FigureView::of(&w.looked_after),
            stalled: FigureView::of(&w.stalled),
            stalled_projects: w
                .stalled_projects
                .iter()
                .map(|p| ProjectRow::of(p, today, config))
                .collect(),
            leads: CountedView::of("/leads", &w.leads, LeadRow::of),
            quiet_leads: CountedView::of("/leads", &w.quiet_leads, LeadRow::of),
            quiet_days: config.lead_follow_up_days,
            overdue_visits: CountedView::of("/visits", &w.overdue_visits, |v| {
                VisitRow::of(v, today)
            }),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home/department.html")]
pub struct DepartmentStartPage {
    pub layout: Layout,
    pub overdue_visits: CountedView<VisitRow>,
    pub visits: CountedView<VisitRow>,
    pub leads: CountedView<LeadRow>,
}

impl DepartmentStartPage {
    pub fn of(layout: Layout, d: DepartmentStart, today: Date) -> DepartmentStartPage {
        DepartmentStartPage {
            layout,
            overdue_visits: CountedView::of("/visits", &d.overdue_visits, |v| {
                VisitRow::of(v, today)
            }),
            visits: CountedView::of("/visits", &d.visits, |v| VisitRow::of(v, today)),
            leads: CountedView::of("/leads", &d.leads, LeadRow::of),
        }
    }
}

/// An enterprise's project: where it stands, without the office's own fields.
pub struct OwnProjectRow {
    pub id: i64,
    pub name: String,
    pub stage_key: &'static str,
    pub stage_label: &'static str,
    pub stage_since: String,
    pub investment: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/enterprise.html")]
pub struct EnterpriseStartPage {
    pub layout: Layout,
    pub projects: Vec<OwnProjectRow>,
    pub project_total: i64,
    pub leads: CountedView<LeadRow>,
}

impl EnterpriseStartPage {
    pub fn of(layout: Layout, e: EnterpriseStart) -> EnterpriseStartPage {
        EnterpriseStartPage {
            layout,
            projects: e
                .projects
                .iter()
                .map(|p| OwnProjectRow {
                    id: p.id.0,
                    name: p.name.clone(),
                    stage_key: p.stage.key(),
                    stage_label: p.stage.label(),
                    stage_since: iso(p.stage_since),
                    investment: p.total_investment.display(),
                })
                .collect(),
            project_total: e.project_total,
            leads: CountedView::of("/leads", &e.leads, LeadRow::of),
        }
    }
}
