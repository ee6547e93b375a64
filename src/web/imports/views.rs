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

#[derive(Template, WebTemplate)]
#[template(path = "imports/preview.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub v: crate::service::imports::ImportView,
    pub flash: Option<String>,
    pub problem: Option<String>,
}

impl ImportPage {
    pub fn cells(&self, row: &crate::service::imports::RejectedRow) -> Vec<String> {
        let mut cells = row.cells.clone();
        cells.resize(self.v.headers.len(), String::new());
        cells
    }
    pub fn list_href(&self) -> &'static str {
        if self.v.kind == "leads" {
            "/leads"
        } else {
            "/investors"
        }
    }
}
