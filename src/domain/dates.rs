//! Calendar dates in Asia/Shanghai (UTC+8, no daylight saving).

use time::{Date, Month, OffsetDateTime, UtcOffset, macros::format_description};

pub const SHANGHAI: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// Today's date in Asia/Shanghai for a given instant.
pub fn shanghai_date(now: OffsetDateTime) -> Date {
    now.to_offset(SHANGHAI).date()
}

/// `YYYY-MM-DD`.
/// Serialises a date as `YYYY-MM-DD` (for `#[serde(serialize_with)]`).
pub fn serialize_iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*d))
}

/// Serialises an optional date as `YYYY-MM-DD` or null.
pub fn serialize_iso_option<S: serde::Serializer>(
    d: &Option<Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&iso(*d)),
        None => s.serialize_none(),
    }
}

pub fn iso(date: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    date.format(&fmt).unwrap_or_default()
}

/// Parses the date forms people type: 2019-05-28, 2019-5-28, 2019.5.28, 2019/5/28, 2019年5月28日,
/// also with full-width digits.
pub fn parse_date(text: &str) -> Option<Date> {
    let normalised: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '年' | '月' | '.' | '/' | '．' | '／' | '－' => '-',
            other => other,
        })
        .filter(|c| *c != '日')
        .collect();
    let mut parts = normalised.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=2200).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Excel counts days from 1899-12-30 (after its 1900 leap-year mistake); a serial outside
/// Excel's own range (up to 9999-12-31) is no date.
pub fn from_excel_serial(serial: f64) -> Option<Date> {
    if !(0.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let epoch = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    epoch.checked_add(time::Duration::days(serial.floor() as i64))
}

/// A date cell of a ledger as people keep it: 2026-03-19, 2026.3.19, 2026/3/19, 2026年3月19日,
/// full-width digits, an ISO date-time, or an Excel serial day number (46100) where the cell
/// kept the number rather than its date format.
pub fn parse_ledger_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = parse_date(t) {
        return Some(d);
    }
    // 2026-03-19T00:00:00 (a date-time cell written as text).
    if let Some((day, _)) = t.split_once('T') {
        return parse_date(day);
    }
    // A serial day number: 5 digits cover 1927-05-18 (10000) to 2173-10-14 (99999).
    let digits = t.strip_suffix(".0").unwrap_or(t);
    if digits.len() == 5 && digits.chars().all(|c| c.is_ascii_digit()) {
        return digits.parse().ok().and_then(from_excel_serial);
    }
    None
}

/// A stored RFC 3339 instant as Shanghai wall-clock time to the minute, e.g. "2026-11-23 19:42".
pub fn shanghai_minute(rfc3339: &str) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(SHANGHAI).format(&fmt).ok())
        .unwrap_or_else(|| rfc3339.to_string())
}

/// A Unix second as Shanghai wall-clock time to the minute.
pub fn shanghai_minute_of_unix(seconds: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.to_offset(SHANGHAI).format(&fmt).ok())
        .unwrap_or_default()
}

/// The UTC instant at which a Shanghai calendar day begins, as `YYYY-MM-DDTHH:MM:SS` — a
/// prefix that compares correctly with stored RFC 3339 instants whatever their fractions.
pub fn utc_start_of_shanghai_day(date: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    date.midnight()
        .assume_offset(SHANGHAI)
        .to_offset(UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_default()
}

/// Whole days from `from` to `to`.
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).whole_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_dates_are_read_the_ways_offices_write_them() {
        let d = |t: &str| parse_ledger_date(t).map(iso);
        for (text, want) in [
            ("2026.3.5", Some("2026-03-05")),
            ("2026年1月8日", Some("2026-01-08")),
            ("2026/4/2", Some("2026-04-02")),
            ("２０２６－０３－１９", Some("2026-03-19")),
            ("46100", Some("2026-03-19")),
            ("2026-03-19T00:00:00", Some("2026-03-19")),
            ("2026-13-01", None),
            ("2026-02-30", None),
            ("去年三月", None),
            ("2026", None),
        ] {
            assert_eq!(d(text).as_deref(), want, "{text}");
        }
    }
    use time::macros::{date, datetime};

    #[test]
    fn common_forms_parse() {
        for text in [
            "2019-05-28",
            "2019-5-28",
            "2019.5.28",
            "2019/5/28",
            "2019年5月28日",
            "２０１９年５月２８日",
        ] {
            assert_eq!(parse_date(text), Some(date!(2019 - 05 - 28)), "{text}");
        }
    }

    #[test]
    fn impossible_dates_do_not_parse() {
        for text in [
            "2019-02-30",
            "2019-13-01",
            "hello",
            "",
            "2019-05",
            "2019-05-28-1",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn instants_show_in_shanghai_time() {
        assert_eq!(
            shanghai_minute("2026-11-23T11:42:10.319950684Z"),
            "2026-11-23 19:42"
        );
        assert_eq!(shanghai_minute("garbage"), "garbage");
    }

    #[test]
    fn shanghai_day_starts_at_16_utc() {
        assert_eq!(
            shanghai_date(datetime!(2026-11-22 15:59 UTC)),
            date!(2026 - 11 - 22)
        );
        assert_eq!(
            shanghai_date(datetime!(2026-11-22 16:00 UTC)),
            date!(2026 - 11 - 23)
        );
    }
}
