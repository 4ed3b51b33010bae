use super::*;

fn cron_err(expr: &str) -> ScheduleProblem {
    match check_cron(expr) {
        Err(p) => p,
        Ok(()) => panic!("expected `{expr}` to be rejected"),
    }
}

fn rate_err(value: &str, unit: &str) -> ScheduleProblem {
    match check_rate(value, unit) {
        Err(p) => p,
        Ok(()) => panic!("expected `rate({value} {unit})` to be rejected"),
    }
}

/// The text the problem's range points at.
fn spot<'a>(expr: &'a str, p: &ScheduleProblem) -> &'a str {
    &expr[p.range.clone()]
}

#[test]
fn accepts_aws_documented_examples() {
    for expr in [
        "0 10 * * ? *",
        "15 12 * * ? *",
        "0 18 ? * MON-FRI *",
        "0 8 1 * ? *",
        "0/15 * * * ? *",
        "0/10 * ? * MON-FRI *",
        "0/5 8-17 ? * MON-FRI *",
        "0/30 20-2 ? * MON-FRI *",
        "0 12 * * ? *",
        "5,35 14 * * ? *",
        "15 10 ? * 6L 2019-2022",
        "0 9 ? * 2#1 *",
        "0 0 L * ? *",
        "0 0 ? * 6L *",
        "0 8 ? * 3#2 *",
        "0 0 3W * ? *",
        "0 20 * * ? *",
    ] {
        assert_eq!(check_cron(expr), Ok(()), "{expr}");
    }
}

#[test]
fn accepts_other_valid_forms() {
    for expr in [
        "*/5 * * * ? *",
        "5-30/5 * * * ? *",
        "0 0 1/5 * ? *",
        "0 0 ? JAN,MAR,SEP MON-FRI 2002-2010",
        "0 0 ? jan-mar mon-fri *",
        "0 0 ? * sun *",
        "0 0 ? * FRI-MON *",
        "0 0 LW * ? *",
        "0 0 lw * ? *",
        "0 0 15w * ? *",
        "0 0 ? * L *",
        "0 0 ? * FRIL *",
        "0 0 ? * MON#5 *",
        "0 0 1 */3 ? *",
        "0 0 1 JAN/3 ? *",
        "0 0 * * ? 2030/2",
        "  0   10 * * ?   * ",
        "0\t10\t*\t*\t?\t*",
        "1,2,3-5,10/20 0 * * ? *",
        "00 09 01 01 ? 1970",
        "59 23 31 12 ? 2199",
    ] {
        assert_eq!(check_cron(expr), Ok(()), "{expr}");
    }
}

#[test]
fn wrong_field_count_covers_whole_string() {
    let p = cron_err("0 18 * * *");
    assert_eq!(p.range, 0..10);
    assert!(p.message.contains("5 fields"), "{}", p.message);
    assert!(p.help.contains("Unix cron") && p.help.contains("`0 18 * * ? *`"));
    let p = cron_err("0 0 18 * * ? *");
    assert!(p.help.contains("seconds"));
    assert_eq!(cron_err("").message, "cron expression is empty");
    assert_eq!(cron_err("   ").range, 0..3);
    assert!(cron_err("0").message.contains("1 field,"));
}

#[test]
fn out_of_range_values_point_at_the_value() {
    let cases = [
        ("60 * * * ? *", "60", "minutes `60` is out of range 0-59"),
        ("0 24 * * ? *", "24", "hours `24` is out of range 0-23"),
        (
            "0 0 32 * ? *",
            "32",
            "day-of-month `32` is out of range 1-31",
        ),
        ("0 0 0 * ? *", "0", "day-of-month `0` is out of range 1-31"),
        (
            "0 0 1 13 ? *",
            "13",
            "month `13` is out of range 1-12 (or JAN-DEC)",
        ),
        (
            "0 0 ? * 8 *",
            "8",
            "day-of-week `8` is out of range 1-7 (or SUN-SAT)",
        ),
        (
            "0 0 * * ? 1969",
            "1969",
            "year `1969` is out of range 1970-2199",
        ),
        (
            "0 0 * * ? 2200",
            "2200",
            "year `2200` is out of range 1970-2199",
        ),
        ("0 8-25 * * ? *", "25", "hours `25` is out of range 0-23"),
        ("1,99 * * * ? *", "99", "minutes `99` is out of range 0-59"),
    ];
    for (expr, at, message) in cases {
        let p = cron_err(expr);
        assert_eq!(p.message, message, "{expr}");
        assert_eq!(spot(expr, &p), at, "{expr}");
        assert!(!p.on_unit);
    }
}

#[test]
fn sunday_zero_gets_unix_hint() {
    let p = cron_err("0 0 ? * 0 *");
    assert!(p.help.contains("`SUN`"), "{}", p.help);
}

#[test]
fn huge_numbers_do_not_panic() {
    let expr = "99999999999999999999 * * * ? *";
    let p = cron_err(expr);
    assert_eq!(spot(expr, &p), "99999999999999999999");
    let expr = "0/99999999999999999999 * * * ? *";
    assert!(cron_err(expr).message.contains("increment"));
    let expr = "0 0 ? * 2#99999999999999999999 *";
    assert!(cron_err(expr).message.contains("1 to 5"));
}

#[test]
fn invalid_values_and_misplaced_names() {
    let expr = "0 0 ? MON * *";
    let p = cron_err(expr);
    assert_eq!(p.message, "month `MON` is not a valid value");
    assert!(p.help.contains("5th field"));
    let p = cron_err("0 0 ? * JAN *");
    assert!(p.help.contains("4th field"));
    let expr = "0 x * * ? *";
    let p = cron_err(expr);
    assert_eq!(spot(expr, &p), "x");
    assert!(p.help.contains("hours takes 0-23"));
    let expr = "0 0 ? * MONDAY *";
    assert_eq!(spot(expr, &cron_err(expr)), "MONDAY");
    let expr = "0 0 5 * ? -1";
    assert!(cron_err(expr).message.contains("missing its start"));
}

#[test]
fn question_mark_outside_day_fields() {
    let expr = "? 0 * * ? *";
    let p = cron_err(expr);
    assert_eq!(p.message, "`?` is not allowed in minutes");
    assert_eq!(p.range, 0..1);
    let p = cron_err("0 0 1,? * ? *");
    assert!(p.message.contains("can't be combined"));
}

#[test]
fn day_fields_must_have_exactly_one_question_mark() {
    let expr = "0 18 * * MON-FRI *";
    let p = cron_err(expr);
    assert_eq!(spot(expr, &p), "*");
    assert_eq!(p.range, 5..6);
    assert!(
        p.help
            .contains("use `?` in day-of-month when day-of-week is set")
    );
    assert!(p.help.contains("`0 18 ? * MON-FRI *`"));

    let expr = "0 8 1 * * *";
    let p = cron_err(expr);
    assert_eq!(p.range, 8..9);
    assert!(p.help.contains("`0 8 1 * ? *`"));

    let p = cron_err("0 0 * * * *");
    assert!(p.message.contains("both `*`"));

    let expr = "0 0 ? * ? *";
    let p = cron_err(expr);
    assert!(p.message.contains("both `?`"));
    assert_eq!(spot(expr, &p), "? * ?");

    let expr = "0 0 1 * MON *";
    let p = cron_err(expr);
    assert!(p.message.contains("`1` and day-of-week `MON` are both set"));
    assert_eq!(spot(expr, &p), "1 * MON");
}

#[test]
fn field_errors_come_before_day_pair_error() {
    let p = cron_err("0 25 * * MON *");
    assert!(p.message.starts_with("hours"));
}

#[test]
fn increments() {
    let expr = "0/0 * * * ? *";
    let p = cron_err(expr);
    assert_eq!(p.message, "minutes increment `0` must be between 1 and 59");
    assert_eq!(spot(expr, &p), "0");
    let expr = "0/75 * * * ? *";
    assert_eq!(spot(expr, &cron_err(expr)), "75");
    let p = cron_err("0/ * * * ? *");
    assert!(p.message.contains("no increment"));
    let p = cron_err("0/x * * * ? *");
    assert!(p.message.contains("not a whole number"));
    let p = cron_err("/5 * * * ? *");
    assert!(p.message.contains("no start"));
    let p = cron_err("0/5/2 * * * ? *");
    assert!(p.message.contains("`5/2`"));
    let expr = "0 0 ? * MON/2 *";
    let p = cron_err(expr);
    assert!(p.message.contains("doesn't allow there"));
    assert_eq!(spot(expr, &p), "MON/2");
    let expr = "70/5 * * * ? *";
    assert_eq!(spot(expr, &cron_err(expr)), "70");
}

#[test]
fn ranges() {
    let expr = "0 0 * * ? 2025-2020";
    let p = cron_err(expr);
    assert_eq!(p.message, "year range `2025-2020` runs backwards");
    assert!(p.help.contains("`2020-2025`"));
    assert_eq!(spot(expr, &p), "2025-2020");
    let p = cron_err("0 8- * * ? *");
    assert!(p.message.contains("missing its start or end"));
    let expr = "0 1-2-3 * * ? *";
    assert_eq!(spot(expr, &cron_err(expr)), "2-3");
}

#[test]
fn empty_list_entries() {
    let expr = "1,,2 * * * ? *";
    let p = cron_err(expr);
    assert!(p.message.contains("empty entry"));
    assert_eq!(spot(expr, &p), "1,,2");
    assert!(cron_err("1, * * * ? *").message.contains("empty entry"));
    assert!(
        cron_err("*,5 * * * ? *")
            .message
            .contains("can't be combined")
    );
}

#[test]
fn last_and_weekday_wildcards() {
    let expr = "0 0 L * ? *";
    assert_eq!(check_cron(expr), Ok(()));
    for (expr, at) in [
        ("0 0 L-2 * ? *", "L-2"),
        ("0 0 ? * L-2 *", "L-2"),
        ("0 0 W * ? *", "W"),
        ("0 0 1-5W * ? *", "1-5W"),
        ("0 0 32W * ? *", "32"),
        ("0 0 ? * 8L *", "8"),
        ("0 0 ? * LL *", "LL"),
        ("0 0 ? * 6W *", "6W"),
        ("L 0 * * ? *", "L"),
        ("0 0 * L ? *", "L"),
    ] {
        let p = cron_err(expr);
        assert_eq!(spot(expr, &p), at, "{expr}: {}", p.message);
    }
    let expr = "0 0 1,L * ? *";
    let p = cron_err(expr);
    assert!(p.message.contains("can't be combined"));
    assert_eq!(spot(expr, &p), "L");
}

#[test]
fn hash_wildcard() {
    let expr = "0 0 ? * 3#6 *";
    let p = cron_err(expr);
    assert_eq!(spot(expr, &p), "6");
    assert!(p.help.contains("second Tuesday"));
    let expr = "0 0 ? * 3#1,6#3 *";
    let p = cron_err(expr);
    assert_eq!(spot(expr, &p), "3#1,6#3");
    assert!(p.help.contains("only one expression"));
    let expr = "0 0 ? * 9#1 *";
    assert_eq!(spot(expr, &cron_err(expr)), "9");
    let expr = "0 0 ? * 2# *";
    assert_eq!(spot(expr, &cron_err(expr)), "2#");
    let expr = "0 0 3#2 * ? *";
    assert_eq!(spot(expr, &cron_err(expr)), "3#2");
}

#[test]
fn unicode_never_panics_and_ranges_stay_on_char_boundaries() {
    for expr in [
        "é * * * ? *",
        "0 0 ? * MÖN *",
        "0\u{a0}0 * * ? *",
        "0 0 ? * 2#é *",
        "0 0 ? * éL *",
        "0 0 éW * ? *",
        "0/é * * * ? *",
        "日本 語 * * ? *",
        "0 0 * * ? 2020-日本",
    ] {
        let p = cron_err(expr);
        assert!(expr.get(p.range.clone()).is_some(), "{expr}: {:?}", p.range);
    }
}

#[test]
fn fuzz_like_inputs_never_panic() {
    let atoms = [
        "", "*", "?", "L", "W", "#", "/", "-", ",", "0", "7", "60", "é", "MON", "JAN", "LW", " ",
    ];
    for a in atoms {
        for b in atoms {
            for c in atoms {
                let expr = format!("{a}{b}{c} {b}{a} {c}{a}{b} * {a}{c} {b}");
                let _ = check_cron(&expr);
                let _ = check_rate(&format!("{a}{b}"), &format!("{c}{a}"));
            }
        }
    }
}

#[test]
fn rate_accepts_documented_forms() {
    for (v, u) in [
        ("1", "minute"),
        ("5", "minutes"),
        ("1", "hour"),
        ("12", "hours"),
        ("1", "day"),
        ("7", "days"),
    ] {
        assert_eq!(check_rate(v, u), Ok(()), "rate({v} {u})");
    }
    assert_eq!(check_rate("4294967295", "days"), Ok(()));
}

#[test]
fn rate_singular_plural() {
    let p = rate_err("1", "days");
    assert!(p.on_unit);
    assert_eq!(p.range, 0..0);
    assert!(p.message.contains("singular"));
    assert!(p.help.contains("`rate(1 day)`"));
    let p = rate_err("5", "day");
    assert!(p.message.contains("plural"));
    assert!(p.help.contains("`rate(5 days)`"));
    assert!(rate_err("1", "hours").help.contains("`rate(1 hour)`"));
    assert!(rate_err("2", "minute").help.contains("`rate(2 minutes)`"));
}

#[test]
fn rate_bad_values() {
    for v in ["0", "00", "", "-5", "1.5", "five", "+3", "١"] {
        let p = rate_err(v, "minutes");
        assert!(!p.on_unit, "{v}");
        assert_eq!(p.range, 0..0);
    }
    assert!(rate_err("0", "minutes").message.contains("at least 1"));
    assert!(rate_err("-5", "minutes").help.contains("positive"));
    assert!(rate_err("1.5", "hours").help.contains("90 minutes"));
    let p = rate_err("99999999999999999999", "days");
    assert!(p.message.contains("too large"));
    assert!(!p.on_unit);
    assert!(rate_err("4294967296", "days").message.contains("too large"));
}

#[test]
fn rate_unknown_units_get_suggestions() {
    let cases = [
        ("5", "mins", "`rate(5 minutes)`"),
        ("1", "mins", "`rate(1 minute)`"),
        ("2", "hrs", "`rate(2 hours)`"),
        ("3", "Days", "`rate(3 days)`"),
        ("1", "MINUTE", "`rate(1 minute)`"),
        ("10", "minuts", "`rate(10 minutes)`"),
        ("1", "week", "`rate(7 days)`"),
        ("2", "weeks", "`rate(14 days)`"),
        ("30", "seconds", "`rate(1 minute)`"),
        ("1", "month", "cron(0 0 1 * ? *)"),
        ("1", "year", "cron(0 0 1 1 ? *)"),
        ("1", "fortnight", "minute(s), hour(s) or day(s)"),
        ("1", "", "minute(s), hour(s) or day(s)"),
        ("1", "分钟", "minute(s), hour(s) or day(s)"),
    ];
    for (v, u, want) in cases {
        let p = rate_err(v, u);
        assert!(p.on_unit, "{u}");
        assert!(p.help.contains(want), "rate({v} {u}): {}", p.help);
    }
    assert_eq!(rate_err("5", "mins").message, "`mins` is not a rate unit");
    let p = rate_err("4294967295", "weeks");
    assert!(p.help.contains("number of days"));
}

#[test]
fn value_is_checked_before_unit() {
    let p = rate_err("0", "weeks");
    assert!(!p.on_unit);
}
