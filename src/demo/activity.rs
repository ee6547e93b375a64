//! The demo county's working records beside its projects: leads at every step, visits (one
//! follow-up overdue), events with the projects signed there on their signing day, investors'
//! contacts — so that no menu is empty on first look. Loaded through the use cases, like the
//! projects.

use super::seed_error;
use crate::domain::ids::{InvestorId, UserId};
use crate::domain::investor::ContactInput;
use crate::error::Result;
use crate::service::App;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Activity {
    leads: Vec<SeedLead>,
    visits: Vec<SeedVisit>,
    events: Vec<SeedEvent>,
    /// (investor name, contact name, title, phone)
    contacts: Vec<(String, String, String, String)>,
    /// 客商库 records no project names yet: (name, kind, industry, unit code)
    extra_investors: Vec<(String, String, String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedLead {
    by: String,
    title: String,
    investor_name: String,
    industry_code: String,
    amount_wan: String,
    channel: String,
    source: String,
    assign_to: Option<String>,
    #[serde(default)]
    notes: Vec<(String, String)>,
    drop: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedVisit {
    by: String,
    direction: String,
    visit_date: String,
    place: String,
    investor: Option<String>,
    investor_side: String,
    participants: Vec<String>,
    leader: Option<String>,
    purpose: String,
    outcome: String,
    next_step: String,
    follow_up_on: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedEvent {
    by: String,
    kind: String,
    title: String,
    held_on: String,
    city: String,
    organiser: String,
    #[serde(default)]
    delegation: String,
    met: Vec<String>,
    /// (project name, amount in 万元)
    signings: Vec<(String, String)>,
}

impl Activity {
    /// The contacts the seed gives an investor, as its form would carry them.
    pub(super) fn contacts_of(&self, investor: &str) -> Vec<ContactInput> {
        self.contacts
            .iter()
            .filter(|(name, ..)| name == investor)
            .map(|(_, person, title, phone)| ContactInput {
                name: person.clone(),
                title: title.clone(),
                phone: phone.clone(),
                ..ContactInput::default()
            })
            .collect()
    }
}

impl App {
    pub(super) async fn load_activity(
        &self,
        activity: &Activity,
        investors: &mut HashMap<String, InvestorId>,
        users: &HashMap<String, UserId>,
    ) -> Result<()> {
        let mut conn = self.db.pool.acquire().await?;
        let leader = self.actor_by_login(&mut conn, "leader").await?;
        let user = |login: &str| -> Result<UserId> {
            users
                .get(login)
                .copied()
                .ok_or_else(|| seed_error(format!("user {login}")))
        };
        for (name, kind, industry, unit) in &activity.extra_investors {
            let unit = crate::store::units::by_code(&mut conn, unit)
                .await?
                .ok_or_else(|| seed_error(format!("unit {unit}")))?;
            let fields = crate::domain::investor::InvestorInput {
                name: name.clone(),
                kind: kind.clone(),
                industry_code: industry.clone(),
                contacts: activity.contacts_of(name),
                ..Default::default()
            }
            .parse()
            .map_err(|e| seed_error(format!("investor {name}: {}", e.summary())))?;
            let created = self
                .create_investor(&leader, &fields, Some(unit.id), true)
                .await?;
            investors.insert(name.clone(), created.id);
        }
        for l in &activity.leads {
            let by = self.actor_by_login(&mut conn, &l.by).await?;
            // Learned of a week before it was first followed up (or today, if never yet).
            let received_on = l
                .notes
                .iter()
                .filter_map(|(date, _)| crate::domain::dates::parse_date(date))
                .min()
                .map(|d| crate::domain::dates::iso(d - time::Duration::days(7)))
                .unwrap_or_default();
            let fields = crate::domain::lead::LeadInput {
                received_on,
                title: l.title.clone(),
                investor_name: l.investor_name.clone(),
                // Linked to a 客商库 record when it is converted, by whoever works it.
                industry_code: l.industry_code.clone(),
                amount: l.amount_wan.clone(),
                channel: l.channel.clone(),
                source: l.source.clone(),
                ..Default::default()
            }
            .parse()
            .map_err(|e| seed_error(format!("lead {}: {}", l.title, e.summary())))?;
            let lead = self.submit_lead(&by, &fields).await?;
            if let Some(officer) = &l.assign_to {
                let to = self.actor_by_login(&mut conn, officer).await?;
                self.assign_lead(
                    &leader,
                    lead.id,
                    &to.unit_id.to_string(),
                    &to.id.to_string(),
                    None,
                )
                .await?;
                for (date, body) in &l.notes {
                    self.note_lead(&to, lead.id, body, date).await?;
                }
            }
            if let Some(reason) = &l.drop {
                self.drop_lead(&by, lead.id, reason, None).await?;
            }
        }
        let today = self.today();
        for v in &activity.visits {
            let by = self.actor_by_login(&mut conn, &v.by).await?;
            let fields = crate::domain::visit::VisitInput {
                direction: v.direction.clone(),
                visit_date: v.visit_date.clone(),
                place: v.place.clone(),
                investor_id: v
                    .investor
                    .as_ref()
                    .and_then(|n| investors.get(n))
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                investor_side: v.investor_side.clone(),
                participants: v
                    .participants
                    .iter()
                    .map(|p| user(p).map(|id| id.to_string()))
                    .collect::<Result<_>>()?,
                leader_id: match &v.leader {
                    Some(l) => user(l)?.to_string(),
                    None => String::new(),
                },
                purpose: v.purpose.clone(),
                outcome: v.outcome.clone(),
                next_step: v.next_step.clone(),
                follow_up_on: v.follow_up_on.clone(),
            }
            .parse(today)
            .map_err(|e| seed_error(format!("visit {}: {}", v.purpose, e.summary())))?;
            self.record_visit(&by, &fields).await?;
        }
        for e in &activity.events {
            let by = self.actor_by_login(&mut conn, &e.by).await?;
            let fields = crate::domain::event::EventInput {
                kind: e.kind.clone(),
                title: e.title.clone(),
                held_on: e.held_on.clone(),
                city: e.city.clone(),
                organiser: e.organiser.clone(),
                delegation: e.delegation.clone(),
                notes: String::new(),
            }
            .parse(today)
            .map_err(|err| seed_error(format!("event {}: {}", e.title, err.summary())))?;
            let detail = self.record_event(&by, &fields).await?;
            let id = detail.event.id;
            for name in &e.met {
                let investor = investors
                    .get(name)
                    .ok_or_else(|| seed_error(format!("investor {name}")))?;
                self.event_met(&by, id, &investor.to_string()).await?;
            }
            for (project, amount) in &e.signings {
                self.event_signed(&by, id, project, amount, "CNY", "contracted")
                    .await
                    .map_err(|err| seed_error(format!("signing {project}: {err}")))?;
            }
        }
        Ok(())
    }
}
