//! Demo data, apart from the use cases: a county's units, accounts and ~50 projects drawn from
//! the source reports (`seed.json` beside this file), loaded through the same use cases as real
//! input; and, in `synthetic`, projects in bulk for scale tests.

mod activity;
mod contracts;
mod synthetic;

#[cfg(test)]
use crate::domain::dates::parse_date;
use crate::domain::ids::{ProjectId, UserId};
use crate::domain::investor::InvestorInput;
use crate::domain::project::ProjectInput;
use crate::domain::transition::TransitionInput;
use crate::domain::user::{Actor, Role};
use crate::error::{Error, Result};
use crate::service::App;
use crate::store::{units, users};
use serde::Deserialize;

const SEED: &str = include_str!("seed.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Seed {
    units: Vec<SeedUnit>,
    users: Vec<SeedUser>,
    projects: Vec<SeedProject>,
    #[serde(default)]
    activity: activity::Activity,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedUnit {
    code: String,
    name: String,
    parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedUser {
    login: String,
    name: String,
    role: String,
    unit: String,
    /// An enterprise account's investor, by the name its projects give.
    investor: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedProject {
    name: String,
    investor_name: String,
    industry_code: String,
    channel: String,
    total_investment_wan: String,
    currency: String,
    land_area_mu: Option<String>,
    building_area_m2: Option<i64>,
    expected_output_wan: Option<String>,
    expected_tax_wan: Option<String>,
    jobs: Option<i64>,
    unit: String,
    officer: Option<String>,
    leader: Option<String>,
    referrer: Option<String>,
    notes: Option<String>,
    history: Vec<SeedEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedEvent {
    date: String,
    note: Option<String>,
    to: Option<String>,
    contract_amount_wan: Option<String>,
    credit_code: Option<String>,
    land_grant_date: Option<String>,
    reason: Option<String>,
}

/// The accounts the demo created, to print.
pub struct DemoAccounts {
    pub logins: Vec<(String, String, String)>,
}

fn seed_error(what: String) -> Error {
    Error::Internal(anyhow::anyhow!("demo seed: {what}"))
}

impl App {
    /// Loads the demo county on an empty database. Every account gets `password`.
    pub async fn load_demo(&self, password: &str) -> Result<DemoAccounts> {
        let seed: Seed = serde_json::from_str(SEED).map_err(|e| seed_error(e.to_string()))?;
        for u in &seed.units {
            self.add_unit(&u.code, &u.name, u.parent.as_deref()).await?;
        }
        let mut logins = Vec::new();
        for u in &seed.users {
            let role =
                Role::parse(&u.role).ok_or_else(|| seed_error(format!("role {}", u.role)))?;
            self.add_user(&u.login, &u.name, role, &u.unit, password, false)
                .await?;
            logins.push((u.login.clone(), u.name.clone(), role.label().to_string()));
        }
        let mut conn = self.db.pool.acquire().await?;
        let leader = self.actor_by_login(&mut conn, "leader").await?;
        let mut investor_ids: std::collections::HashMap<String, crate::domain::ids::InvestorId> =
            std::collections::HashMap::new();
        let mut referrer_ids: std::collections::HashMap<String, crate::domain::ids::ReferrerId> =
            std::collections::HashMap::new();
        let mut user_ids = std::collections::HashMap::new();
        for u in &seed.users {
            if let Some(r) = users::by_login(&mut conn, &u.login).await? {
                user_ids.insert(u.login.clone(), r.id);
            }
        }
        for p in &seed.projects {
            let unit = units::by_code(&mut conn, &p.unit)
                .await?
                .ok_or_else(|| seed_error(format!("unit {}", p.unit)))?;
            let id_of = |login: &Option<String>| -> String {
                login
                    .as_ref()
                    .and_then(|l| user_ids.get(l))
                    .map(|id: &UserId| id.to_string())
                    .unwrap_or_default()
            };
            // One 客商库 record per investor the projects name, kept by the project's unit; the
            // code is the one registered on landing, else a synthetic one with a valid checksum.
            let investor_id = match investor_ids.get(&p.investor_name) {
                Some(id) => *id,
                None => {
                    let landed_code = p.history.iter().find_map(|e| e.credit_code.clone());
                    let code = landed_code.unwrap_or_else(|| {
                        let n = investor_ids.len() as u64 + 1;
                        crate::domain::credit_code::CreditCode::with_checksum(&format!(
                            "9113022{:010}",
                            n * 7_919
                        ))
                        .map(|c| c.to_string())
                        .unwrap_or_default()
                    });
                    let record = InvestorInput {
                        name: p.investor_name.clone(),
                        credit_code: code,
                        kind: "private".into(),
                        industry_code: p.industry_code.clone(),
                        contacts: seed.activity.contacts_of(&p.investor_name),
                        ..InvestorInput::default()
                    }
                    .parse()
                    .map_err(|e| seed_error(format!("investor {}: {e:?}", p.investor_name)))?;
                    let created = self
                        .create_investor(&leader, &record, Some(unit.id), true)
                        .await
                        .map_err(|e| seed_error(format!("investor {}: {e}", p.investor_name)))?;
                    investor_ids.insert(p.investor_name.clone(), created.id);
                    created.id
                }
            };
            // One 引荐人 record per referrer the seed names, kept by the project's unit.
            let referrer_id = match &p.referrer {
                None => String::new(),
                Some(name) => match referrer_ids.get(name) {
                    Some(id) => id.to_string(),
                    None => {
                        let record = crate::domain::referrer::ReferrerInput {
                            kind: if name.contains("商会")
                                || name.contains("协会")
                                || name.contains("办事处")
                            {
                                "organisation".into()
                            } else {
                                "person".into()
                            },
                            name: name.clone(),
                            ..Default::default()
                        }
                        .parse()
                        .map_err(|e| seed_error(format!("referrer {name}: {e:?}")))?;
                        let created = self
                            .create_referrer(&leader, &record, Some(unit.id))
                            .await
                            .map_err(|e| seed_error(format!("referrer {name}: {e}")))?;
                        referrer_ids.insert(name.clone(), created.id);
                        created.id.to_string()
                    }
                },
            };
            let input = ProjectInput {
                name: p.name.clone(),
                investor_name: p.investor_name.clone(),
                industry_code: p.industry_code.clone(),
                channel: p.channel.clone(),
                total_investment: p.total_investment_wan.clone(),
                currency: p.currency.clone(),
                land_area: p.land_area_mu.clone().unwrap_or_default(),
                land_area_m2: String::new(),
                building_area: p
                    .building_area_m2
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                expected_output: p.expected_output_wan.clone().unwrap_or_default(),
                expected_tax: p.expected_tax_wan.clone().unwrap_or_default(),
                jobs: p.jobs.map(|j| j.to_string()).unwrap_or_default(),
                unit_id: unit.id.to_string(),
                officer_id: id_of(&p.officer),
                leader_id: id_of(&p.leader),
                referrer: p.referrer.clone().unwrap_or_default(),
                notes: p.notes.clone().unwrap_or_default(),
                investor_id: investor_id.to_string(),
                referrer_id,
            };
            // The officer in charge records the project when the unit is theirs; else the leader.
            let actor = match &p.officer {
                Some(login) => {
                    let a = self.actor_by_login(&mut conn, login).await?;
                    if a.unit_path.contains(&unit.path) {
                        a
                    } else {
                        leader.clone()
                    }
                }
                None => leader.clone(),
            };
            let first = p
                .history
                .first()
                .map(|e| e.date.clone())
                .unwrap_or_default();
            let fields = input
                .parse()
                .map_err(|e| seed_error(format!("{}: {}", p.name, e.summary())))?;
            let first = crate::domain::project::entry_date(&first, self.today())
                .map_err(|e| seed_error(format!("{}: {}", p.name, e.summary())))?;
            // An officer may not reach every leader the seed names; the county leader can.
            let (actor, created) = match self.create_project(&actor, &fields, first, true).await {
                Err(Error::Invalid(_)) if actor.id != leader.id => (
                    leader.clone(),
                    self.create_project(&leader, &fields, first, true).await,
                ),
                other => (actor, other),
            };
            let project = created.map_err(|e| seed_error(format!("{}: {e}", p.name)))?;
            self.replay_history(&actor, project.id, &p.currency, &p.history)
                .await?;
            let entered = |stage: &str| {
                p.history
                    .iter()
                    .find(|e| e.to.as_deref() == Some(stage))
                    .map(|e| e.date.clone())
            };
            if let Some(on) = entered("contracted") {
                let signed = contracts::Signed {
                    on,
                    started: entered("construction"),
                    producing: entered("production"),
                };
                self.seed_contract(&actor, project.id, &signed)
                    .await
                    .map_err(|e| seed_error(format!("{} contract: {e}", p.name)))?;
            }
        }
        for u in &seed.users {
            if let Some(name) = &u.investor {
                let investor = investor_ids
                    .get(name)
                    .ok_or_else(|| seed_error(format!("investor {name} of {}", u.login)))?;
                let user = user_ids
                    .get(&u.login)
                    .ok_or_else(|| seed_error(format!("user {}", u.login)))?;
                users::set_investor(&mut conn, *user, Some(*investor)).await?;
            }
        }
        drop(conn);
        self.load_activity(&seed.activity, &mut investor_ids, &user_ids)
            .await?;
        Ok(DemoAccounts { logins })
    }

    async fn replay_history(
        &self,
        actor: &Actor,
        id: ProjectId,
        currency: &str,
        history: &[SeedEvent],
    ) -> Result<()> {
        for e in history {
            if let Some(body) = &e.note {
                self.add_note(actor, id, body, &e.date)
                    .await
                    .map_err(|err| seed_error(format!("note {body}: {err}")))?;
            }
            if let Some(to) = &e.to {
                let input = TransitionInput {
                    to: to.clone(),
                    date: e.date.clone(),
                    contract_amount: e.contract_amount_wan.clone().unwrap_or_default(),
                    contract_currency: currency.to_string(),
                    credit_code: e.credit_code.clone().unwrap_or_default(),
                    land_grant_date: e.land_grant_date.clone().unwrap_or_default(),
                    reason: e.reason.clone().unwrap_or_default(),
                };
                let request = input
                    .parse()
                    .map_err(|err| seed_error(format!("project {id} → {to}: {}", err.summary())))?;
                self.transition_project(actor, id, &request, None)
                    .await
                    .map_err(|err| seed_error(format!("project {id} → {to}: {err}")))?;
            }
        }
        Ok(())
    }

    async fn actor_by_login(&self, conn: &mut crate::store::Conn, login: &str) -> Result<Actor> {
        let u = users::by_login(conn, login)
            .await?
            .ok_or_else(|| seed_error(format!("user {login}")))?;
        Ok(Actor {
            id: u.id,
            login: u.login,
            name: u.name,
            role: u.role,
            unit_id: u.unit_id,
            unit_path: u.unit_path,
            must_change_password: u.must_change_password,
            client_addr: None,
            form_token: String::new(),
            investor_id: u.investor_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_parses_and_its_dates_are_valid() {
        let seed: Seed = serde_json::from_str(SEED).unwrap();
        assert!(seed.projects.len() >= 40);
        assert!(
            seed.users
                .iter()
                .any(|u| u.login == "leader" && u.role == "leader")
        );
        assert!(
            seed.users
                .iter()
                .any(|u| u.login == "officer" && u.role == "officer")
        );
        for p in &seed.projects {
            for e in &p.history {
                assert!(parse_date(&e.date).is_some(), "{}: {}", p.name, e.date);
            }
        }
    }
}
