//! 拜访.

use crate::domain::dates::iso;
use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;
use time::Date;

pub struct VisitRow {
    pub id: crate::domain::ids::VisitId,
    pub direction: &'static str,
    pub date: String,
    pub place: String,
    pub investor: String,
    pub participants: String,
    pub purpose: String,
    pub follow_up: String,
    pub overdue: bool,
    pub unit_name: String,
}

impl VisitRow {
    pub fn of(v: &crate::domain::records::visit::Visit, today: Date) -> VisitRow {
        let overdue =
            crate::domain::visit::overdue(v.follow_up_on, v.follow_up_done_at.is_some(), today);
        VisitRow {
            id: v.id,
            direction: v.direction_label,
            date: iso(v.visit_date),
            place: v.place.clone(),
            investor: v
                .investor_name
                .clone()
                .unwrap_or_else(|| v.investor_side.clone()),
            participants: v
                .participants
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            purpose: v.purpose.clone(),
            follow_up: match (v.follow_up_on, &v.follow_up_done_at) {
                (Some(d), Some(_)) => format!("{}（已办结）", iso(d)),
                (Some(d), None) if overdue => {
                    format!("{}（逾期{}天）", iso(d), (today - d).whole_days())
                }
                (Some(d), None) => iso(d),
                (None, _) => "—".into(),
            },
            overdue,
            unit_name: v.unit_name.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "visits/list.html")]
pub struct VisitListPage {
    pub layout: Layout,
    pub params: crate::service::visits::VisitParams,
    pub list: Listing<VisitRow>,
    pub directions: Vec<Opt>,
    pub overdue_mine: i64,
    pub can_write: bool,
}

impl VisitListPage {
    pub fn direction_opts(current: &str) -> Vec<Opt> {
        opts(
            crate::domain::visit::Direction::ALL
                .iter()
                .map(|d| (d.key().to_string(), d.label().to_string())),
            current.trim(),
        )
    }
    pub fn overdue_on(&self) -> bool {
        matches!(self.params.overdue.trim(), "1" | "true")
    }
    pub fn mine_on(&self) -> bool {
        matches!(self.params.mine.trim(), "1" | "true")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "visits/form.html")]
pub struct VisitFormPage {
    pub layout: Layout,
    pub input: crate::domain::visit::VisitInput,
    pub directions: Vec<Opt>,
    /// (id, label, chosen)
    pub people: Vec<Opt>,
    pub leaders: Vec<Opt>,
    pub today: String,
    pub errors: Invalid,
    /// The record being changed, if this form changes one.
    pub editing: Option<Editing>,
}

impl VisitFormPage {
    pub fn build(
        layout: Layout,
        input: crate::domain::visit::VisitInput,
        people: &[crate::domain::records::user::UserRecord],
        today: Date,
        errors: Invalid,
    ) -> VisitFormPage {
        let chosen: Vec<String> = input
            .participants
            .iter()
            .flat_map(|p| p.split([',', '，']))
            .map(|p| p.trim().to_string())
            .collect();
        VisitFormPage {
            layout,
            directions: VisitListPage::direction_opts(&input.direction),
            people: people
                .iter()
                .map(|u| Opt {
                    value: u.id.to_string(),
                    label: format!("{}（{}）", u.name, u.role.label()),
                    selected: chosen.contains(&u.id.to_string()),
                })
                .collect(),
            leaders: opts(
                people
                    .iter()
                    .filter(|u| u.role == crate::domain::user::Role::Leader)
                    .map(|u| (u.id.to_string(), u.name.clone())),
                &input.leader_id,
            ),
            today: iso(today),
            input,
            errors,
            editing: None,
        }
    }
    /// The form for changing record `id`, read at `version`.
    pub fn editing(
        mut self,
        id: crate::domain::ids::VisitId,
        version: i64,
        conflict: Option<String>,
    ) -> VisitFormPage {
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

#[derive(Template, WebTemplate)]
#[template(path = "visits/detail.html")]
pub struct VisitDetailPage {
    pub layout: Layout,
    pub v: crate::domain::records::visit::Visit,
    pub overdue: bool,
    pub can_write: bool,
    pub flash: Option<String>,
    pub problem: Option<String>,
    pub typed_outcome: String,
    pub errors: Invalid,
}

impl VisitDetailPage {
    pub fn err(&self, field: &str) -> &str {
        self.errors.message_for(field).unwrap_or("")
    }
    pub fn participants(&self) -> String {
        self.v
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
    pub fn date(&self) -> String {
        iso(self.v.visit_date)
    }
    pub fn follow_up(&self) -> String {
        self.v.follow_up_on.map(iso).unwrap_or_else(|| "—".into())
    }
}
