//! The `gisa` binary: the command line and the terminal layer over the `gisa` library.

mod tui;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand, ValueEnum};

use gisa::import::Format;
use gisa::ingest::{LoadError, Loaded};
use gisa::labels::LabelMap;
use gisa::print::{print_article, PrintOptions};

/// gisa (기사): read annotated news articles in the terminal.
///
/// With no command, opens the reader on FILEs or folders (the bundled samples when none is
/// given). Files: gisa-article/1 JSON (.json: one article or an array; .jsonl: one per line), and
/// what annotation tools write: spaCy, brat (.ann + .txt), Label Studio, doccano, Prodigy,
/// KLUE-NER (.tsv), recognised by content (--from to name the format).
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

    /// Read files as this format instead of guessing from extension and content: native,
    /// spacy, brat, labelstudio, doccano, prodigy, klue.
    #[arg(long, global = true, value_name = "FORMAT")]
    from: Option<Format>,

    /// Label-to-kind mapping file (TOML, see docs/IMPORT.md) over the built-in defaults.
    #[arg(long, global = true, value_name = "MAP.toml")]
    labels: Option<PathBuf>,
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
    /// List the reader's keys (Markdown, generated from the keymap table).
    Keys,
    /// Convert annotation files to another format (offsets in the target's unit).
    Convert {
        /// A file, a brat pair (either path) or a folder.
        file: PathBuf,
        /// The format to write: native, brat, doccano, labelstudio.
        #[arg(long, value_name = "FORMAT")]
        to: Format,
        /// Output file (a folder for brat); standard output when absent. Never the input.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Extract quotes, figures, entities and captions from a plain Korean news text and write
    /// it as gisa-article/1 JSON (to standard output, or -o FILE).
    Extract {
        /// The article: a UTF-8 text file, or - for standard input.
        file: PathBuf,
        /// Publication date (YYYY-MM-DD) that relative dates (어제, 지난달) resolve against;
        /// default: a date line in the text (입력 2025.03.14 10:32).
        #[arg(long, value_name = "YYYY-MM-DD")]
        published: Option<String>,
        /// A gazetteer file that extends the built-in lists (format: assets/gazetteer/README.md).
        #[arg(long, value_name = "FILE")]
        gazetteer: Option<PathBuf>,
        /// Write the JSON here instead of standard output.
        #[arg(long, short, value_name = "OUT.json")]
        output: Option<PathBuf>,
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

/// `--from` and `--labels`, set once in `main`.
static IMPORT: OnceLock<(Option<Format>, LabelMap)> = OnceLock::new();

/// Loads one file of any supported kind: native, another tool's format (see docs/IMPORT.md),
/// or a plain `.txt` article (no `.ann` beside it), extracted on the fly.
fn load(path: &Path) -> Result<Loaded, LoadError> {
    let (from, labels) = IMPORT.get_or_init(|| (None, LabelMap::new()));
    if from.is_none() && gisa::import::is_plain_text(path) {
        return gisa::extract::load_txt(path, &gisa::extract::ExtractOptions::default());
    }
    gisa::import::load_path(path, *from, labels)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ambiwide = cli.ambiwidth == AmbiWidth::Wide;
    let labels = match &cli.labels {
        Some(p) => match LabelMap::from_toml_file(p) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("gisa: {e}");
                return ExitCode::from(2);
            }
        },
        None => LabelMap::new(),
    };
    let _ = IMPORT.set((cli.from, labels));
    match cli.command {
        Some(Command::Convert { file, to, output }) => cmd_convert(&file, to, output.as_deref()),
        Some(Command::Print { files, width, color }) => cmd_print(&files, width, color, ambiwide),
        Some(Command::Check { files }) => cmd_check(&files),
        Some(Command::Keys) => {
            print!("{}", tui::keymap::markdown());
            ExitCode::SUCCESS
        }
        Some(Command::Extract { file, published, gazetteer, output }) => {
            cmd_extract(&file, published.as_deref(), gazetteer.as_deref(), output.as_deref())
        }
        None => cmd_read(&cli.files, ambiwide),
    }
}

/// Frees a loaded file. A large one (hundreds of thousands of annotations take tens of
/// milliseconds to free) is freed on a thread of its own, while the next file is read or the
/// process ends.
fn drop_aside(loaded: Loaded) {
    if loaded.articles.iter().map(|a| a.annotations.len()).sum::<usize>() >= 1 << 16 {
        std::thread::spawn(move || drop(loaded));
    }
}

/// The files to open for `paths`: files as given, folders searched (recursively, sorted) for
/// `.json`, `.jsonl`, `.ndjson`, brat `.ann`, KLUE `.tsv` and plain `.txt` articles (a `.txt`
/// with an `.ann` beside it is read through its `.ann`). Folders with none are errors.
fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                errors.push(format!("{}: cannot read folder: {e}", dir.display()));
                return;
            }
        };
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out, errors);
            } else if gisa::import::is_plain_text(&p)
                || p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    ["json", "jsonl", "ndjson", "ann", "tsv"].iter().any(|x| e.eq_ignore_ascii_case(x))
                })
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = files.len();
            walk(p, &mut files, &mut errors);
            if files.len() == before {
                errors
                    .push(format!("{}: no .json or .jsonl file (nor .ann, .tsv or .txt) in this folder", p.display()));
            }
        } else {
            files.push(p.clone());
        }
    }
    (files, errors)
}

/// `gisa [FILE|DIR ...]`: the reader on a terminal (the bundled samples when no path is given);
/// the printed articles when standard output is not a terminal.
fn cmd_read(paths: &[PathBuf], ambiwide: bool) -> ExitCode {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        for (name, content) in gisa::samples::SAMPLES {
            match gisa::samples::load(name, content) {
                Ok(l) => loaded.push((name.to_string(), l)),
                Err(e) => errors.push(e.to_string()),
            }
        }
    } else {
        let (files, errs) = expand(paths);
        errors = errs;
        for f in files {
            match load(&f) {
                Ok(l) => loaded.push((f.display().to_string(), l)),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    if loaded.is_empty() {
        for e in &errors {
            eprintln!("gisa: {e}");
        }
        if errors.is_empty() {
            eprintln!("gisa: no article to open");
        }
        return ExitCode::from(2);
    }
    if !io::stdout().is_terminal() {
        for e in &errors {
            eprintln!("gisa: {e}");
        }
        let opts = PrintOptions { width: 80, color: false, ambiwide };
        let mut out = io::BufWriter::new(io::stdout().lock());
        let mut first = true;
        for (_, l) in &loaded {
            for a in &l.articles {
                if !first && writeln!(out).is_err() {
                    return ExitCode::SUCCESS;
                }
                first = false;
                if print_article(a, opts, &mut out).is_err() {
                    return ExitCode::SUCCESS;
                }
            }
        }
        let _ = out.flush();
        return ExitCode::SUCCESS;
    }
    match tui::run(loaded, tui::Options { ambiwide, errors }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gisa: terminal error: {e}");
            ExitCode::from(2)
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
    let (files, errors) = expand(files);
    for e in &errors {
        eprintln!("gisa: {e}");
        code = 2;
    }
    for f in &files {
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
        drop_aside(loaded);
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
    let mut counts = gisa::import::Counts::default();
    // folders are corpora: every file in them is checked
    let (files, errors) = expand(files);
    for e in &errors {
        let _ = writeln!(out, "{e}");
        code = 2;
    }
    for f in &files {
        match load(f) {
            Ok(loaded) => {
                counts.add(&loaded.articles);
                for p in loaded.all_problems() {
                    let _ = writeln!(out, "{}: {}", f.display(), describe(p));
                    code = code.max(1);
                }
                drop_aside(loaded);
            }
            Err(e) => {
                let _ = writeln!(out, "{e}");
                code = 2;
            }
        }
    }
    if counts.repaired + counts.orphaned > 0 {
        eprintln!("gisa: {} span(s) repaired, {} orphaned (listed above)", counts.repaired, counts.orphaned);
    }
    ExitCode::from(code)
}

/// `gisa convert FILE --to FORMAT [-o OUT]`: problems found while reading go to stderr as
/// warnings; exit 0 when written, 2 when the input cannot be read or the output written.
fn cmd_convert(file: &Path, to: Format, output: Option<&Path>) -> ExitCode {
    let (from, labels) = IMPORT.get_or_init(|| (None, LabelMap::new()));
    match gisa::import::convert(file, *from, to, output, labels) {
        Ok(done) => {
            for p in &done.problems {
                eprintln!("gisa: {}: {}", file.display(), describe(p));
            }
            if let Some(text) = done.stdout {
                let mut out = io::stdout().lock();
                if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                    if e.kind() != io::ErrorKind::BrokenPipe {
                        eprintln!("gisa: writing output: {e}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                eprintln!(
                    "gisa: converted {} article(s) to {to}: {}",
                    done.articles,
                    done.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gisa: {e}");
            ExitCode::from(2)
        }
    }
}

/// `gisa extract FILE|- [--published D] [--gazetteer G] [-o OUT]`: exit 0 written, 2 failed
/// (one line on standard error naming the file and the place).
fn cmd_extract(file: &Path, published: Option<&str>, gazetteer: Option<&Path>, output: Option<&Path>) -> ExitCode {
    use gisa::extract::ExtractOptions;
    let fail = |msg: String| {
        eprintln!("gisa: {msg}");
        ExitCode::from(2)
    };
    let mut opts = match published {
        Some(d) => match ExtractOptions::with_published(d) {
            Ok(o) => o,
            Err(e) => return fail(e),
        },
        None => ExtractOptions::default(),
    };
    if let Some(g) = gazetteer {
        if let Err(e) = opts.add_gazetteer_file(g) {
            return fail(e);
        }
    }
    let stdin = file.as_os_str() == "-";
    if let (Some(out), false) = (output, stdin) {
        let same = out == file || (out.exists() && std::fs::canonicalize(out).ok() == std::fs::canonicalize(file).ok());
        if same {
            return fail(format!("{}: the output would overwrite the input; choose another -o", out.display()));
        }
    }
    let name = if stdin { "-".to_string() } else { file.display().to_string() };
    let bytes = if stdin {
        let mut b = Vec::new();
        if let Err(e) = io::Read::read_to_end(&mut io::stdin().lock(), &mut b) {
            return fail(format!("-: cannot read standard input: {e}"));
        }
        b
    } else {
        match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return fail(format!("{name}: cannot read: {e}")),
        }
    };
    let id = if stdin {
        "stdin".to_string()
    } else {
        file.file_stem().map_or("article".into(), |s| s.to_string_lossy().into_owned())
    };
    let mut article = match gisa::extract::load_txt_bytes(&name, &id, &bytes, &opts) {
        Ok(mut l) => l.articles.remove(0),
        Err(e) => return fail(e.to_string()),
    };
    gisa::extract::fill_span_texts(&mut article);
    let json = match serde_json::to_string_pretty(&gisa::ingest::article_to_value(&article)) {
        Ok(j) => j + "\n",
        Err(e) => return fail(format!("{name}: cannot write JSON: {e}")),
    };
    match output {
        Some(out) => match std::fs::write(out, json) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("{}: cannot write: {e}", out.display())),
        },
        None => match io::stdout().lock().write_all(json.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => fail(format!("writing output: {e}")),
        },
    }
}

/// mimalloc: ingest allocates many small strings (ids, labels) per annotation; the system
/// allocator spent a third of the time of `gisa print` on a large file in malloc and free.
/// mimalloc asks for transparent huge pages where the system offers them (`madvise` mode):
/// a 50 MB article then costs a few hundred page faults instead of a hundred thousand.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
