//! The administrators' work (三员分立): the system administrator keeps the unit tree and the
//! accounts; the security administrator assigns roles and units and unlocks accounts. Neither
//! reads business data. Every refusal lands in the audit trail.

use super::App;
use super::auth::hash_password;
use super::setup::generated_password;
use crate::domain::credit_code::CreditCode;
use crate::domain::ids::{InvestorId, UserId};
use crate::domain::user::{AccountState, Actor, Role, unit_name_problem};
use crate::domain::validation::Invalid;
use crate::error::{Error, Result};
use crate::store::units::Unit;
use crate::store::{audit, investors, now_text, sessions, units, users};
use serde::Serialize;
use serde_json::json;

/// An account as the administrators see it (never its password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub role_label: &'static str,
    pub unit_id: i64,
    pub active: bool,
    pub locked: bool,
    pub must_change_password: bool,
    pub state: AccountState,
}

impl AccountView {
    fn of(u: &users::UserRecord, now: i64) -> AccountView {
        let locked = crate::domain::user::is_locked(u.locked_until, now);
        AccountView {
            id: u.id,
            login: u.login.clone(),
            name: u.name.clone(),
            role: u.role.key(),
            role_label: u.role.label(),
            unit_id: u.unit_id.0,
            active: u.active,
            locked,
            must_change_password: u.must_change_password,
            state: AccountState::of(u.active, locked, u.must_change_password),
        }
    }
}

impl App {
    /// Refuses `actor` unless it holds one of `roles`; the refusal is audited.
    async fn require(&self, actor: &Actor, roles: &[Role], what: &'static str) -> Result<()> {
        let outcome = if roles.contains(&actor.role) {
            Ok(())
        } else {
            let allowed: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            Err(Error::Forbidden(format!(
                "只有{}可以{what}",
                allowed.join("或")
            )))
        };
        self.refusal_recorded(actor, "admin", what, None, outcome)
    }

    pub async fn admin_units(&self, actor: &Actor) -> Result<Vec<Unit>> {
        self.require(actor, &[Role::Sysadmin, Role::Secadmin], "查看单位")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        Ok(units::all(&mut conn).await?)
    }

    pub async fn admin_create_unit(
        &self,
        actor: &Actor,
        code: &str,
        name: &str,
        parent_code: Option<&str>,
    ) -> Result<Unit> {
        self.require(actor, &[Role::Sysadmin], "创建单位").await?;
        // The tree has one top: every unit made here sits under another.
        let Some(parent_code) = parent_code.map(str::trim).filter(|p| !p.is_empty()) else {
            let mut errors = super::setup::unit_problems(code.trim(), name.trim());
            errors.add("parent", "请选择上级单位");
            return Err(errors.into());
        };
        let id = self
            .add_unit_as(Some(actor), code, name, Some(parent_code))
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        units::by_id(&mut conn, id)
            .await?
            .ok_or_else(Error::unit_not_found)
    }

    /// Renames a unit and/or moves it (with its subtree) under another: who sees what follows
    /// at once, since scope is read from the tree on every request.
    pub async fn admin_change_unit(
        &self,
        actor: &Actor,
        id: crate::domain::ids::UnitId,
        name: Option<&str>,
        parent_code: Option<&str>,
    ) -> Result<Unit> {
        self.require(actor, &[Role::Sysadmin], "修改单位").await?;
        let mut tx = self.db.write().await?;
        let unit = units::by_id(&mut tx, id)
            .await?
            .ok_or_else(Error::unit_not_found)?;
        let mut errors = Invalid::default();
        let name = name.map(str::trim);
        if let Some(problem) = name.and_then(unit_name_problem) {
            errors.add("name", problem);
        }
        let parent = match parent_code.map(str::trim) {
            None => None,
            Some(code) => match units::by_code(&mut tx, code).await? {
                None => {
                    errors.add("parent", format!("上级单位“{code}”不存在"));
                    None
                }
                // The parent it already has: nothing moves.
                Some(p) if Some(p.id) == unit.parent_id => None,
                Some(p) if unit.path.contains(&p.path) => {
                    errors.add("parent", "不能把单位移到它自己或它的下级单位之下");
                    None
                }
                Some(p) if p.retired => {
                    errors.add("parent", format!("上级单位“{code}”已撤销"));
                    None
                }
                Some(p) => Some(p),
            },
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if let Some(n) = name {
            units::rename(&mut tx, id, n).await?;
        }
        if let Some(p) = &parent {
            units::move_under(&mut tx, &unit, p).await?;
        }
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action: "update",
                entity: "unit",
                entity_id: Some(id.to_string()),
                before: Some(json!({ "name": unit.name, "parent_id": unit.parent_id })),
                after: Some(json!({ "name": name.unwrap_or(&unit.name), "parent_id": parent.as_ref().map(|p| p.id).or(unit.parent_id) })),
            },
            &now_text(),
        )
        .await?;
        let changed = units::by_id(&mut tx, id)
            .await?
            .ok_or_else(Error::unit_not_found)?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Retires a unit that has nothing active left: no units under it, no active accounts,
    /// no projects still open.
    pub async fn admin_retire_unit(
        &self,
        actor: &Actor,
        id: crate::domain::ids::UnitId,
    ) -> Result<Unit> {
        self.require(actor, &[Role::Sysadmin], "撤销单位").await?;
        let mut tx = self.db.write().await?;
        let unit = units::by_id(&mut tx, id)
            .await?
            .ok_or_else(Error::unit_not_found)?;
        if unit.parent_id.is_none() {
            return Err(Error::Conflict("不能撤销最上级单位".into()));
        }
        let (child_units, accounts, projects) = units::active_records(&mut tx, &unit).await?;
        if child_units + accounts + projects > 0 {
            return Err(Error::Conflict(format!(
                "单位“{}”还有{child_units}个下级单位、{accounts}个在用账号、{projects}个未结束的项目，须先移走或办结后才能撤销",
                unit.name
            )));
        }
        let now = now_text();
        units::retire(&mut tx, id, &now).await?;
        audit::append(
            &mut tx,
            Some(actor),
            audit::Entry {
                action: "retire",
                entity: "unit",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(json!({ "retired_at": now })),
            },
            &now,
        )
        .await?;
        let retired = units::by_id(&mut tx, id)
            .await?
            .ok_or_else(Error::unit_not_found)?;
        tx.commit().await?;
        Ok(retired)
    }

    pub async fn admin_accounts(&self, actor: &Actor) -> Result<Vec<AccountView>> {
        self.require(actor, &[Role::Sysadmin, Role::Secadmin], "查看账号")
            .await?;
        let mut conn = self.db.pool.acquire().await?;
        let now = crate::store::now_unix();
        Ok(users::all(&mut conn)
            .await?
            .iter()
            .map(|u| AccountView::of(u, now))
            .collect())
    }

    /// Creates an account with a one-time password, returned once, and no role: the security
    /// administrator gives it one (三员分立 — the system administrator makes accounts but never
    /// decides what they may see).
    pub async fn admin_create_account(
        &self,
        actor: &Actor,
        login: &str,
        name: &str,
        unit_code: &str,
    ) -> Result<(AccountView, String)> {
        self.require(actor, &[Role::Sysadmin], "创建账号").await?;
        let password = generated_password()?;
        let account = super::setup::NewAccount {
            login,
            name,
            role: Role::Pending,
            unit_code,
            password: &password,
            must_change: true,
            investor: None,
        };
        let id = self.add_user_as(Some(actor), &account).await?;
        Ok((self.account(id).await?, password))
    }

    /// For an enterprise account, the live 客商库 record its credit code names; None for
    /// other roles (an enterprise speaks for exactly one investor).
    async fn enterprise_investor(
        &self,
        role: Option<Role>,
        credit_code: &str,
        errors: &mut Invalid,
    ) -> Result<Option<InvestorId>> {
        const FIELD: &str = "enterprise_credit_code";
        if role != Some(Role::Enterprise) {
            return Ok(None);
        }
        let code = match credit_code.trim() {
            "" => {
                errors.add(FIELD, "企业账号须填写所代表企业的统一社会信用代码");
                return Ok(None);
            }
            text => match CreditCode::parse(text) {
                Ok(code) => code,
                Err(e) => {
                    errors.add(FIELD, e.message());
                    return Ok(None);
                }
            },
        };
        let mut conn = self.db.pool.acquire().await?;
        match investors::by_credit_code(&mut conn, code.as_str(), None).await? {
            Some(found) => Ok(Some(found.id)),
            None => {
                errors.add(
                    FIELD,
                    format!("客商库中没有统一社会信用代码为 {code} 的企业，请先由招商人员登记"),
                );
                Ok(None)
            }
        }
    }

    async fn account(&self, id: UserId) -> Result<AccountView> {
        let mut conn = self.db.pool.acquire().await?;
        let u = users::by_id(&mut conn, id)
            .await?
            .ok_or_else(Error::account_not_found)?;
        Ok(AccountView::of(&u, crate::store::now_unix()))
    }

    /// An account an administrator may manage from the pages or the API: not their own, and not
    /// one of the three administrators (made, reset and unlocked on the server's command line
    /// only, so no administrator can take over another's account).
    async fn target(&self, actor: &Actor, id: UserId) -> Result<users::UserRecord> {
        let mut conn = self.db.pool.acquire().await?;
        let u = users::by_id(&mut conn, id)
            .await?
            .ok_or_else(Error::account_not_found)?;
        if u.id == actor.id {
            return Err(Error::Conflict("不能对自己的账号做此操作".into()));
        }
        if u.role.is_administrator() {
            return Err(Error::Forbidden(
                "管理员账号（系统管理员、安全管理员、审计管理员）只能在服务器上用命令行管理".into(),
            ));
        }
        Ok(u)
    }

    /// The audit entry of an account change, written in the change's own transaction.
    async fn record(
        tx: &mut crate::store::Conn,
        actor: &Actor,
        action: &'static str,
        target: &users::UserRecord,
        after: serde_json::Value,
    ) -> Result<()> {
        audit::append(
            tx,
            Some(actor),
            audit::Entry {
                action,
                entity: "user",
                entity_id: Some(target.id.to_string()),
                before: Some(json!({
                    "role": target.role.key(),
                    "unit_id": target.unit_id.0,
                    "active": target.active,
                })),
                after: Some(after),
            },
            &now_text(),
        )
        .await?;
        Ok(())
    }

    /// Disables or re-enables an account; disabling ends its sessions.
    pub async fn admin_set_active(
        &self,
        actor: &Actor,
        id: UserId,
        active: bool,
    ) -> Result<AccountView> {
        let what = if active {
            "启用账号"
        } else {
            "停用账号"
        };
        self.require(actor, &[Role::Sysadmin], what).await?;
        let target = self.target(actor, id).await?;
        let mut tx = self.db.write().await?;
        users::set_active(&mut tx, id, active).await?;
        if !active {
            sessions::delete_all_of(&mut tx, id.0).await?;
        }
        let action = if active { "enable" } else { "disable" };
        Self::record(&mut tx, actor, action, &target, json!({ "active": active })).await?;
        tx.commit().await?;
        self.account(id).await
    }

    /// Gives the account a new one-time password, returned once; it must be changed at the
    /// next sign-in, and open sessions end.
    pub async fn admin_reset_password(
        &self,
        actor: &Actor,
        id: UserId,
    ) -> Result<(AccountView, String)> {
        self.require(actor, &[Role::Sysadmin], "重置密码").await?;
        let target = self.target(actor, id).await?;
        let password = generated_password()?;
        let hash = {
            let p = password.clone();
            self.password_work(move || hash_password(&p)).await??
        };
        let mut tx = self.db.write().await?;
        users::set_one_time_password(&mut tx, id, &hash).await?;
        sessions::delete_all_of(&mut tx, id.0).await?;
        Self::record(
            &mut tx,
            actor,
            "reset_password",
            &target,
            json!({ "one_time": true }),
        )
        .await?;
        tx.commit().await?;
        Ok((self.account(id).await?, password))
    }

    /// Assigns a role and unit (the security administrator). Open sessions end, so the new
    /// scope holds from the next request.
    pub async fn admin_assign(
        &self,
        actor: &Actor,
        id: UserId,
        role: &str,
        unit_code: &str,
        enterprise_credit_code: &str,
    ) -> Result<AccountView> {
        self.require(actor, &[Role::Secadmin], "分配角色和单位")
            .await?;
        let target = self.target(actor, id).await?;
        // Whoever made the account saw its one-time password: a role is given only once its
        // owner has replaced it, so that the system administrator never holds a working
        // business account.
        if target.must_change_password {
            return Err(Error::Conflict(
                "该账号的一次性密码尚未由本人修改：请待本人首次登录并修改密码后，再分配角色".into(),
            ));
        }
        let mut errors = Invalid::default();
        let role = match Role::parse(role.trim()) {
            Some(r) if r.assignable() => Some(r),
            Some(r) if r.is_administrator() => {
                errors.add("role", "管理员角色只能在服务器上用命令行授予");
                None
            }
            _ => {
                errors.add("role", "请选择要授予的业务角色");
                None
            }
        };
        let mut conn = self.db.pool.acquire().await?;
        let unit = units::by_code(&mut conn, unit_code.trim()).await?;
        drop(conn);
        match &unit {
            None => errors.add("unit", format!("单位“{}”不存在", unit_code.trim())),
            Some(u) if u.retired => errors.add("unit", format!("单位“{}”已撤销", u.name)),
            Some(_) => {}
        }
        let investor = self
            .enterprise_investor(role, enterprise_credit_code, &mut errors)
            .await?;
        let (Some(role), Some(unit)) = (role, unit) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.db.write().await?;
        users::set_role_and_unit(&mut tx, id, role, unit.id).await?;
        users::set_investor(&mut tx, id, investor).await?;
        sessions::delete_all_of(&mut tx, id.0).await?;
        Self::record(
            &mut tx,
            actor,
            "assign",
            &target,
            json!({ "role": role.key(), "unit_id": unit.id.0, "investor_id": investor }),
        )
        .await?;
        tx.commit().await?;
        self.account(id).await
    }

    pub async fn admin_unlock(&self, actor: &Actor, id: UserId) -> Result<AccountView> {
        self.require(actor, &[Role::Secadmin], "解锁账号").await?;
        let target = self.target(actor, id).await?;
        let mut tx = self.db.write().await?;
        users::clear_failed_sign_ins(&mut tx, id).await?;
        Self::record(
            &mut tx,
            actor,
            "unlock",
            &target,
            json!({ "locked": false }),
        )
        .await?;
        tx.commit().await?;
        self.account(id).await
    }
}
