//! A record chosen by name on a form that works without scripts: a text field with a list of
//! suggestions (`<datalist>`) whose values read "名称 #编号". What comes back is the number when
//! it is there (a suggestion was taken), else the name as typed, to be found by the service.

/// What a "choose by name" field held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Nothing,
    Id(i64),
    Name(String),
}

/// The value a suggestion carries for a record: its name and number.
pub fn suggestion(name: &str, id: i64) -> String {
    format!("{name} #{id}")
}

pub fn parse_pick(text: &str) -> Pick {
    let text = text.trim();
    if text.is_empty() {
        return Pick::Nothing;
    }
    let number = |t: &str| t.parse::<i64>().ok().filter(|n| *n > 0);
    if let Some(n) = number(text) {
        return Pick::Id(n);
    }
    if let Some((_, tail)) = text.rsplit_once('#')
        && let Some(n) = number(tail.trim())
    {
        return Pick::Id(n);
    }
    Pick::Name(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pick_is_a_number_a_suggestion_or_a_name() {
        for (text, want) in [
            ("", Pick::Nothing),
            ("  ", Pick::Nothing),
            ("42", Pick::Id(42)),
            ("年产10万吨纸塑包装项目 #42", Pick::Id(42)),
            (&suggestion("A#B 项目", 7), Pick::Id(7)),
            (
                "年产10万吨纸塑包装项目",
                Pick::Name("年产10万吨纸塑包装项目".into()),
            ),
            ("#项目", Pick::Name("#项目".into())),
            ("0", Pick::Name("0".into())),
        ] {
            assert_eq!(parse_pick(text), want, "{text}");
        }
    }
}
