//! The reader: a ratatui + crossterm terminal UI over the `gisa` library.
//!
//! | module | what it does |
//! |---|---|
//! | [`action`] | `Action`: every command, one doc each |
//! | [`keymap`] | the one table: keys -> action -> help (dispatch, `?` overlay, README) |
//! | [`app`] | `App`: state and update logic, no terminal |
//! | [`theme`] | styles per kind, glyphs (ASCII chrome with `--ambiwidth wide`) |
//! | [`ui`] | widgets drawing from `&App` into the buffer: article, panes, status, overlays |
//!
//! One synchronous loop ([`run`]): draw, wait for an event (or a signal), turn it into an
//! action, update, repeat. The terminal is restored on every exit: `q`, Ctrl-C, SIGTERM,
//! SIGHUP, an error, a panic. A small thread only watches for signals (see `watch_signals`):
//! it never touches the state.

pub mod action;
pub mod app;
pub mod keymap;
pub mod theme;
pub mod ui;

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gisa::ingest::Loaded;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};
use ratatui::Terminal;

pub use app::{App, Options};

use app::{Mouse, MouseKind};
use keymap::Key;

/// How long the loop waits for input before checking for signals.
const TICK: Duration = Duration::from_millis(100);

/// Restores the terminal: mouse capture off, main screen, cursor shown, raw mode off. Safe to
/// call more than once and when the terminal was never set up.
pub fn restore() {
    let _ = restore_screen(&mut io::stdout());
    let _ = disable_raw_mode();
}

/// Writes what gives the terminal back: mouse reporting off, the main screen, the cursor.
fn restore_screen(out: &mut impl io::Write) -> io::Result<()> {
    execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show)
}

/// Restores the terminal when dropped: the error path and early returns.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Chains a panic hook that restores the terminal before the panic message is printed.
fn install_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));
}

/// Converts a crossterm mouse event to the reader's.
fn mouse_of(ev: &MouseEvent) -> Option<Mouse> {
    let kind = match ev.kind {
        MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
        MouseEventKind::ScrollUp => MouseKind::ScrollUp,
        MouseEventKind::ScrollDown => MouseKind::ScrollDown,
        _ => return None,
    };
    Some(Mouse { kind, x: ev.column, y: ev.row })
}

/// How long the loop gets to notice a signal before the watcher ends the process itself.
const GRACE: Duration = Duration::from_millis(500);

/// Watches SIGTERM, SIGINT and SIGHUP on a thread: sets `stop`, which the loop checks between
/// polls, and gives it [`GRACE`] to finish. When it does not (crossterm's reader spins forever
/// on a terminal that hung up: `read` keeps failing with EIO inside `poll`), the watcher
/// restores what it can and exits with 128 + the signal.
fn watch_signals(stop: Arc<AtomicBool>, done: Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            stop.store(true, Ordering::SeqCst);
            let start = std::time::Instant::now();
            while start.elapsed() < GRACE {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            restore();
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

/// Opens the reader on `files` (what loading each gave) and runs it until the user quits or a
/// signal (SIGTERM, SIGINT, SIGHUP) arrives. The terminal is restored on return and on panic.
pub fn run(files: Vec<(String, Loaded)>, opts: Options) -> io::Result<()> {
    let mut app = App::new(files, &opts);
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop), Arc::clone(&done))?;
    install_panic_hook();
    let res = {
        let _guard = Guard;
        enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, cursor::Hide)?;
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        terminal.clear()?;
        event_loop(&mut terminal, &mut app, &stop)
    };
    done.store(true, Ordering::SeqCst);
    res
}

fn event_loop(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App, stop: &AtomicBool) -> io::Result<()> {
    let mut dirty = true;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if dirty {
            terminal.draw(|f| ui::draw(app, f))?;
            dirty = false;
        }
        if !event::poll(TICK)? {
            continue;
        }
        match event::read()? {
            Event::Key(k) => {
                if let Some(key) = Key::from_event(&k) {
                    app.key(key);
                    dirty = true;
                }
            }
            Event::Mouse(m) => {
                if let Some(m) = mouse_of(&m) {
                    app.mouse(m);
                    dirty = true;
                }
            }
            Event::Resize(..) => {
                terminal.autoresize()?;
                dirty = true;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restoring_leaves_the_alternate_screen_and_stops_mouse_reports() {
        let mut out = Vec::new();
        restore_screen(&mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\x1b[?1049l"), "leave the alternate screen: {s:?}");
        assert!(s.contains("\x1b[?1000l") && s.contains("\x1b[?1006l"), "mouse reporting off: {s:?}");
        assert!(s.contains("\x1b[?25h"), "cursor shown: {s:?}");
    }

    #[test]
    fn mouse_events_convert() {
        use ratatui::crossterm::event::KeyModifiers;
        let ev = |kind| MouseEvent { kind, column: 3, row: 4, modifiers: KeyModifiers::NONE };
        assert_eq!(
            mouse_of(&ev(MouseEventKind::Down(MouseButton::Left))),
            Some(Mouse { kind: MouseKind::Click, x: 3, y: 4 })
        );
        assert_eq!(mouse_of(&ev(MouseEventKind::ScrollDown)).map(|m| m.kind), Some(MouseKind::ScrollDown));
        assert_eq!(mouse_of(&ev(MouseEventKind::Moved)), None);
        assert_eq!(mouse_of(&ev(MouseEventKind::Down(MouseButton::Right))), None);
    }
}
