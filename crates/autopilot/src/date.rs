//! Calendar days without a clock: the engine only compares dates it is given.

use std::fmt;

/// A calendar day, counted from 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Day(pub i32);

impl Day {
    /// Parses `YYYY-MM-DD` (a trailing time such as `T10:00:00` is ignored).
    pub fn parse(text: &str) -> Option<Day> {
        let date = text.trim().get(..10)?;
        let mut parts = date.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day::from_civil(year, month, day))
    }

    /// The day for a year, month (1–12) and day of month.
    pub fn from_civil(year: i32, month: u32, day: u32) -> Day {
        // Howard Hinnant's days_from_civil, which needs no tables and no leap-year branches.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// Year, month (1–12) and day of month.
    pub fn civil(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }

    /// Months since year 0, so consecutive months differ by one.
    pub fn month_index(self) -> i32 {
        let (year, month, _) = self.civil();
        year * 12 + month as i32 - 1
    }

    /// Day of the month, 1–31.
    pub fn day_of_month(self) -> u32 {
        self.civil().2
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Formats a [`Day::month_index`] as `YYYY-MM`.
pub fn month_label(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_civil() {
        for n in [-800_000, -1, 0, 1, 18_000, 19_000, 60_000] {
            let (y, m, d) = Day(n).civil();
            assert_eq!(Day::from_civil(y, m, d), Day(n));
        }
        assert_eq!(Day::parse("1970-01-01"), Some(Day(0)));
        assert_eq!(
            Day::parse("2024-02-29").map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert_eq!(Day::parse("2023-02-29"), None);
        assert_eq!(Day::parse("garbage"), None);
        assert_eq!(Day::parse("2022-13-01"), None);
        assert_eq!(
            month_label(Day::parse("2022-08-19").map(Day::month_index).unwrap_or(0)),
            "2022-08"
        );
    }
}
