//! Accounts, roles and the unit tree's scope rule.

use super::ids::{UnitId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A new account: the system administrator created it, and until the security administrator
    /// gives it a role it may do nothing but change its password.
    Pending,
    Leader,
    Officer,
    Department,
    Enterprise,
    Sysadmin,
    Secadmin,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Pending,
        Role::Leader,
        Role::Officer,
        Role::Department,
        Role::Enterprise,
        Role::Sysadmin,
        Role::Secadmin,
        Role::Auditor,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Pending => "pending",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Department => "department",
            Role::Enterprise => "enterprise",
            Role::Sysadmin => "sysadmin",
            Role::Secadmin => "secadmin",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The roles the security administrator gives from the pages and the API: the business
    /// ones. The three administrators are made on the server's command line only.
    pub fn assignable(self) -> bool {
        !(self.is_administrator() || self == Role::Pending)
    }

    /// May read projects: of the own unit subtree, or for an enterprise its own projects.
    pub fn reads_projects(self) -> bool {
        matches!(
            self,
            Role::Leader | Role::Officer | Role::Department | Role::Enterprise
        )
    }

    /// May create and edit projects and move them through stages.
    /// The three separated administrator roles (三员): system, security, audit. None of them
    /// reads or writes business data; an account holds one role only, so never two of them.
    pub fn is_administrator(self) -> bool {
        matches!(self, Role::Sysadmin | Role::Secadmin | Role::Auditor)
    }

    pub fn writes_projects(self) -> bool {
        self.does_casework()
    }

    /// A business role: the units' staff or an enterprise (which submits leads, 以商招商, and
    /// reads its own 客商库 record).
    pub fn is_business(self) -> bool {
        self.is_staff() || self == Role::Enterprise
    }

    /// The units' staff: they read the units' working records (leads, visits, events,
    /// referrers, the 客商库) within their subtree.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Leader | Role::Officer | Role::Department)
    }

    /// Record and change the working records (officers and leaders).
    pub fn does_casework(self) -> bool {
        matches!(self, Role::Leader | Role::Officer)
    }
}

/// A unit's place in the tree: `/1/4/9/` lists the ids from the root down to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPath(pub String);

impl UnitPath {
    pub fn root(id: UnitId) -> UnitPath {
        UnitPath(format!("/{id}/"))
    }
    pub fn child(&self, id: UnitId) -> UnitPath {
        UnitPath(format!("{}{id}/", self.0))
    }
    /// True when `other` is this unit or below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }
    /// The lowest unit above (or at) both this unit and `other`, as a path: whom two units ask
    /// about what they share.
    pub fn shared_with(&self, other: &UnitPath) -> UnitPath {
        let shared: Vec<&str> = self
            .0
            .trim_matches('/')
            .split('/')
            .zip(other.0.trim_matches('/').split('/'))
            .take_while(|(a, b)| a == b && !a.is_empty())
            .map(|(a, _)| a)
            .collect();
        if shared.is_empty() {
            UnitPath(String::new())
        } else {
            UnitPath(format!("/{}/", shared.join("/")))
        }
    }

    /// The unit this path ends at.
    pub fn unit(&self) -> Option<UnitId> {
        self.0
            .trim_matches('/')
            .rsplit('/')
            .next()
            .and_then(|id| id.parse().ok())
            .map(UnitId)
    }

    /// The LIKE pattern matching this unit and its descendants.
    pub fn subtree_pattern(&self) -> String {
        format!("{}%", self.0)
    }
}

/// The signed-in account as every service call sees it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub unit_id: UnitId,
    pub unit_path: UnitPath,
    /// Signed in with a one-time password: only changing it is allowed.
    pub must_change_password: bool,
    /// Where the request came from (IP address), when known; recorded in the audit trail.
    pub client_addr: Option<String>,
    /// The token this session's forms carry against cross-site requests (derived from the
    /// session; empty where there is no session, as in the command line).
    pub form_token: String,
    /// An enterprise account's own investor record: the only projects it sees are that
    /// investor's.
    pub investor_id: Option<super::ids::InvestorId>,
}

/// Sign-in attempts from one client address within the last minute, to refuse floods.
#[derive(Debug, Clone, Default)]
pub struct AttemptWindow {
    /// Unix seconds of recent attempts, oldest first.
    recent: std::collections::VecDeque<i64>,
}

impl AttemptWindow {
    /// Records an attempt at `now` unless `per_minute` were already made in the last 60 s.
    pub fn allow(&mut self, now: i64, per_minute: usize) -> bool {
        while self.recent.front().is_some_and(|t| now - t >= 60) {
            self.recent.pop_front();
        }
        if self.recent.len() >= per_minute {
            return false;
        }
        self.recent.push_back(now);
        true
    }

    pub fn is_idle(&self, now: i64) -> bool {
        self.recent.back().is_none_or(|t| now - t >= 60)
    }
}

/// The longest unit name, in characters.
pub const UNIT_NAME_MAX: usize = 50;

/// What is wrong with a unit name (already trimmed), if anything.
pub fn unit_name_problem(name: &str) -> Option<String> {
    (name.is_empty() || name.chars().count() > UNIT_NAME_MAX)
        .then(|| format!("单位名称不能为空，且不超过{UNIT_NAME_MAX}个字"))
}

/// Unit codes are short identifiers used on the command line and in imports.
pub fn unit_code_problem(code: &str) -> Option<&'static str> {
    let well_formed = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (!well_formed).then_some("单位代码不能为空，只能由不超过32个字母、数字、下划线和连字符组成")
}

/// After a failed sign-in: the Unix second until which the account is locked, when this failure
/// makes `attempts` in a row.
pub fn lock_after_failure(
    failed_before: i64,
    attempts: i64,
    minutes: i64,
    now: i64,
) -> Option<i64> {
    (failed_before + 1 >= attempts).then_some(now + minutes * 60)
}

/// What an administrator needs to know of an account at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    Disabled,
    Locked,
    /// Holds a one-time password it has not yet replaced.
    AwaitingNewPassword,
    Normal,
}

impl AccountState {
    pub fn of(active: bool, locked: bool, must_change_password: bool) -> AccountState {
        match (active, locked, must_change_password) {
            (false, _, _) => AccountState::Disabled,
            (true, true, _) => AccountState::Locked,
            (true, false, true) => AccountState::AwaitingNewPassword,
            (true, false, false) => AccountState::Normal,
        }
    }
}

/// Whether an account is locked at `now`.
pub fn is_locked(locked_until: Option<i64>, now: i64) -> bool {
    locked_until.is_some_and(|until| now < until)
}

/// Password rule: at least 8 characters, 3 of 4 character classes, not the login.
pub fn password_problem(login: &str, password: &str) -> Option<&'static str> {
    if password.chars().count() < 8 {
        return Some("密码至少8位");
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Some("密码须包含大写字母、小写字母、数字、符号中的至少三类");
    }
    if password.eq_ignore_ascii_case(login) {
        return Some("密码不能与账号相同");
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_units_share_the_lowest_unit_above_both() {
        let path = |p: &str| UnitPath(p.to_string());
        assert_eq!(path("/1/4/9/").shared_with(&path("/1/5/")), path("/1/"));
        assert_eq!(path("/1/4/9/").shared_with(&path("/1/4/")), path("/1/4/"));
        assert_eq!(path("/1/4/").shared_with(&path("/2/")), path(""));
        assert_eq!(path("/1/4/").unit(), Some(UnitId(4)));
        assert_eq!(path("").unit(), None);
    }

    use super::*;

    #[test]
    fn attempts_beyond_the_limit_per_minute_are_refused_until_the_minute_passes() {
        let mut w = AttemptWindow::default();
        assert!(w.allow(100, 2));
        assert!(w.allow(110, 2));
        assert!(!w.allow(159, 2));
        assert!(w.allow(160, 2));
        assert!(!w.is_idle(200));
        assert!(w.is_idle(230));
    }

    #[test]
    fn subtree_contains_descendants_only() {
        let county = UnitPath::root(UnitId(1));
        let park = county.child(UnitId(4));
        let team = park.child(UnitId(12));
        let other = UnitPath::root(UnitId(14));
        assert!(county.contains(&team));
        assert!(park.contains(&park));
        assert!(!park.contains(&county));
        assert!(!county.contains(&other));
        // `/1/` must not match `/14/`.
        assert!(!UnitPath::root(UnitId(1)).contains(&UnitPath::root(UnitId(14))));
    }

    #[test]
    fn password_policy() {
        assert!(password_problem("alice", "short1A").is_some());
        assert!(password_problem("alice", "alllowercase").is_some());
        assert!(password_problem("Alice2026!", "alice2026!").is_some());
        assert!(password_problem("alice", "Zhaoshang-2026").is_none());
    }
}
