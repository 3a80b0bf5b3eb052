//! Timestamps as the e2fsprogs tools print them (`ctime` in UTC).

use alloc::format;
use alloc::string::String;

/// Days since 1970-01-01 to (year, month 1-12, day 1-31). Howard Hinnant's civil
/// calendar algorithm, in checked-free integer arithmetic valid for all i64 days
/// we can be handed (callers pass at most ±2^34 seconds).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `Sat Nov 22 05:50:00 2026`, as C's `ctime` prints a UTC time.
pub fn ctime(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = secs.clamp(-(1 << 40), 1 << 40);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let wd = DAYS[days.rem_euclid(7) as usize];
    format!(
        "{wd} {} {d:2} {:02}:{:02}:{:02} {y}",
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// debugfs `ls -l`'s date, `%2d-%b-%Y %H:%M` in UTC: `" 2-Dec-2026 09:05"`
/// (a one-digit day keeps its leading space, as C's `%2d` does).
pub fn ls_date(secs: i64) -> String {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = secs.clamp(-(1 << 40), 1 << 40);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{d:2}-{}-{y} {:02}:{:02}", MONTHS[(m - 1) as usize], rem / 3600, rem / 60 % 60)
}

/// ISO-8601 UTC with nanoseconds (for JSON and the UI).
pub fn iso8601(secs: i64, nanos: u32) -> String {
    let secs = secs.clamp(-(1 << 40), 1 << 40);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem / 60 % 60, rem % 60);
    if nanos != 0 {
        s.push_str(&format!(".{nanos:09}"));
    }
    s.push('Z');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctime_matches_c() {
        assert_eq!(ctime(0), "Thu Jan  1 00:00:00 1970");
        // date -u -d @1795332600
        assert_eq!(ctime(1_795_332_600), "Sun Nov 22 07:30:00 2026");
        assert_eq!(ctime(951_782_400), "Tue Feb 29 00:00:00 2000");
    }

    #[test]
    fn one_digit_days_keep_c_spacing() {
        // 2026-12-02 09:05:00 UTC: the day that broke every test run on days 1-9.
        let t = 1_796_202_300;
        assert_eq!(ctime(t), "Wed Dec  2 09:05:00 2026");
        assert_eq!(ls_date(t), " 2-Dec-2026 09:05");
        assert_eq!(ls_date(t + 8 * 86_400), "10-Dec-2026 09:05");
        assert_eq!(ls_date(0), " 1-Jan-1970 00:00");
    }

    #[test]
    fn iso() {
        assert_eq!(iso8601(0, 5), "1970-01-01T00:00:00.000000005Z");
    }
}
