//! The auditor's reading of the audit trail. Only the auditor reads it; nobody edits it.

use super::{App, Page};
use crate::domain::dates::utc_start_of_shanghai_day;
use crate::domain::user::{Actor, Role};
use crate::domain::validation::{Invalid, date_range, paging};
use crate::error::{Error, Result};
use crate::store::audit::{self, LoggedEntry, Search};
use serde::Deserialize;
use time::Duration;

/// The auditor's filters as typed (query string or form).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    pub actor: String,
    pub entity: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub page: String,
    pub per_page: String,
}

impl App {
    /// A page of entries (or, with `export`, all of them: refused past the export limit),
    /// newest first.
    pub async fn audit_entries(
        &self,
        actor: &Actor,
        params: &AuditParams,
        export: bool,
    ) -> Result<Page<LoggedEntry>> {
        if actor.role != Role::Auditor {
            return Err(Error::Forbidden("只有审计员可以查看审计日志".into()));
        }
        let mut errors = Invalid::default();
        let text = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let (from, to) = date_range(&mut errors, &params.from, &params.to);
        let (page, per_page) = paging(
            &mut errors,
            &params.page,
            &params.per_page,
            self.config.per_page_default,
            self.config.per_page_max,
        );
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let search = Search {
            actor_login: text(&params.actor),
            entity: text(&params.entity),
            action: text(&params.action),
            from: from.map(utc_start_of_shanghai_day),
            until: to.map(|d| utc_start_of_shanghai_day(d + Duration::days(1))),
            limit: if export {
                self.config.export_max_rows
            } else {
                per_page
            },
            offset: if export { 0 } else { (page - 1) * per_page },
        };
        let (items, total) = {
            let mut conn = self.db.pool.acquire().await?;
            audit::search(&mut conn, &search).await?
        };
        if export {
            super::exports::within_export_limit("日志", total, self.config.export_max_rows)?;
            // The connection is back in the pool before the write turn is taken.
            self.record_export(
                actor,
                "export",
                "audit",
                None,
                super::exports::filters_of(params),
                items.len(),
            )
            .await?;
        }
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}
