//! The reader in a real terminal: tmux runs the built binary in a pseudo-terminal, keys are
//! sent with `send-keys`, the screen is read with `capture-pane`. Checks: the current
//! annotation moves as expected (the status bar's `quote 2/5`), every bordered row keeps its
//! borders in the same columns, resizing (down to a tiny window) keeps it alive and right, and
//! `q`, Ctrl-C and SIGTERM all leave a clean shell (alternate screen off).
//!
//! tmux is required: `.ci/run` installs it. Without it these tests fail, they do not skip.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

const WAIT: Duration = Duration::from_secs(20);

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui").join(name).display().to_string()
}

/// A private tmux server (its own socket), killed when dropped.
struct Tmux {
    sock: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(o) if o.status.success() => {}
            other => panic!("tmux is required for the real-terminal tests (.ci/run installs it): {other:?}"),
        }
        Tmux { sock: format!("gisa-test-{}-{name}", std::process::id()) }
    }

    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.sock, "-f", "/dev/null", "-u"])
            .args(args)
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env_remove("TMUX")
            .output()
            .expect("run tmux")
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.cmd(args);
        assert!(o.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn keys(&self, target: &str, keys: &[&str]) {
        for k in keys {
            self.ok(&["send-keys", "-t", target, k]);
        }
    }

    fn capture(&self, target: &str) -> Vec<String> {
        self.ok(&["capture-pane", "-p", "-t", target]).lines().map(str::to_string).collect()
    }

    fn display(&self, target: &str, fmt: &str) -> String {
        self.ok(&["display-message", "-p", "-t", target, fmt]).trim().to_string()
    }

    /// Waits until the screen satisfies `pred`; fails with the last screen otherwise.
    fn wait(&self, target: &str, what: &str, pred: impl Fn(&[String]) -> bool) -> Vec<String> {
        let start = Instant::now();
        loop {
            let screen = self.capture(target);
            if pred(&screen) {
                return screen;
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {what}; screen:\n{}", screen.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_status(&self, target: &str, text: &str) -> Vec<String> {
        self.wait(target, &format!("status bar with {text:?}"), |s| s.iter().any(|l| l.contains(text)))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
        // the socket file outlives the server: remove it too (tmux's default place on Linux)
        let uid = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.to_string()))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_string));
        if let Some(uid) = uid {
            let dir = std::env::var("TMUX_TMPDIR").unwrap_or_else(|_| "/tmp".into());
            let _ = std::fs::remove_file(format!("{dir}/tmux-{uid}/{}", self.sock));
        }
    }
}

const BORDER: &[char] = &['┌', '┐', '└', '┘', '│'];

/// Display columns of the border glyphs of a line (tmux prints a wide glyph once).
fn border_columns(line: &str) -> Vec<usize> {
    let mut col = 0;
    let mut out = Vec::new();
    for c in line.chars() {
        if BORDER.contains(&c) {
            out.push(col);
        }
        col += c.to_string().width();
    }
    out
}

/// Every row but the status bar is bordered, with a border glyph in each column where the
/// first row has a corner (the outer edges of the article pane and the side panes), and the
/// outermost border is in the last column of a `width`-column screen.
fn borders(screen: &[String], width: usize) -> Result<(), String> {
    let show = || screen.join("\n");
    if screen.len() < 2 {
        return Err("empty screen".into());
    }
    let cols = border_columns(&screen[0]);
    if cols.len() < 2 || cols.first() != Some(&0) || cols.last() != Some(&(width - 1)) {
        return Err(format!("the first row is no full-width box:\n{}", show()));
    }
    let rows = &screen[..screen.len() - 1];
    for (y, line) in rows.iter().enumerate() {
        let have = border_columns(line);
        if let Some(c) = cols.iter().find(|c| !have.contains(c)) {
            return Err(format!("row {y} lost its border at column {c}:\n{}", show()));
        }
    }
    Ok(())
}

fn assert_borders(screen: &[String], width: usize, what: &str) {
    if let Err(e) = borders(screen, width) {
        panic!("{what}: {e}");
    }
}

/// Waits for a complete frame of `w`x`h` with `status` in the status bar, and checks its
/// borders (a frame being drawn may be caught half-way: the wait ends at a whole one, and
/// fails when none comes).
fn wait_frame(t: &Tmux, target: &str, w: usize, h: usize, status: &str) -> Vec<String> {
    let s = t.wait(target, &format!("a whole {w}x{h} frame with {status:?}"), |s| {
        s.len() == h && s.last().is_some_and(|l| l.contains(status)) && borders(s, w).is_ok()
    });
    assert_borders(&s, w, &format!("{w}x{h}"));
    s
}

#[test]
fn reader_in_tmux_keys_panes_resize_and_quit() {
    let t = Tmux::new("main");
    // paths go in through the environment, so the typed command stays one short line whatever
    // the checkout's path (a wrapped command line would move the rows checked below)
    let bin_env = format!("GISA_BIN={}", env!("CARGO_BIN_EXE_gisa"));
    let fix_env = format!("GISA_FIXTURE={}", fixture("article.json"));
    t.ok(&["new-session", "-d", "-x", "100", "-y", "30", "-s", "r", "-e", &bin_env, "-e", &fix_env, "sh"]);
    t.keys("r", &["\"$GISA_BIN\" \"$GISA_FIXTURE\"; echo EXIT=$?", "Enter"]);
    let s = wait_frame(&t, "r", 100, 30, "1 warning (w)");
    assert_eq!(t.display("r", "#{alternate_on}"), "1", "the reader uses the alternate screen");
    assert!(s.last().unwrap().contains(" - "), "no current annotation at first: {}", s.last().unwrap());

    // n five times: 서울시, 약 12만 명, 김하늘, 서울시, then the first quote
    t.keys("r", &["n", "n", "n", "n", "n"]);
    t.wait_status("r", "quote 1/5");
    t.keys("r", &["]", "q"]);
    wait_frame(&t, "r", 100, 30, "quote 2/5");
    // a pane selection: focus Quotes, move down: the third quote becomes current
    t.keys("r", &["Tab", "j"]);
    let s = wait_frame(&t, "r", 100, 30, "quote 3/5");
    assert!(s.iter().any(|l| l.contains("> 박도윤")), "the Quotes pane selects the third quote:\n{}", s.join("\n"));
    t.keys("r", &["Enter", "n"]);
    t.wait_status("r", "quote 4/5");
    t.keys("r", &["n"]);
    wait_frame(&t, "r", 100, 30, "figure 7/7");

    // resize: stacked panes, then too small, then back; the current annotation stays
    t.ok(&["resize-window", "-t", "r", "-x", "60", "-y", "20"]);
    wait_frame(&t, "r", 60, 20, "figure 7/7");
    t.ok(&["resize-window", "-t", "r", "-x", "12", "-y", "4"]);
    t.wait("r", "the too-small message", |s| s.iter().any(|l| l.contains("window too")));
    t.ok(&["resize-window", "-t", "r", "-x", "1", "-y", "1"]);
    std::thread::sleep(Duration::from_millis(300));
    t.ok(&["resize-window", "-t", "r", "-x", "100", "-y", "30"]);
    wait_frame(&t, "r", 100, 30, "figure 7/7");

    // the help overlay opens and closes
    t.keys("r", &["?"]);
    t.wait("r", "the help", |s| s.iter().any(|l| l.contains("Scrolling")));
    t.keys("r", &["q"]);
    t.wait("r", "the help closed", |s| !s.iter().any(|l| l.contains("Scrolling")));

    // q leaves a clean shell
    t.keys("r", &["q"]);
    // the shell printed the status and its prompt is back
    let s = t.wait("r", "the shell after q", |s| {
        s.iter().position(|l| l.contains("EXIT=0")).is_some_and(|i| s.get(i + 1).is_some_and(|l| !l.trim().is_empty()))
    });
    assert_eq!(t.display("r", "#{alternate_on}"), "0", "the alternate screen is gone");
    assert!(!s.iter().any(|l| l.chars().any(|c| BORDER.contains(&c))), "no reader left on screen:\n{}", s.join("\n"));
    let exit_row = s.iter().position(|l| l.contains("EXIT=0")).unwrap_or(0);
    assert!(
        exit_row > 0 && s[exit_row - 1].contains("echo EXIT"),
        "the shell's lines are as before:\n{}",
        s.join("\n")
    );
    assert!(s.get(exit_row + 1).is_some_and(|l| !l.trim().is_empty()), "the prompt is back:\n{}", s.join("\n"));
}

/// Starts the reader under a shell that prints its exit status (`EXIT=N`) and returns the
/// reader's pid. (tmux's own `pane_dead_status` is not always filled in: it marks the pane dead
/// when the terminal closes, sometimes before it has reaped the process; and output written
/// just before a pane dies is not always on its screen.)
fn start_direct(t: &Tmux, name: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_gisa");
    // the shell stays (sleeping) after printing, so the pane and its screen stay as they are
    let cmd = format!("'{bin}' '{}'; echo EXIT=$?; exec sleep 120", fixture("two.jsonl"));
    t.ok(&["new-session", "-d", "-x", "80", "-y", "24", "-s", name, &cmd]);
    t.wait_status(name, "warning");
    let shell = t.display(name, "#{pane_pid}");
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
    children.split_whitespace().next().unwrap_or_else(|| panic!("no reader process under the pane's shell")).to_string()
}

/// Waits until the reader has exited and the shell printed its status; returns that status.
fn wait_exit(t: &Tmux, name: &str) -> String {
    let s = t.wait(name, "the reader's exit status", |s| s.iter().any(|l| l.contains("EXIT=")));
    let line = s.iter().find(|l| l.contains("EXIT=")).cloned().unwrap_or_default();
    line.split("EXIT=").nth(1).unwrap_or("").trim().to_string()
}

#[test]
fn sigterm_and_ctrl_c_restore_the_terminal() {
    let t = Tmux::new("signals");
    let pid = start_direct(&t, "term");
    assert_eq!(t.display("term", "#{alternate_on}"), "1");
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    assert_eq!(wait_exit(&t, "term"), "0", "SIGTERM: orderly exit");
    assert_eq!(t.display("term", "#{alternate_on}"), "0", "SIGTERM: terminal restored");

    let _ = start_direct(&t, "ctrlc");
    t.keys("ctrlc", &["]", "a"]);
    t.wait_status("ctrlc", "article 2/2");
    t.keys("ctrlc", &["C-c"]);
    assert_eq!(wait_exit(&t, "ctrlc"), "0", "Ctrl-C: orderly exit");
    assert_eq!(t.display("ctrlc", "#{alternate_on}"), "0", "Ctrl-C: terminal restored");
}

/// True while process `pid` exists and is not a zombie.
fn alive(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next()) != Some("Z"),
        Err(_) => false,
    }
}

/// The terminal going away (the pane is killed: SIGHUP, then EIO on every read) ends the
/// reader; it does not keep spinning.
#[test]
fn a_terminal_that_hangs_up_ends_the_reader() {
    let t = Tmux::new("hangup");
    let pid = start_direct(&t, "hup");
    assert!(alive(&pid));
    t.ok(&["kill-pane", "-t", "hup"]);
    let start = Instant::now();
    while alive(&pid) {
        if start.elapsed() > WAIT {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("the reader (pid {pid}) kept running after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
