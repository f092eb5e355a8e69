//! The release plan kept in the backlog: sprints closed with the points
//! done in them.

use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_sprint_in_which_nothing_was_done_closes_with_0_points_not_minus_0() {
    // An empty sum of f64 is -0.0, which the file would keep as -0.0 and
    // the screen show as "-0".
    let mut b = backlog_of(2);
    b.add_sprint(Sprint::new("S1", day(2027, 1, 4))).unwrap();
    let points = b.close_sprint("S1", None).unwrap();
    assert!(points == 0.0 && points.is_sign_positive(), "{points:?}");
    let completed = b.product.sprint("S1").unwrap().completed.unwrap();
    assert_eq!(crate::words::number(completed), "0");
}
