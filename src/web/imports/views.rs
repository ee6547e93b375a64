//! Excel 导入.

use crate::web::views::*;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "imports/form.html")]
pub struct ImportFormPage {
    pub layout: Layout,
    pub kinds: Vec<Opt>,
    pub problem: Option<String>,
}

impl ImportFormPage {
    pub fn build(layout: Layout, kind: &str, problem: Option<String>) -> ImportFormPage {
        use crate::domain::import::ImportKind;
        ImportFormPage {
            layout,
            kinds: opts(
                [ImportKind::Investors, ImportKind::Leads]
                    .iter()
                    .map(|k| (k.key().to_string(), k.label().to_string())),
                kind.trim(),
            ),
            problem,
        }
    }
}

/// A filter of the preview's rows: its label, count, link and whether it is the one shown.
pub struct RowFilter {
    pub label: &'static str,
    pub count: i64,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "imports/preview.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub v: crate::service::imports::ImportView,
    pub flash: Option<String>,
    pub problem: Option<String>,
    /// The fields the file fills, in its column order, with the file's header for each.
    pub fields: Vec<(&'static str, String)>,
    pub filters: Vec<RowFilter>,
}

impl ImportPage {
    pub fn build(
        layout: Layout,
        v: crate::service::imports::ImportView,
        flash: Option<String>,
        problem: Option<String>,
    ) -> ImportPage {
        use crate::domain::import::RowStatus;
        let fields = v
            .columns
            .iter()
            .filter_map(|c| c.field.map(|f| (f, c.header.clone())))
            .collect();
        let link = |status: Option<RowStatus>| match status {
            None => format!("/imports/{}", v.id),
            Some(s) => format!("/imports/{}?status={}", v.id, s.key()),
        };
        let mut filters = vec![RowFilter {
            label: "全部",
            count: v.rows_valid + v.rows_duplicate + v.rows_rejected,
            href: link(None),
            current: v.rows_status.is_none(),
        }];
        for (status, count) in [
            (RowStatus::Valid, v.rows_valid),
            (RowStatus::Duplicate, v.rows_duplicate),
            (RowStatus::Error, v.rows_rejected),
        ] {
            filters.push(RowFilter {
                label: status.label(),
                count,
                href: link(Some(status)),
                current: v.rows_status == Some(status),
            });
        }
        ImportPage {
            layout,
            v,
            flash,
            problem,
            fields,
            filters,
        }
    }

    /// A row's value of `field` as read, or "".
    pub fn value<'a>(&self, row: &'a crate::domain::import::PreviewRow, field: &str) -> &'a str {
        row.values.get(field).map_or("", String::as_str)
    }

    /// Whether a field holds long text (names, contents) that may wrap.
    pub fn long(&self, field: &str) -> bool {
        matches!(
            field,
            "name" | "title" | "investor_name" | "notes" | "contact" | "source"
        )
    }

    /// A row's problems as one line each: "C12（投资额）：…".
    pub fn problems(&self, row: &crate::domain::import::PreviewRow) -> Vec<String> {
        row.errors
            .iter()
            .chain(&row.warnings)
            .map(crate::domain::import::RowProblem::reason)
            .collect()
    }

    /// The link to another page of the rows shown.
    pub fn page_href(&self, page: i64) -> String {
        match self.v.rows_status {
            Some(s) => format!("/imports/{}?status={}&page={page}", self.v.id, s.key()),
            None => format!("/imports/{}?page={page}", self.v.id),
        }
    }

    pub fn list_href(&self) -> &'static str {
        if self.v.kind == "leads" {
            "/leads"
        } else {
            "/investors"
        }
    }
}
