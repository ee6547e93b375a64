//! Contract records for the demo's signed projects, in step with their history: a project that
//! started had agreed to start a month after it did (one in four a month before: late), one
//! not started yet a year after its signing; production a year after the start; land priced at
//! 5% of the contract; funds arriving as the project starts and produces — so the 履约监管
//! page has something to show on first look, on time and late.

use crate::domain::contract::input::TermsInput;
use crate::domain::dates::{iso, parse_date};
use crate::domain::ids::ProjectId;
use crate::domain::money::Money;
use crate::domain::user::Actor;
use crate::error::Result;
use crate::service::App;
use crate::service::contracts::DatedInput;
use time::Duration;

/// What the seed's history says of a signed project: the day and amount of its signing, and
/// the days it started and produced.
pub(super) struct Signed {
    pub on: String,
    pub started: Option<String>,
    pub producing: Option<String>,
}

impl App {
    pub(super) async fn seed_contract(
        &self,
        actor: &Actor,
        id: ProjectId,
        s: &Signed,
    ) -> Result<()> {
        let Some(signed_on) = parse_date(&s.on) else {
            return Ok(());
        };
        let project = self.get_project(actor, id).await?;
        let Some(amount) = project.contract_amount else {
            return Ok(());
        };
        let start = match s.started.as_deref().and_then(parse_date) {
            Some(started) if id.0 % 4 == 0 => started - Duration::days(30),
            Some(started) => started + Duration::days(30),
            None => signed_on + Duration::days(365),
        }
        .max(signed_on);
        let terms = TermsInput {
            start_deadline: iso(start),
            production_deadline: iso(start + Duration::days(365)),
            land_price: Some(Money::new(amount.yuan / 20, amount.currency)),
            ..TermsInput::default()
        };
        let view = self
            .put_contract(actor, id, Some(project.version), None, &terms)
            .await?;
        let mut version = view.project.version;
        let today = self.today();
        for (day, share, source) in [(&s.started, 40, "自有资金"), (&s.producing, 40, "银行贷款")]
        {
            let Some(day) = day.as_deref().and_then(parse_date).filter(|d| *d <= today) else {
                continue;
            };
            let funds = DatedInput {
                date: &iso(day),
                amount: Some(Money::new(amount.yuan * share / 100, amount.currency)),
                text: source,
            };
            version = self
                .add_dated_money(actor, id, Some(version), &funds, false)
                .await?
                .project
                .version;
        }
        Ok(())
    }
}
