//! Refusals (a forbidden role, a record outside the caller's scope) go into the audit trail —
//! but not at the moment they are met. The check that meets one usually holds a pooled
//! connection, often a write transaction that is about to roll back; recording there would need
//! a second connection while holding the first, and a few such requests at once exhaust the
//! pool. So a refusal is noted for the request, and recorded when the request's work is done
//! and its connections are back in the pool, before the answer leaves.

use super::App;
use crate::domain::user::Actor;
use crate::error::Result;
use crate::store::{self, now_text};
use std::cell::RefCell;

/// One refusal waiting to be recorded.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub actor: Actor,
    pub entity: &'static str,
    pub attempted: &'static str,
    pub entity_id: Option<String>,
    pub answer: String,
}

tokio::task_local! {
    /// The refusals noted while serving one request.
    static NOTED: RefCell<Vec<Refusal>>;
}

impl App {
    /// Notes a refusal for the request being served; outside a request (the command line, a
    /// test calling a service directly) it is recorded by a task of its own, so the caller,
    /// which may hold a connection, never waits for another.
    pub(crate) fn note_refusal(&self, refusal: Refusal) {
        let mut refusal = Some(refusal);
        // `try_with` fails only outside a request, and then the refusal is still here.
        let _ = NOTED.try_with(|noted| noted.borrow_mut().extend(refusal.take()));
        if let Some(refusal) = refusal {
            let app = self.clone();
            tokio::spawn(async move {
                if let Err(e) = app.record_refusals(vec![refusal]).await {
                    tracing::error!(error = %e.one_line(), "refusal not recorded");
                }
            });
        }
    }

    /// Runs one request's `work`, then records the refusals it noted. `work` has finished, so
    /// every connection it took is back in the pool. A refusal that cannot be recorded fails
    /// the request: the trail must not miss what it was told.
    pub async fn recording_refusals<F: std::future::Future>(&self, work: F) -> Result<F::Output> {
        NOTED
            .scope(RefCell::new(Vec::new()), async {
                let output = work.await;
                let noted = NOTED.with(|noted| noted.take());
                self.record_refusals(noted).await?;
                Ok(output)
            })
            .await
    }

    async fn record_refusals(&self, noted: Vec<Refusal>) -> Result<()> {
        if noted.is_empty() {
            return Ok(());
        }
        let now = now_text();
        let mut tx = self.db.write().await?;
        for r in noted {
            store::audit::append(
                &mut tx,
                Some(&r.actor),
                store::audit::Entry {
                    action: "permission_denied",
                    entity: r.entity,
                    entity_id: r.entity_id,
                    before: None,
                    after: Some(
                        serde_json::json!({ "attempted": r.attempted, "answer": r.answer }),
                    ),
                },
                &now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
