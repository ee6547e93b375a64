//! Settings: defaults, overridden by environment variables. Rules live here, not in code.

use std::env;

#[derive(Debug, Clone)]
pub struct Config {
    /// Idle sessions end after this many minutes.
    pub session_idle_minutes: i64,
    /// Every session ends this many hours after sign-in.
    pub session_max_hours: i64,
    /// CNY per USD ×10⁴, used only to place USD projects in investment bands and sort them.
    pub usd_rate_e4: i64,
    /// Rows per list page when the caller does not say, and the most a caller may ask for.
    pub per_page_default: i64,
    pub per_page_max: i64,
    /// Cookies marked Secure (set when served over HTTPS).
    pub secure_cookies: bool,
    /// This many failed sign-ins in a row lock an account …
    pub lockout_attempts: i64,
    /// … for this many minutes.
    pub lockout_minutes: i64,
    /// Sign-in attempts allowed per client address and minute …
    pub sign_ins_per_minute: usize,
    /// … and from all addresses together (so that many addresses cannot share the work).
    pub sign_ins_per_minute_total: usize,
    /// The largest .xlsx file accepted for import, and the most rows.
    pub import_max_bytes: usize,
    pub import_max_rows: usize,
    /// How referrers are rewarded (see `domain::reward`).
    pub referral_rule: crate::domain::reward::RewardRule,
    /// Password hashes and checks that may run at once (each holds about 19 MiB while it runs,
    /// which the allocator keeps a while after: one at a time keeps a burst of sign-ins small).
    pub password_checks: usize,
    /// Days without progress after which a project is flagged quiet, then stalled.
    pub idle_thresholds: crate::domain::project::IdleThresholds,
    /// The most rows one export (a list as a sheet, the audit trail as CSV) may hold.
    pub export_max_rows: i64,
    /// An assigned lead with no follow-up for longer than this many days is overdue.
    pub lead_follow_up_days: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_idle_minutes: 30,
            session_max_hours: 12,
            usd_rate_e4: 71_000,
            per_page_default: 20,
            per_page_max: 100,
            secure_cookies: false,
            lockout_attempts: 5,
            lockout_minutes: 15,
            sign_ins_per_minute: 20,
            sign_ins_per_minute_total: 600,
            import_max_bytes: 20 * 1024 * 1024,
            import_max_rows: 200_000,
            referral_rule: Default::default(),
            password_checks: 1,
            idle_thresholds: Default::default(),
            lead_follow_up_days: 14,
            export_max_rows: 50_000,
        }
    }
}

fn var<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>> {
    match env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow::anyhow!("环境变量 {name} 的值无效：{text}")),
        Err(_) => Ok(None),
    }
}

impl Config {
    /// Defaults, then `ZHAOSHANG_*` environment variables.
    pub fn from_env() -> anyhow::Result<Config> {
        let mut c = Config::default();
        if let Some(v) = var("ZHAOSHANG_SESSION_IDLE_MINUTES")? {
            c.session_idle_minutes = v;
        }
        if let Some(v) = var("ZHAOSHANG_SESSION_MAX_HOURS")? {
            c.session_max_hours = v;
        }
        if let Some(v) = var::<String>("ZHAOSHANG_USD_RATE")? {
            c.usd_rate_e4 = crate::domain::money::parse_scaled(&v, 4)
                .ok()
                .filter(|r| *r > 0)
                .ok_or_else(|| anyhow::anyhow!("ZHAOSHANG_USD_RATE 须为正数，如 7.1"))?;
        }
        if let Some(v) = var::<usize>("ZHAOSHANG_IMPORT_MAX_MIB")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_IMPORT_MAX_MIB 须为正整数");
            c.import_max_bytes = v * 1024 * 1024;
        }
        if let Some(v) = var::<usize>("ZHAOSHANG_IMPORT_MAX_ROWS")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_IMPORT_MAX_ROWS 须为正整数");
            c.import_max_rows = v;
        }
        if let Some(v) = var::<String>("ZHAOSHANG_REFERRAL_RULE")? {
            c.referral_rule = crate::domain::reward::RewardRule::parse(&v)
                .map_err(|why| anyhow::anyhow!("ZHAOSHANG_REFERRAL_RULE 无效：{why}"))?;
        }
        if let Some(v) = var("ZHAOSHANG_SECURE_COOKIES")? {
            c.secure_cookies = v;
        }
        if let Some(v) = var::<i64>("ZHAOSHANG_LOCKOUT_ATTEMPTS")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_LOCKOUT_ATTEMPTS 须为正整数");
            c.lockout_attempts = v;
        }
        if let Some(v) = var::<usize>("ZHAOSHANG_SIGN_INS_PER_MINUTE")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_SIGN_INS_PER_MINUTE 须为正整数");
            c.sign_ins_per_minute = v;
        }
        if let Some(v) = var::<usize>("ZHAOSHANG_SIGN_INS_PER_MINUTE_TOTAL")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_SIGN_INS_PER_MINUTE_TOTAL 须为正整数");
            c.sign_ins_per_minute_total = v;
        }
        if let Some(v) = var::<i64>("ZHAOSHANG_LOCKOUT_MINUTES")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_LOCKOUT_MINUTES 须为正整数");
            c.lockout_minutes = v;
        }
        if let Some(v) = var::<String>("ZHAOSHANG_IDLE_DAYS")? {
            c.idle_thresholds = crate::domain::project::IdleThresholds::parse(&v)
                .map_err(|why| anyhow::anyhow!("ZHAOSHANG_IDLE_DAYS 无效：{why}"))?;
        }
        if let Some(v) = var::<i64>("ZHAOSHANG_EXPORT_MAX_ROWS")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_EXPORT_MAX_ROWS 须为正整数");
            c.export_max_rows = v;
        }
        if let Some(v) = var::<i64>("ZHAOSHANG_LEAD_FOLLOW_UP_DAYS")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_LEAD_FOLLOW_UP_DAYS 须为正整数");
            c.lead_follow_up_days = v;
        }
        if let Some(v) = var::<usize>("ZHAOSHANG_PASSWORD_CHECKS")? {
            anyhow::ensure!(v >= 1, "ZHAOSHANG_PASSWORD_CHECKS 须为正整数");
            c.password_checks = v;
        }
        Ok(c)
    }
}
