//! An account as read back: who it is, what it may do, and the state of its sign-ins.

use crate::domain::ids::{InvestorId, UnitId, UserId};
use crate::domain::user::{Role, UnitPath};

/// An account. Its password hash never leaves the service layer's sign-in checks.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub unit_id: UnitId,
    pub unit_path: UnitPath,
    pub password_hash: String,
    pub active: bool,
    pub failed_sign_ins: i64,
    /// Unix seconds until which sign-in is refused.
    pub locked_until: Option<i64>,
    /// A one-time password: nothing but changing it is allowed until it is changed.
    pub must_change_password: bool,
    /// For an enterprise account: the investor record it speaks for.
    pub investor_id: Option<InvestorId>,
}
