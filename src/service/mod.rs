//! Use cases. Each write: authorize (role and unit scope) → validate → one transaction →
//! audit entry in that transaction.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod demo;
pub mod events;
pub mod imports;
pub mod investors;
pub mod leads;
pub mod projects;
pub mod referrers;
pub mod setup;
pub mod visits;

use crate::config::Config;
use crate::domain::dates::shanghai_date;
use crate::domain::user::AttemptWindow;
use crate::store::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::Date;

#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub config: Arc<Config>,
    /// Recent sign-in attempts per client address (this process only).
    sign_in_attempts: Arc<Mutex<HashMap<String, AttemptWindow>>>,
}

impl App {
    pub fn new(db: Db, config: Config) -> App {
        App {
            db,
            config: Arc::new(config),
            sign_in_attempts: Default::default(),
        }
    }

    /// Today in Asia/Shanghai.
    pub fn today(&self) -> Date {
        shanghai_date(time::OffsetDateTime::now_utc())
    }
}
