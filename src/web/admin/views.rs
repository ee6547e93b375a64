//! Pages of the administrators: units and accounts.

use crate::domain::validation::Invalid;
use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;

pub struct AdminUnitRow {
    pub id: i64,
    pub code: String,
    pub indent: String,
    pub name: String,
    pub state: &'static str,
    pub retired: bool,
    /// The 修改 form: its values (typed ones after a refusal) and whether it is open.
    pub edit_name: String,
    pub edit_parent: Vec<Opt>,
    pub open: bool,
}

pub struct AdminAccountRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub unit: String,
    pub state: &'static str,
    pub active: bool,
    pub locked: bool,
    /// Actions on it are offered: not the administrator's own account, and not one of the three
    /// administrators' (managed on the server's command line only).
    pub managed: bool,
    /// Why no actions are offered, when none are.
    pub unmanaged_note: &'static str,
    /// The security administrator's 分配 form.
    pub edit_roles: Vec<Opt>,
    pub edit_units: Vec<Opt>,
    pub edit_enterprise: String,
    pub open: bool,
}

/// Which of the page's forms was refused, so its fields show their messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AdminForm {
    #[default]
    None,
    NewUnit,
    NewAccount,
    Unit(i64),
    Account(i64),
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub layout: Layout,
    pub sysadmin: bool,
    pub secadmin: bool,
    pub units: Vec<AdminUnitRow>,
    pub accounts: Vec<AdminAccountRow>,
    pub new_unit_code: String,
    pub new_unit_name: String,
    pub new_unit_parents: Vec<Opt>,
    pub new_account_login: String,
    pub new_account_name: String,
    pub new_account_units: Vec<Opt>,
    pub failed: AdminForm,
    pub errors: Invalid,
    pub flash: Option<String>,
    pub problem: Option<String>,
}

impl AdminPage {
    /// The message for a field of the refused form, or "".
    pub fn err(&self, form: AdminForm, field: &str) -> &str {
        if form == self.failed {
            self.errors.message_for(field).unwrap_or("")
        } else {
            ""
        }
    }
}

/// An account's one-time password, shown once after it is created or reset.
#[derive(Template, WebTemplate)]
#[template(path = "admin_password.html")]
pub struct OneTimePasswordPage {
    pub layout: Layout,
    pub login: String,
    pub name: String,
    pub created: bool,
    pub password: String,
}
