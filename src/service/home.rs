//! Each role's start page. Every figure is the count and sum of a list the page links to, built
//! from the very parameters of that link (`tally_lists`), so a number and the list behind it
//! cannot disagree.

use super::App;
use super::leads::LeadParams;
use super::projects::ListParams;
use super::visits::VisitParams;
use crate::domain::dates::iso;
use crate::domain::listing::{Sort, Totals};
use crate::domain::project::{Band, Batch};
use crate::domain::records::lead::Lead;
use crate::domain::records::project::Project;
use crate::domain::records::visit::Visit;
use crate::domain::stage::Stage;
use crate::domain::user::{Actor, Role};
use crate::error::{Error, Result};
use crate::store::units;
use time::Date;

/// How many rows a start page's short lists show (the link shows them all).
const SHORT_LIST: i64 = 8;

/// A figure and the list it counts.
#[derive(Debug, Clone)]
pub struct Figure {
    pub label: String,
    pub list: ListParams,
    pub totals: Totals,
}

/// One unit beside the others: its subtree's projects, and what it signed and started this year.
#[derive(Debug, Clone)]
pub struct UnitFigures {
    pub name: String,
    pub all: Figure,
    pub signed: Figure,
    pub started: Figure,
}

/// The leader's start page: the year and month at a glance.
#[derive(Debug, Clone)]
pub struct LeaderStart {
    pub today: Date,
    pub signed_this_year: Figure,
    pub signed_this_month: Figure,
    pub big: Figure,
    pub batches: Vec<Figure>,
    pub stages: Vec<Figure>,
    pub units: Vec<UnitFigures>,
    pub stale: Figure,
    pub stalest: Vec<Project>,
}

/// A count, the first rows, and the filters of the list they come from (leads or visits).
#[derive(Debug, Clone)]
pub struct Counted<T> {
    pub total: i64,
    pub filters: Vec<(&'static str, String)>,
    pub items: Vec<T>,
}

/// An officer's (or a leader's) own work: 我的工作.
#[derive(Debug, Clone)]
pub struct MyWork {
    pub responsible: Figure,
    pub looked_after: Figure,
    pub stalled: Figure,
    pub stalled_projects: Vec<Project>,
    pub leads: Counted<Lead>,
    pub quiet_leads: Counted<Lead>,
    pub overdue_visits: Counted<Visit>,
}

/// What waits for a functional department: visits it takes part in and follow-ups it owes,
/// and the leads it passed on.
#[derive(Debug, Clone)]
pub struct DepartmentStart {
    pub overdue_visits: Counted<Visit>,
    pub visits: Counted<Visit>,
    pub leads: Counted<Lead>,
}

/// An enterprise's own projects and the leads it submitted.
#[derive(Debug, Clone)]
pub struct EnterpriseStart {
    pub projects: Vec<Project>,
    pub project_total: i64,
    pub leads: Counted<Lead>,
}

/// Which start page a signed-in account gets.
pub enum Start {
    Leader(Box<LeaderStart>, Box<MyWork>),
    Officer(Box<MyWork>),
    Department(DepartmentStart),
    Enterprise(EnterpriseStart),
}

fn list(f: impl FnOnce(&mut ListParams)) -> ListParams {
    let mut p = ListParams::default();
    f(&mut p);
    p
}

impl App {
    /// The caller's start page.
    pub async fn start_page(&self, actor: &Actor) -> Result<Start> {
        match actor.role {
            Role::Leader => Ok(Start::Leader(
                Box::new(self.leader_start(actor).await?),
                Box::new(self.my_work(actor).await?),
            )),
            Role::Officer => Ok(Start::Officer(Box::new(self.my_work(actor).await?))),
            Role::Department => Ok(Start::Department(self.department_start(actor).await?)),
            Role::Enterprise => Ok(Start::Enterprise(self.enterprise_start(actor).await?)),
            _ => Err(Error::Forbidden("该角色没有业务首页".into())),
        }
    }

    /// 我的工作: the projects, leads and follow-ups an officer or leader carries.
    pub async fn my_work_page(&self, actor: &Actor) -> Result<MyWork> {
        self.role_allows(actor, Role::does_casework, "work", "查看我的工作")
            .await?;
        self.my_work(actor).await
    }

    async fn leader_start(&self, actor: &Actor) -> Result<LeaderStart> {
        let today = self.today();
        let year_start = Date::from_calendar_date(today.year(), time::Month::January, 1)
            .map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
        let month_start = today
            .replace_day(1)
            .map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
        let period = |batch: Batch, from: Date| {
            list(|p| {
                p.batch = batch.key().into();
                p.from = iso(from);
                p.to = iso(today);
            })
        };
        let mut lists: Vec<(String, ListParams)> = vec![
            ("今年签约".into(), period(Batch::Signed, year_start)),
            ("本月签约".into(), period(Batch::Signed, month_start)),
            (
                "亿元以上项目".into(),
                list(|p| p.band = Band::AtLeast100M.key().into()),
            ),
            (
                "久无进展".into(),
                list(|p| {
                    p.stalled = "1".into();
                    p.sort = Sort::Stale.key().into();
                }),
            ),
        ];
        for batch in Batch::ALL {
            let params = match batch {
                Batch::Reserve => list(|p| p.batch = batch.key().into()),
                _ => period(batch, year_start),
            };
            lists.push((batch.label().to_string(), params));
        }
        for stage in Stage::ALL {
            lists.push((
                stage.label().to_string(),
                list(|p| p.stage = stage.key().into()),
            ));
        }
        // The units directly below the leader's, each with its subtree.
        let mut conn = self.db.pool.acquire().await?;
        let children: Vec<units::Unit> = units::subtree(&mut conn, &actor.unit_path)
            .await?
            .into_iter()
            .filter(|u| u.parent_id == Some(actor.unit_id) && !u.retired)
            .collect();
        drop(conn);
        for u in &children {
            let unit = u.id.0.to_string();
            lists.push((u.name.clone(), list(|p| p.unit = unit.clone())));
            let mut signed = period(Batch::Signed, year_start);
            signed.unit = unit.clone();
            lists.push((u.name.clone(), signed));
            let mut started = period(Batch::Started, year_start);
            started.unit = unit;
            lists.push((u.name.clone(), started));
        }
        let mut figures = self.figures(actor, lists).await?.into_iter();
        let mut next = || {
            figures
                .next()
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("a figure is missing")))
        };
        let signed_this_year = next()?;
        let signed_this_month = next()?;
        let big = next()?;
        let stale = next()?;
        let batches = (0..Batch::ALL.len())
            .map(|_| next())
            .collect::<Result<Vec<_>>>()?;
        let stages = (0..Stage::ALL.len())
            .map(|_| next())
            .collect::<Result<Vec<_>>>()?;
        let mut unit_rows = Vec::with_capacity(children.len());
        for u in &children {
            unit_rows.push(UnitFigures {
                name: u.name.clone(),
                all: next()?,
                signed: next()?,
                started: next()?,
            });
        }
        let stalest = self.first_of(actor, &stale.list).await?;
        Ok(LeaderStart {
            today,
            signed_this_year,
            signed_this_month,
            big,
            batches,
            stages,
            units: unit_rows,
            stale,
            stalest,
        })
    }

    /// The labelled lists counted, in their order.
    async fn figures(
        &self,
        actor: &Actor,
        lists: Vec<(String, ListParams)>,
    ) -> Result<Vec<Figure>> {
        let params: Vec<ListParams> = lists.iter().map(|(_, p)| p.clone()).collect();
        let totals = self.tally_lists(actor, &params).await?;
        Ok(lists
            .into_iter()
            .zip(totals)
            .map(|((label, list), totals)| Figure {
                label,
                list,
                totals,
            })
            .collect())
    }

    /// The first rows of a project list.
    async fn first_of(&self, actor: &Actor, params: &ListParams) -> Result<Vec<Project>> {
        let mut first = params.clone();
        first.per_page = SHORT_LIST.to_string();
        Ok(self.list_projects(actor, &first).await?.0.items)
    }

    async fn my_work(&self, actor: &Actor) -> Result<MyWork> {
        let me = actor.id.0.to_string();
        let lists = vec![
            ("我负责的项目".to_string(), list(|p| p.officer = me.clone())),
            ("我包联的项目".to_string(), list(|p| p.leader = me.clone())),
            (
                "久无进展".to_string(),
                list(|p| {
                    p.officer = me.clone();
                    p.stalled = "1".into();
                    p.sort = Sort::Stale.key().into();
                }),
            ),
        ];
        let mut figures = self.figures(actor, lists).await?.into_iter();
        let mut next = || {
            figures
                .next()
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("a figure is missing")))
        };
        let (responsible, looked_after, stalled) = (next()?, next()?, next()?);
        let stalled_projects = self.first_of(actor, &stalled.list).await?;
        let leads = self
            .counted_leads(
                actor,
                LeadParams {
                    status: "assigned".into(),
                    officer: me.clone(),
                    ..LeadParams::default()
                },
            )
            .await?;
        let quiet_leads = self
            .counted_leads(
                actor,
                LeadParams {
                    officer: me.clone(),
                    overdue: "1".into(),
                    ..LeadParams::default()
                },
            )
            .await?;
        let overdue_visits = self.owed_follow_ups(actor).await?;
        Ok(MyWork {
            responsible,
            looked_after,
            stalled,
            stalled_projects,
            leads,
            quiet_leads,
            overdue_visits,
        })
    }

    async fn department_start(&self, actor: &Actor) -> Result<DepartmentStart> {
        Ok(DepartmentStart {
            overdue_visits: self.owed_follow_ups(actor).await?,
            visits: self
                .counted_visits(
                    actor,
                    VisitParams {
                        mine: "1".into(),
                        ..VisitParams::default()
                    },
                )
                .await?,
            leads: self.submitted_leads(actor).await?,
        })
    }

    async fn enterprise_start(&self, actor: &Actor) -> Result<EnterpriseStart> {
        let (page, totals) = self
            .list_projects(
                actor,
                &list(|p| p.per_page = self.config.per_page_max.to_string()),
            )
            .await?;
        Ok(EnterpriseStart {
            projects: page.items,
            project_total: totals.count,
            leads: self.submitted_leads(actor).await?,
        })
    }

    /// The visit follow-ups this account owes that are past their day.
    async fn owed_follow_ups(&self, actor: &Actor) -> Result<Counted<Visit>> {
        self.counted_visits(
            actor,
            VisitParams {
                mine: "1".into(),
                overdue: "1".into(),
                ..VisitParams::default()
            },
        )
        .await
    }

    /// The leads this account submitted.
    async fn submitted_leads(&self, actor: &Actor) -> Result<Counted<Lead>> {
        self.counted_leads(
            actor,
            LeadParams {
                mine: "1".into(),
                ..LeadParams::default()
            },
        )
        .await
    }

    async fn counted_leads(&self, actor: &Actor, mut params: LeadParams) -> Result<Counted<Lead>> {
        params.per_page = SHORT_LIST.to_string();
        let page = self.list_leads(actor, &params).await?;
        Ok(Counted {
            total: page.total,
            filters: vec![
                ("status", params.status),
                ("officer", params.officer),
                ("overdue", params.overdue),
                ("mine", params.mine),
            ],
            items: page.items,
        })
    }

    async fn counted_visits(
        &self,
        actor: &Actor,
        mut params: VisitParams,
    ) -> Result<Counted<Visit>> {
        params.per_page = SHORT_LIST.to_string();
        let page = self.list_visits(actor, &params).await?;
        Ok(Counted {
            total: page.total,
            filters: vec![("mine", params.mine), ("overdue", params.overdue)],
            items: page.items,
        })
    }
}
