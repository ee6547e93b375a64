//! Name search by character bigrams, so two-character Chinese words (钢铁) are found through an
//! index on both databases without a tokenizer or dictionary.

use std::collections::BTreeSet;

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

/// One bigram as a number: the two code points side by side (21 bits each).
pub fn gram(a: char, b: char) -> i64 {
    ((a as i64) << 21) | b as i64
}

/// The distinct bigrams of every text, for indexing a record.
pub fn grams_of(texts: &[&str]) -> BTreeSet<i64> {
    let mut grams = BTreeSet::new();
    for text in texts {
        let chars: Vec<char> = normalise(text).chars().collect();
        for pair in chars.windows(2) {
            grams.insert(gram(pair[0], pair[1]));
        }
    }
    grams
}

/// The text a record is verified against: its searchable fields, normalised, one per line.
pub fn search_text(texts: &[&str]) -> String {
    texts
        .iter()
        .map(|t| normalise(t))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A parsed query: the normalised needle and, when it has two or more characters, its bigrams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub needle: String,
    pub grams: Vec<i64>,
}

impl Query {
    pub fn parse(text: &str) -> Option<Query> {
        let needle = normalise(text);
        if needle.is_empty() {
            return None;
        }
        let grams = grams_of(&[&needle]).into_iter().collect();
        Some(Query { needle, grams })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_chinese_characters_make_one_gram() {
        let q = Query::parse("钢铁").unwrap();
        assert_eq!(q.grams, vec![gram('钢', '铁')]);
        assert!(grams_of(&["宁波钢铁深加工项目"]).contains(&q.grams[0]));
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(normalise("ＡＢＣ Steel"), "abcsteel");
    }

    #[test]
    fn a_single_character_has_no_grams() {
        assert!(Query::parse("钢").unwrap().grams.is_empty());
        assert!(Query::parse("  ").is_none());
    }
}
