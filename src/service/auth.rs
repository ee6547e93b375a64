//! Sign-in, sessions and password hashing.

use super::App;
use crate::domain::user::Actor;
use crate::error::{Error, Result};
use crate::store::{self, now_unix, sessions, users};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
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

fn actor_of(user: users::UserRecord) -> Actor {
    Actor {
        id: user.id,
        login: user.login,
        name: user.name,
        role: user.role,
        unit_id: user.unit_id,
        unit_path: user.unit_path,
    }
}

const BAD_CREDENTIALS: &str = "账号或密码不正确";

impl App {
    /// Checks the password and opens a new session (a fresh token every time).
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<(Token, Actor)> {
        let mut conn = self.db.pool.acquire().await?;
        let user = users::by_login(&mut conn, login.trim()).await?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| dummy_hash().to_string());
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        let user = match user {
            Some(u) if ok && u.active => u,
            Some(u) if ok && !u.active => {
                return Err(Error::Unauthorized("该账号已停用，请联系系统管理员".into()));
            }
            _ => return Err(Error::Unauthorized(BAD_CREDENTIALS.into())),
        };
        let token = random_token()?;
        let now = now_unix();
        let mut tx = self.db.pool.begin().await?;
        sessions::insert(
            &mut tx,
            &token_hash(&token),
            user.id,
            now,
            now + self.config.session_max_hours * 3600,
        )
        .await?;
        let actor = actor_of(user);
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

    /// The account behind a token, if the session is alive; refreshes its idle clock.
    pub async fn actor_for_token(&self, token: &str) -> Result<Option<Actor>> {
        let hash = token_hash(token);
        let mut conn = self.db.pool.acquire().await?;
        let Some(session) = sessions::find(&mut conn, &hash).await? else {
            return Ok(None);
        };
        let now = now_unix();
        let idle_limit = self.config.session_idle_minutes * 60;
        if now >= session.expires_at || now - session.last_seen_at > idle_limit {
            sessions::delete(&mut conn, &hash).await?;
            return Ok(None);
        }
        let Some(user) = users::by_id(&mut conn, session.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        // Writing on every request would serialise readers on SQLite; a minute's grain is enough.
        if now - session.last_seen_at >= 60 {
            sessions::touch(&mut conn, &hash, now).await?;
        }
        Ok(Some(actor_of(user)))
    }

    pub async fn sign_out(&self, token: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.db.pool.begin().await?;
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
