//! Sign-in, sessions and password hashing.

use super::App;
use crate::domain::dates::shanghai_minute_of_unix;
use crate::domain::user::{Actor, is_locked, lock_after_failure, password_problem};
use crate::domain::validation::Invalid;
use crate::error::{Error, Result};
use crate::store::{self, now_unix, sessions, users};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use serde_json::json;
use sha2::{Digest, Sha256};

/// A session token as handed to the client; only its hash is stored.
pub struct Token(pub String);

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to check against when the login is unknown, so timing does not reveal accounts.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password-Aa1!").unwrap_or_default())
}

pub fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex::encode(bytes))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The anti-forgery token of a session's forms: derived from the secret session token, so a
/// page of another site can neither read nor compute it.
pub fn form_token(session_token: &str) -> String {
    let digest = Sha256::digest(format!("form:{session_token}").as_bytes());
    hex::encode(&digest[..16])
}

fn actor_of(user: users::UserRecord, session_token: &str) -> Actor {
    Actor {
        must_change_password: user.must_change_password,
        client_addr: None,
        form_token: form_token(session_token),
        id: user.id,
        login: user.login,
        name: user.name,
        role: user.role,
        unit_id: user.unit_id,
        unit_path: user.unit_path,
        investor_id: user.investor_id,
    }
}

const BAD_CREDENTIALS: &str = "账号或密码不正确";

fn locked_message(until: i64) -> Error {
    Error::Locked(format!(
        "账号因连续多次密码错误已被锁定，请于 {} 后再试，或请安全管理员解锁",
        shanghai_minute_of_unix(until)
    ))
}

impl App {
    /// Checks the password and opens a new session (a fresh token every time). Repeated
    /// failures lock the account for a while; every attempt lands in the audit trail.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<(Token, Actor)> {
        self.sign_in_from(login, password, None).await
    }

    /// `sign_in` for a request from `client` (an IP address): attempts beyond the configured
    /// number per minute from one address are refused before any password is checked.
    pub async fn sign_in_from(
        &self,
        login: &str,
        password: &str,
        client: Option<&str>,
    ) -> Result<(Token, Actor)> {
        let login = login.trim();
        let now = now_unix();
        if let Some(addr) = client
            && !self.allow_sign_in_attempt(addr, now)
        {
            return Err(Error::TooManyRequests(
                "登录尝试过于频繁，请一分钟后再试".into(),
            ));
        }
        if !self.allow_sign_in_anywhere(now) {
            return Err(Error::TooManyRequests(
                "系统正在处理大量登录请求，请稍后再试".into(),
            ));
        }
        let mut conn = self.db.pool.acquire().await?;
        let user = users::by_login(&mut conn, login).await?;
        drop(conn);
        // The turn first, so that an attempt refused for want of one (429) is not counted …
        let turn = self.password_turn().await?;
        // … then counted before the password is checked, so that guesses sent at once cannot
        // outrun the lock: at most `lockout_attempts` of them are ever checked. (An attempt
        // whose client leaves during the check stays counted, as a guess would.)
        let counted = match &user {
            Some(u) => Some(self.count_attempt(u, now, client).await?),
            None => None,
        };
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let password = password.to_string();
        let ok = Self::in_password_turn(turn, move || {
            let against = match &hash {
                Some(h) => h.as_str(),
                None => dummy_hash(),
            };
            verify_password(&password, against)
        })
        .await?;
        let user = match user {
            Some(u) if ok && u.active => u,
            Some(u) if ok && !u.active => {
                self.audit_sign_in_refused(login, "sign_in_disabled", client)
                    .await?;
                return Err(Error::Unauthorized("该账号已停用，请联系系统管理员".into()));
            }
            Some(u) => {
                let counted = counted.unwrap_or(u.failed_sign_ins + 1);
                return Err(self.failed_sign_in(&u, counted, now, client).await?);
            }
            None => {
                self.audit_sign_in_refused(login, "sign_in_failed", client)
                    .await?;
                return Err(Error::Unauthorized(BAD_CREDENTIALS.into()));
            }
        };
        let token = random_token()?;
        let mut tx = self.db.write().await?;
        users::clear_failures_unless_locked(&mut tx, user.id, now).await?;
        sessions::insert(
            &mut tx,
            &token_hash(&token),
            user.id,
            now,
            now + self.config.session_max_hours * 3600,
        )
        .await?;
        let mut actor = actor_of(user, &token);
        actor.client_addr = client.map(str::to_string);
        store::audit::append(
            &mut tx,
            Some(&actor),
            store::audit::Entry {
                action: "sign_in",
                entity: "session",
                entity_id: None,
                before: None,
                after: None,
            },
            &store::now_text(),
        )
        .await?;
        tx.commit().await?;
        Ok((Token(token), actor))
    }

    /// Counts an attempt at `user` before its password is checked, and returns how many
    /// attempts in a row this one is. Refuses (locked) an account that is locked, or whose
    /// attempts in flight already fill the allowance — which locks it.
    async fn count_attempt(
        &self,
        user: &users::UserRecord,
        now: i64,
        client: Option<&str>,
    ) -> Result<i64> {
        let mut tx = self.db.write().await?;
        let Some(count) = users::attempt_count(&mut tx, user.id).await? else {
            return Err(Error::Unauthorized(BAD_CREDENTIALS.into()));
        };
        if is_locked(count.locked_until, now) {
            drop(tx);
            self.audit_sign_in_refused(&user.login, "sign_in_locked", client)
                .await?;
            return Err(locked_message(count.locked_until.unwrap_or(now)));
        }
        if count.failed_sign_ins >= self.config.lockout_attempts {
            let until = now + self.config.lockout_minutes * 60;
            users::lock(&mut tx, user.id, until).await?;
            self.audit_lock(&mut tx, user, until, client).await?;
            tx.commit().await?;
            return Err(locked_message(until));
        }
        users::count_attempt(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok(count.failed_sign_ins + 1)
    }

    /// A wrong password: the attempt was counted (`counted` in a row); the last one allowed
    /// locks the account.
    async fn failed_sign_in(
        &self,
        user: &users::UserRecord,
        counted: i64,
        now: i64,
        client: Option<&str>,
    ) -> Result<Error> {
        let lock_until = lock_after_failure(
            counted - 1,
            self.config.lockout_attempts,
            self.config.lockout_minutes,
            now,
        );
        let mut tx = self.db.write().await?;
        if let Some(until) = lock_until {
            users::lock(&mut tx, user.id, until).await?;
        }
        store::audit::append_attempt(
            &mut tx,
            &user.login,
            client,
            store::audit::Entry {
                action: "sign_in_failed",
                entity: "user",
                entity_id: Some(user.id.to_string()),
                before: None,
                after: Some(json!({ "login": user.login, "failed_in_a_row": counted })),
            },
            &store::now_text(),
        )
        .await?;
        if let Some(until) = lock_until {
            self.audit_lock(&mut tx, user, until, client).await?;
        }
        tx.commit().await?;
        Ok(match lock_until {
            Some(until) => locked_message(until),
            None => Error::Unauthorized(BAD_CREDENTIALS.into()),
        })
    }

    async fn audit_lock(
        &self,
        tx: &mut store::Conn,
        user: &users::UserRecord,
        until: i64,
        client: Option<&str>,
    ) -> Result<()> {
        store::audit::append_attempt(
            tx,
            &user.login,
            client,
            store::audit::Entry {
                action: "lock",
                entity: "user",
                entity_id: Some(user.id.to_string()),
                before: None,
                after: Some(json!({ "login": user.login, "locked_until": until })),
            },
            &store::now_text(),
        )
        .await?;
        Ok(())
    }

    /// Replaces the caller's password after checking the current one; ends the account's other
    /// sessions. Refusals name the field and the rule.
    pub async fn change_password(
        &self,
        actor: &Actor,
        session_token: &str,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<()> {
        let mut conn = self.db.pool.acquire().await?;
        let user = users::by_id(&mut conn, actor.id)
            .await?
            .ok_or_else(|| Error::Unauthorized("账号不存在".into()))?;
        drop(conn);
        let hash = user.password_hash.clone();
        let given = current.to_string();
        let ok = self
            .password_work(move || verify_password(&given, &hash))
            .await?;
        let mut errors = Invalid::default();
        if !ok {
            errors.add("current", "当前密码不正确");
        }
        if let Some(problem) = password_problem(&actor.login, new) {
            errors.add("new", problem);
        } else if new == current {
            errors.add("new", "新密码不能与当前密码相同");
        }
        if confirm != new {
            errors.add("confirm", "两次输入的新密码不一致");
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let new_hash = {
            let new = new.to_string();
            self.password_work(move || hash_password(&new)).await??
        };
        let mut tx = self.db.write().await?;
        users::set_password(&mut tx, actor.id, &new_hash).await?;
        sessions::delete_others(&mut tx, actor.id.0, &token_hash(session_token)).await?;
        store::audit::append(
            &mut tx,
            Some(actor),
            store::audit::Entry {
                action: "change_password",
                entity: "user",
                entity_id: Some(actor.id.to_string()),
                before: None,
                after: Some(json!({ "was_one_time": actor.must_change_password })),
            },
            &store::now_text(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts an attempt from `addr`; false when it is one too many this minute.
    /// The limit on sign-in attempts from all addresses together.
    fn allow_sign_in_anywhere(&self, now: i64) -> bool {
        let Ok(mut window) = self.sign_ins_anywhere.lock() else {
            return true;
        };
        window.allow(now, self.config.sign_ins_per_minute_total)
    }

    fn allow_sign_in_attempt(&self, addr: &str, now: i64) -> bool {
        let Ok(mut windows) = self.sign_in_attempts.lock() else {
            return true;
        };
        if windows.len() > 10_000 {
            windows.retain(|_, w| !w.is_idle(now));
        }
        windows
            .entry(addr.to_string())
            .or_default()
            .allow(now, self.config.sign_ins_per_minute)
    }

    /// An attempt refused before any password check counted (unknown login, locked or
    /// disabled account).
    async fn audit_sign_in_refused(
        &self,
        login: &str,
        action: &'static str,
        client: Option<&str>,
    ) -> Result<()> {
        let tried: String = login.trim().chars().take(64).collect();
        let mut tx = self.db.write().await?;
        store::audit::append_attempt(
            &mut tx,
            &tried,
            client,
            store::audit::Entry {
                action,
                entity: "session",
                entity_id: None,
                before: None,
                after: Some(json!({ "login": tried })),
            },
            &store::now_text(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account behind a token, if the session is alive; refreshes its idle clock.
    pub async fn actor_for_token(&self, token: &str) -> Result<Option<Actor>> {
        let hash = token_hash(token);
        let (session, user) = {
            let mut conn = self.db.pool.acquire().await?;
            let Some(session) = sessions::find(&mut conn, &hash).await? else {
                return Ok(None);
            };
            let user = users::by_id(&mut conn, session.user_id).await?;
            (session, user)
        };
        let now = now_unix();
        let idle_limit = self.config.session_idle_minutes * 60;
        if now >= session.expires_at || now - session.last_seen_at > idle_limit {
            let mut tx = self.db.write().await?;
            sessions::delete(&mut tx, &hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let Some(user) = user.filter(|u| u.active) else {
            return Ok(None);
        };
        // Writing on every request would serialise readers on SQLite; a minute's grain is enough.
        if now - session.last_seen_at >= 60 {
            let mut tx = self.db.write().await?;
            sessions::touch(&mut tx, &hash, now).await?;
            tx.commit().await?;
        }
        Ok(Some(actor_of(user, token)))
    }

    pub async fn sign_out(&self, token: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.db.write().await?;
        sessions::delete(&mut tx, &token_hash(token)).await?;
        store::audit::append(
            &mut tx,
            Some(actor),
            store::audit::Entry {
                action: "sign_out",
                entity: "session",
                entity_id: None,
                before: None,
                after: None,
            },
            &store::now_text(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let h = hash_password("Zhaoshang-2026").unwrap();
        assert!(verify_password("Zhaoshang-2026", &h));
        assert!(!verify_password("zhaoshang-2026", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
