//! Panics while the TUI has the terminal.
//!
//! On the TUI's own thread a panic gives the terminal back, then is
//! reported as any panic is. On any other thread (the saving thread, the
//! key reader) it must touch nothing: the TUI runs on in raw mode, and
//! stderr is the screen. Its report (where, what, and a backtrace when
//! `RUST_BACKTRACE` asks) is kept instead: [`caught`] gives its short form
//! for the status bar, and the TUI prints the full reports once it has
//! given the terminal back.

use std::any::Any;
use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

type Hook = dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static;

thread_local! {
    /// The short form of the last panic on this thread, kept by the hook
    /// for [`caught`]: the payload alone does not say where it was.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Our panic hook, from [`PanicHook::install`] until dropped; then the
/// hook there was before is back.
pub struct PanicHook {
    previous: Arc<Hook>,
    /// Cleared on drop: a hook that cannot be taken down (a drop while
    /// unwinding may not set one) only passes panics on.
    active: Arc<AtomicBool>,
    reports: Arc<Mutex<Vec<String>>>,
}

impl PanicHook {
    /// Put our hook in place for panics from now on; the calling thread is
    /// the TUI's.
    #[must_use]
    pub fn install() -> PanicHook {
        let previous: Arc<Hook> = Arc::from(panic::take_hook());
        let active = Arc::new(AtomicBool::new(true));
        let reports = Arc::new(Mutex::new(Vec::new()));
        let tui = thread::current().id();
        let (pass_on, on, kept) = (
            Arc::clone(&previous),
            Arc::clone(&active),
            Arc::clone(&reports),
        );
        panic::set_hook(Box::new(move |info| {
            if !on.load(Ordering::Acquire) {
                pass_on(info);
            } else if thread::current().id() == tui {
                super::restore_terminal();
                pass_on(info);
            } else {
                LAST.with(|last| *last.borrow_mut() = Some(short(info)));
                kept.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(full(info));
            }
        }));
        PanicHook {
            previous,
            active,
            reports,
        }
    }

    /// The full report of each panic off the TUI's thread so far.
    #[must_use]
    pub fn reports(&self) -> Vec<String> {
        self.reports
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for PanicHook {
    fn drop(&mut self) {
        self.active.store(false, Ordering::Release);
        if !thread::panicking() {
            let previous = Arc::clone(&self.previous);
            panic::set_hook(Box::new(move |info| previous(info)));
        }
    }
}

/// What the panic says, and where: `index out of bounds, at
/// src/store/mod.rs:12:5`.
fn short(info: &PanicHookInfo<'_>) -> String {
    let message = message(info.payload());
    match info.location() {
        Some(at) => format!("{message}, at {}:{}:{}", at.file(), at.line(), at.column()),
        None => message,
    }
}

/// The report as Rust's own hook would print it.
fn full(info: &PanicHookInfo<'_>) -> String {
    let name = thread::current().name().unwrap_or("<unnamed>").to_string();
    let mut report = format!("thread '{name}' {info}");
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        let _ = write!(report, "\nstack backtrace:\n{}", Backtrace::force_capture());
    }
    report
}

fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

/// Run `f`; a panic in it comes back as what it said and, while our hook
/// is in place, where.
pub(crate) fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    LAST.with(|last| last.borrow_mut().take());
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        LAST.with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| message(&*payload))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    // One test: the panic hook is the whole process's, and tests run side
    // by side. It checks only once the hook it found is back, so that a
    // failure is reported as usual.
    #[test]
    fn panics_off_the_tui_thread_are_kept_with_their_place_and_the_old_hook_comes_back() {
        static OLD_HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);
        let found = panic::take_hook();
        panic::set_hook(Box::new(|_| {
            OLD_HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
        }));

        let hook = PanicHook::install();
        let caught_at = line!() + 1;
        let caught_here = thread::spawn(|| caught(|| panic!("lost the thread")))
            .join()
            .unwrap();
        // A thread that catches nothing is reported too.
        let uncaught_at = line!() + 1;
        let uncaught = thread::spawn(|| panic!("uncaught")).join();
        let reports = hook.reports();
        let old_hook_calls_meanwhile = OLD_HOOK_CALLS.load(Ordering::SeqCst);
        drop(hook);
        let _ = thread::spawn(|| panic!("after")).join();
        let old_hook_calls_after = OLD_HOOK_CALLS.load(Ordering::SeqCst);
        panic::set_hook(found);

        let expected = format!("lost the thread, at {}:{caught_at}:", file!());
        assert!(
            caught_here.as_ref().unwrap_err().starts_with(&expected),
            "{caught_here:?}"
        );
        assert!(uncaught.is_err());
        assert_eq!(reports.len(), 2, "{reports:?}");
        let place = format!("panicked at {}:{uncaught_at}:", file!());
        assert!(
            reports[1].contains(&place) && reports[1].contains("uncaught"),
            "{reports:?}"
        );
        assert_eq!(old_hook_calls_meanwhile, 0);
        assert_eq!(old_hook_calls_after, 1, "the hook there was before is back");
    }
}
