//! 招商活动.

use crate::domain::dates::iso;
use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "events/list.html")]
pub struct EventListPage {
    pub layout: Layout,
    pub list: Listing<crate::domain::records::event::PromotionEvent>,
    pub kinds: Vec<Opt>,
    pub can_write: bool,
}

impl EventListPage {
    pub fn kind_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::event::EventKind::ALL
                .iter()
                .map(|k| (k.key().to_string(), k.label().to_string())),
            current.trim(),
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "events/form.html")]
pub struct EventFormPage {
    pub layout: Layout,
    pub input: crate::domain::event::EventInput,
    pub kinds: Vec<Opt>,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl EventFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::event::EventInput,
        errors: Invalid,
    ) -> EventFormPage {
        EventFormPage {
            layout,
            kinds: EventListPage::kind_opts(&input.kind),
            input,
            errors,
            editing: None,
        }
    }
    /// The form for changing record `id`, read at `version`.
    pub fn editing(
        mut self,
        id: crate::domain::ids::EventId,
        version: i64,
        conflict: Option<String>,
    ) -> EventFormPage {
        self.editing = Some(Editing {
            id: id.0,
            version,
            conflict,
        });
        self
    }

    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
}

pub struct SigningRow {
    pub project_id: i64,
    pub project_name: String,
    pub investor_name: String,
    pub amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "events/detail.html")]
pub struct EventDetailPage {
    pub layout: Layout,
    pub e: crate::domain::records::event::PromotionEvent,
    pub investors: Vec<crate::domain::records::event::MetInvestor>,
    /// Met, but kept outside the caller's scope: counted, not named.
    pub investors_elsewhere: usize,
    pub signings: Vec<SigningRow>,
    pub totals: crate::service::events::EventTotals,
    pub currencies: Vec<Opt>,
    pub can_write: bool,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub open_form: &'static str,
    pub typed: std::collections::HashMap<String, String>,
    pub errors: Invalid,
    /// Suggestions for the "choose by name" fields ("名称 #编号").
    pub project_choices: Vec<String>,
    pub investor_choices: Vec<String>,
}

impl EventDetailPage {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        layout: Layout,
        d: crate::service::events::EventDetail,
        can_write: bool,
        flash: Option<String>,
        open_form: &'static str,
        typed: std::collections::HashMap<String, String>,
        errors: Invalid,
        problem: Option<String>,
    ) -> EventDetailPage {
        EventDetailPage {
            layout,
            signings: d
                .signings
                .iter()
                .map(|s| SigningRow {
                    project_id: s.project_id.0,
                    project_name: s.project_name.clone(),
                    investor_name: s.investor_name.clone(),
                    amount: s.amount.display(),
                })
                .collect(),
            currencies: currency_opts(typed.get("currency").map_or("", String::as_str)),
            investors: d.investors,
            investors_elsewhere: d.investors_elsewhere,
            totals: d.totals,
            e: d.event,
            can_write,
            flash,
            problem,
            open_form,
            typed,
            errors,
            project_choices: Vec::new(),
            investor_choices: Vec::new(),
        }
    }
    pub fn err(&self, form: &str, field: &str) -> &str {
        if form == self.open_form {
            self.errors.message_for(field).unwrap_or("")
        } else {
            ""
        }
    }
    pub fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
    pub fn held_on(&self) -> String {
        iso(self.e.held_on)
    }
}
