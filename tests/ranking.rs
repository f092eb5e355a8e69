//! Ranking in the TUI as a refinement meeting does it, again and again:
//! every move is one undo step that puts back every key it changed.

mod common;

use common::{app, numbered, order, press};

#[test]
fn undoing_a_move_puts_back_every_key_it_changed() {
    // The top story down a place, then the bottom one up a place, by
    // turns: each lands between the last two moved, so keys run out of
    // room and moves respread their neighbours too.
    let mut app = app(numbered(3), 80, 24);
    let mut respread = false;
    for step in 0..100_u32 {
        let keys: &[&str] = if step.is_multiple_of(2) {
            &["g", "J"]
        } else {
            &["G", "K"]
        };
        let before = app.backlog.clone();
        press(&mut app, keys);
        let after = app.backlog.clone();
        let rekeyed = before
            .stories_by_id()
            .iter()
            .zip(after.stories_by_id())
            .filter(|(was, now)| was.rank != now.rank)
            .count();
        respread |= rekeyed > 1;
        press(&mut app, &["u"]);
        assert_eq!(app.backlog, before, "step {step}: undone");
        press(&mut app, &["C-r"]);
        assert_eq!(app.backlog, after, "step {step}: redone");
    }
    assert!(respread, "some move respread its neighbours");
    assert_eq!(order(&app).len(), 3);
}
