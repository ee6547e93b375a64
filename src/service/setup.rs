//! Units and accounts as set up by the command line and the demo loader. (The administrators'
//! screens for them come with the organisation capability.)

use super::App;
use super::auth::hash_password;
use crate::domain::ids::{UnitId, UserId};
use crate::domain::user::{Actor, Role, password_problem, unit_code_problem, unit_name_problem};
use crate::domain::validation::Invalid;
use crate::error::{Error, Result};
use crate::store::{audit, now_text, units, users};
use serde_json::json;

impl App {
    pub async fn add_unit(
        &self,
        code: &str,
        name: &str,
        parent_code: Option<&str>,
    ) -> Result<UnitId> {
        self.add_unit_as(None, code, name, parent_code).await
    }

    /// `add_unit` on behalf of an administrator (recorded as the actor).
    pub(crate) async fn add_unit_as(
        &self,
        by: Option<&Actor>,
        code: &str,
        name: &str,
        parent_code: Option<&str>,
    ) -> Result<UnitId> {
        let code = code.trim();
        let name = name.trim();
        let errors = unit_problems(code, name);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.db.write().await?;
        if units::by_code(&mut tx, code).await?.is_some() {
            return Err(Error::Conflict(format!("单位代码“{code}”已存在")));
        }
        let parent = match parent_code {
            None => None,
            Some(pc) => Some(units::by_code(&mut tx, pc).await?.ok_or_else(|| {
                Error::Invalid(Invalid::single("parent", format!("上级单位“{pc}”不存在")))
            })?),
        };
        let now = now_text();
        let unit = units::insert(&mut tx, code, name, parent.as_ref(), &now).await?;
        audit::append(
            &mut tx,
            by,
            audit::Entry {
                action: "create",
                entity: "unit",
                entity_id: Some(unit.id.to_string()),
                before: None,
                after: Some(json!({ "code": code, "name": name, "parent": parent_code })),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        Ok(unit.id)
    }

    /// Creates an account. `must_change` marks a one-time password.
    #[allow(clippy::too_many_arguments)]
    /// Sets an account's password from the server's command line — the one way to reset an
    /// administrator's (no administrator may reset another's from the pages or the API). The
    /// lock is lifted and open sessions end; the audit trail records it as done on the server.
    /// Every unit, for the operator at the server (`unit list`): the codes `user add` takes.
    pub async fn units_on_server(&self) -> Result<Vec<crate::store::units::Unit>> {
        let mut conn = self.db.pool.acquire().await?;
        let mut all = crate::store::units::all(&mut conn).await?;
        // In tree order: a parent before its children.
        all.sort_by(|a, b| a.path.0.cmp(&b.path.0));
        Ok(all)
    }

    /// Every account, for the operator at the server (`user list`).
    pub async fn users_on_server(&self) -> Result<Vec<crate::domain::records::user::UserRecord>> {
        let mut conn = self.db.pool.acquire().await?;
        Ok(crate::store::users::all(&mut conn).await?)
    }

    pub async fn reset_password_on_server(&self, login: &str, password: &str) -> Result<UserId> {
        let login = login.trim();
        if let Some(problem) = password_problem(login, password) {
            return Err(Invalid::single("password", problem).into());
        }
        let hash = {
            let password = password.to_string();
            self.password_work(move || hash_password(&password))
                .await??
        };
        let mut tx = self.db.write().await?;
        let user = users::by_login(&mut tx, login)
            .await?
            .ok_or_else(|| Error::NotFound(format!("账号“{login}”不存在")))?;
        users::set_password(&mut tx, user.id, &hash).await?;
        users::clear_failed_sign_ins(&mut tx, user.id).await?;
        crate::store::sessions::delete_all_of(&mut tx, user.id.0).await?;
        audit::append(
            &mut tx,
            None,
            audit::Entry {
                action: "reset_password",
                entity: "user",
                entity_id: Some(user.id.to_string()),
                before: None,
                after: Some(json!({ "login": login, "on_server": true })),
            },
            &now_text(),
        )
        .await?;
        tx.commit().await?;
        Ok(user.id)
    }

    pub async fn add_user(
        &self,
        login: &str,
        name: &str,
        role: Role,
        unit_code: &str,
        password: &str,
        must_change: bool,
    ) -> Result<UserId> {
        let account = NewAccount {
            login,
            name,
            role,
            unit_code,
            password,
            must_change,
            investor: None,
        };
        self.add_user_as(None, &account).await
    }

    /// `add_user` on behalf of an administrator (recorded as the actor); an enterprise account
    /// is linked to its investor in the same transaction.
    pub(crate) async fn add_user_as(
        &self,
        by: Option<&Actor>,
        account: &NewAccount<'_>,
    ) -> Result<UserId> {
        let NewAccount {
            login,
            name,
            role,
            unit_code,
            password,
            must_change,
            investor,
        } = *account;
        let login = login.trim();
        let mut errors = Invalid::default();
        if login.is_empty()
            || login.len() > 32
            || !login
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            errors.add("login", "账号须为1到32位字母、数字、下划线或点");
        }
        if name.trim().is_empty() {
            errors.add("name", "姓名不能为空");
        }
        if let Some(problem) = password_problem(login, password) {
            errors.add("password", problem);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = {
            let password = password.to_string();
            self.password_work(move || hash_password(&password))
                .await??
        };
        let mut tx = self.db.write().await?;
        if users::by_login(&mut tx, login).await?.is_some() {
            return Err(Error::Conflict(format!("账号“{login}”已存在")));
        }
        let unit = units::by_code(&mut tx, unit_code).await?.ok_or_else(|| {
            Error::Invalid(Invalid::single("unit", format!("单位“{unit_code}”不存在")))
        })?;
        if unit.retired {
            return Err(Invalid::single("unit", format!("单位“{}”已撤销", unit.name)).into());
        }
        let now = now_text();
        let id = users::insert(
            &mut tx,
            &users::NewUser {
                login,
                name: name.trim(),
                role,
                unit_id: unit.id,
                password_hash: &hash,
                must_change_password: must_change,
            },
            &now,
        )
        .await?;
        if investor.is_some() {
            users::set_investor(&mut tx, id, investor).await?;
        }
        let mut after = json!({ "login": login, "role": role.key(), "unit": unit_code });
        if let Some(investor) = investor {
            after["investor_id"] = json!(investor);
        }
        audit::append(
            &mut tx,
            by,
            audit::Entry {
                action: "create",
                entity: "user",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(after),
            },
            &now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// True when no unit exists yet (a fresh database).
    /// Checks the audit trail's hash chain from the first entry to the last.
    /// Checks the whole chain, and with an anchor that the head it recorded is still there.
    pub async fn verify_audit(&self, anchor: Option<&audit::Anchor>) -> Result<audit::ChainCheck> {
        let mut conn = self.db.pool.acquire().await?;
        let check = audit::verify(&mut conn).await?;
        if let (audit::ChainCheck::Intact { .. }, Some(anchor)) = (&check, anchor)
            && let Some(broken) = audit::check_anchor(&mut conn, anchor).await?
        {
            return Ok(broken);
        }
        Ok(check)
    }

    /// The chain's head, to keep apart from the database.
    pub async fn audit_anchor(&self) -> Result<audit::Anchor> {
        let mut conn = self.db.pool.acquire().await?;
        Ok(audit::anchor(&mut conn).await?)
    }

    pub async fn is_empty(&self) -> Result<bool> {
        let mut conn = self.db.pool.acquire().await?;
        Ok(units::count(&mut conn).await? == 0 && users::count(&mut conn).await? == 0)
    }

    /// On an empty database: a root unit and one system administrator with a one-time password.
    /// Returns the login and password to print once.
    pub async fn bootstrap(&self) -> Result<Option<(String, String)>> {
        if !self.is_empty().await? {
            return Ok(None);
        }
        self.add_unit("root", "本级单位", None).await?;
        let password = generated_password()?;
        self.add_user(
            "sysadmin",
            "系统管理员",
            Role::Sysadmin,
            "root",
            &password,
            true,
        )
        .await?;
        Ok(Some(("sysadmin".into(), password)))
    }
}

/// An account to create: `must_change` marks a one-time password; an enterprise account names
/// the investor it speaks for.
#[derive(Clone, Copy)]
pub(crate) struct NewAccount<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub unit_code: &'a str,
    pub password: &'a str,
    pub must_change: bool,
    pub investor: Option<crate::domain::ids::InvestorId>,
}

/// A random password that satisfies the policy (upper, lower, digit, symbol).
pub fn generated_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let body: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    Ok(format!("Zs-{body}-9a"))
}

/// What is wrong with a new unit's code and name (both already trimmed).
pub(crate) fn unit_problems(code: &str, name: &str) -> Invalid {
    let mut errors = Invalid::default();
    if let Some(problem) = unit_code_problem(code) {
        errors.add("code", problem);
    }
    if let Some(problem) = unit_name_problem(name) {
        errors.add("name", problem);
    }
    errors
}
