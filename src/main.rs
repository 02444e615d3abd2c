//! The `gisa` binary: the command line and the terminal layer over the `gisa` library.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use gisa::ingest::{LoadError, Loaded};
use gisa::print::{print_article, PrintOptions};

/// gisa (기사): read annotated news articles in the terminal.
///
/// With no command, opens the reader on FILEs or folders (the bundled samples when none is
/// given). Files: gisa-article/1 JSON (.json: one article or an array; .jsonl: one per line).
#[derive(Parser, Debug)]
#[command(name = "gisa", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Articles to open: files or folders.
    files: Vec<PathBuf>,

    /// How to measure East Asian Ambiguous characters (“ ” · …): as the terminal draws them.
    #[arg(long, value_enum, default_value_t = AmbiWidth::Narrow, global = true)]
    ambiwidth: AmbiWidth,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print articles wrapped, with highlights, to standard output (pipe-friendly).
    Print {
        /// Article files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Width in columns (default: the terminal's width, 80 when not a terminal).
        #[arg(long, short)]
        width: Option<usize>,
        /// When to use colour.
        #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
        color: ColorWhen,
    },
    /// Check article files: every problem one per line; exit 0 clean, 1 problems, 2 unreadable.
    Check {
        /// Article files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum AmbiWidth {
    /// One cell (most terminals' default).
    Narrow,
    /// Two cells (terminals set to treat ambiguous characters as wide); ASCII borders.
    Wide,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    /// Colour when standard output is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour: no escape byte in the output.
    Never,
}

/// Loads one file of any supported kind.
fn load(path: &Path) -> Result<Loaded, LoadError> {
    gisa::ingest::load_native_file(path)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ambiwide = cli.ambiwidth == AmbiWidth::Wide;
    match cli.command {
        Some(Command::Print { files, width, color }) => cmd_print(&files, width, color, ambiwide),
        Some(Command::Check { files }) => cmd_check(&files),
        None => {
            if cli.files.is_empty() {
                eprintln!("gisa: no file given (try `gisa --help`)");
                ExitCode::from(2)
            } else {
                cmd_print(&cli.files, None, ColorWhen::Auto, ambiwide)
            }
        }
    }
}

fn cmd_print(files: &[PathBuf], width: Option<usize>, color: ColorWhen, ambiwide: bool) -> ExitCode {
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let width = width.unwrap_or_else(|| {
        if tty {
            ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w as usize)
        } else {
            80
        }
    });
    let color = match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => tty && std::env::var_os("NO_COLOR").is_none(),
    };
    let opts = PrintOptions { width, color, ambiwide };
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut code = 0u8;
    let mut first = true;
    for f in files {
        let loaded = match load(f) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("gisa: {e}");
                code = 2;
                continue;
            }
        };
        for p in loaded.all_problems() {
            eprintln!("gisa: {}: {}", f.display(), describe(p));
            code = code.max(1);
        }
        for a in &loaded.articles {
            if !first {
                let _ = writeln!(out);
            }
            first = false;
            if let Err(e) = print_article(a, opts, &mut out) {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
                eprintln!("gisa: writing output: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Err(e) = out.flush() {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("gisa: writing output: {e}");
            return ExitCode::from(2);
        }
    }
    // problems are reported on stderr; print succeeds when it printed
    ExitCode::from(if code == 2 { 2 } else { 0 })
}

/// `article id: annotation id: message`.
fn describe(p: &gisa::model::Problem) -> String {
    match &p.annotation {
        Some(a) => format!("article {}: annotation {}: {}", p.article, a, p.message),
        None => format!("article {}: {}", p.article, p.message),
    }
}

fn cmd_check(files: &[PathBuf]) -> ExitCode {
    let mut code = 0u8;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for f in files {
        match load(f) {
            Ok(loaded) => {
                for p in loaded.all_problems() {
                    let _ = writeln!(out, "{}: {}", f.display(), describe(p));
                    code = code.max(1);
                }
            }
            Err(e) => {
                let _ = writeln!(out, "{e}");
                code = 2;
            }
        }
    }
    ExitCode::from(code)
}

/// mimalloc: ingest allocates many small strings (ids, labels) per annotation; the system
/// allocator spent a third of the time of `gisa print` on a large file in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
