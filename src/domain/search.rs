//! Name search: a fragment of the project or investor name, compared after normalising both, so
//! that any substring — two-character Chinese words (钢铁) included — is found, with no tokenizer
//! or dictionary. Lists hold the normalised text of every project in memory (`listing`).

/// The normalised form that search compares: ASCII lower case, full-width ASCII folded to
/// half-width, white space removed.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The text a record is searched in: its searchable fields, normalised, one per line (so no
/// needle, which has no white space, spans two fields).
pub fn search_text(texts: &[&str]) -> String {
    texts
        .iter()
        .map(|t| normalise(t))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A parsed query: the normalised needle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub needle: String,
}

impl Query {
    pub fn parse(text: &str) -> Option<Query> {
        let needle = normalise(text);
        (!needle.is_empty()).then_some(Query { needle })
    }

    pub fn matches(&self, search_text: &str) -> bool {
        search_text.contains(&self.needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_chinese_characters_are_found_inside_a_name() {
        let text = search_text(&["宁波钢铁深加工项目", "宁波华宇钢材有限公司"]);
        assert!(Query::parse("钢铁").unwrap().matches(&text));
        assert!(Query::parse("华宇钢材").unwrap().matches(&text));
        assert!(!Query::parse("钢铁华宇").unwrap().matches(&text));
    }

    #[test]
    fn fields_do_not_run_together() {
        let text = search_text(&["钢铁项目", "目标公司"]);
        assert!(!Query::parse("项目目标").unwrap().matches(&text));
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(normalise("ＡＢＣ Steel"), "abcsteel");
        assert!(
            Query::parse("ｓｔｅｅｌ")
                .unwrap()
                .matches(&search_text(&["Steel Co"]))
        );
    }

    #[test]
    fn blank_queries_are_no_queries() {
        assert!(Query::parse("  ").is_none());
        assert!(Query::parse("钢").is_some());
    }
}
