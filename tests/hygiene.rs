//! What a reader of the repository meets first, and what ships with it:
//! - no shipped file points outside the repository or at internal ticket numbers (sources are
//!   public: URLs, i'mport's docs and Swagger, SDK repositories);
//! - the README opens with the two commands (run the main job; run every test), then what a user
//!   pastes into `Cargo.toml` and the minimum Rust version;
//! - CI runs the README's commands;
//! - every workspace member takes the workspace's lints.

use regex_lite::Regex;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_owned()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every text file of the checkout: build output, git's own files, the fuzzers' generated corpus
/// and artifacts (ignored by `fuzz/.gitignore`) and non-UTF-8 files left out.
fn shipped_text_files(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "target" || name.starts_with(".git") || name == "Cargo.lock" {
            continue;
        }
        if path.is_dir() {
            let generated = ["corpus", "artifacts", "coverage"].contains(&name.as_str())
                && dir.file_name().is_some_and(|d| d == "fuzz");
            if !generated {
                shipped_text_files(&path, out);
            }
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push((path, text));
        }
    }
}

#[test]
fn no_shipped_text_points_outside_the_repository_or_at_tickets() {
    // Built from pieces, so this file does not match itself.
    let outside = ["..", "/shared"].concat();
    let banned = [
        (
            Regex::new(&regex_lite::escape(&outside)).unwrap(),
            "a path outside the repository",
        ),
        (
            Regex::new(&["/work", "/"].concat()).unwrap(),
            "a path of the machine it was written on",
        ),
        (
            Regex::new(r"(?i)\bissues? #?\d").unwrap(),
            "an internal ticket number",
        ),
        (
            Regex::new(r"(?i)\breference,? §").unwrap(),
            "a section of an internal document",
        ),
    ];
    let root = workspace();
    let mut files = Vec::new();
    shipped_text_files(&root, &mut files);
    assert!(files.len() > 100, "only {} files found", files.len());
    assert!(
        files.iter().any(|(p, _)| p.ends_with(".ci/run")),
        "CI's script is shipped text too"
    );
    let mut found = Vec::new();
    for (path, text) in &files {
        for (number, line) in text.lines().enumerate() {
            for (pattern, what) in &banned {
                if let Some(m) = pattern.find(line) {
                    let file = path.strip_prefix(&root).unwrap().display();
                    found.push(format!("{file}:{}: `{}`: {what}", number + 1, m.as_str()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite the public source instead:\n{}",
        found.join("\n")
    );
}

/// The lines of the README's first fenced block of `lang` at or after line `from`, and the line
/// after its closing fence.
fn fenced_block(lines: &[&str], from: usize, lang: &str) -> (Vec<String>, usize) {
    assert_eq!(
        lines.get(from).copied(),
        Some(format!("```{lang}").as_str()),
        "README line {}: expected a ```{lang} block",
        from + 1
    );
    let end = (from + 1..lines.len())
        .find(|&i| lines[i] == "```")
        .expect("a closed block");
    let body = lines[from + 1..end].iter().map(|l| l.to_string()).collect();
    (body, end + 1)
}

fn skip_blank(lines: &[&str], mut at: usize) -> usize {
    while lines.get(at).is_some_and(|l| l.trim().is_empty()) {
        at += 1;
    }
    at
}

/// `key = "value"` in the `[workspace.package]` table of the root manifest.
fn workspace_package(key: &str) -> String {
    let manifest = read("Cargo.toml");
    let prefix = format!("{key} = \"");
    manifest
        .lines()
        .skip_while(|l| *l != "[workspace.package]")
        .find_map(|l| l.strip_prefix(&prefix)?.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no {key} in [workspace.package]"))
        .to_owned()
}

#[test]
fn readme_opens_with_the_two_commands_then_the_dependency_and_the_msrv() {
    let readme = read("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    assert!(
        lines[0].starts_with("# "),
        "the README starts with its title"
    );

    let (commands, next) = fenced_block(&lines, skip_blank(&lines, 1), "sh");
    assert_eq!(
        commands,
        ["cargo run --example quickstart", "cargo test --workspace"],
        "first the two commands: run the main job, run every test"
    );

    let (snippet, next) = fenced_block(&lines, skip_blank(&lines, next), "toml");
    let version = workspace_package("version");
    let minor = version.rsplit_once('.').unwrap().0; // "0.1.0" -> "0.1"
    assert_eq!(snippet.first().map(String::as_str), Some("[dependencies]"));
    assert!(
        snippet.contains(&format!("iamport = \"{minor}\"")),
        "the snippet names the published version {minor}: {snippet:?}"
    );

    let msrv_line = lines[skip_blank(&lines, next)];
    let msrv = workspace_package("rust-version");
    assert!(
        msrv_line.starts_with("Minimum supported Rust version") && msrv_line.contains(&msrv),
        "right after the snippet, the minimum Rust version ({msrv}): {msrv_line:?}"
    );
}

#[test]
fn ci_runs_the_readme_commands() {
    let ci = read(".ci/run");
    let readme = read("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let (commands, _) = fenced_block(&lines, skip_blank(&lines, 1), "sh");
    for command in commands {
        assert!(
            ci.lines().any(|l| l.trim_start().starts_with(&command)),
            ".ci/run does not run the README's `{command}`"
        );
    }
}

/// The `key = value` lines of each `[table]` of a manifest (enough TOML for the lint tables).
fn tables(manifest: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((name.trim_matches(['[', ']']).to_owned(), Vec::new()));
        } else if let (Some((key, value)), Some(table)) = (line.split_once('='), out.last_mut())
            && !line.starts_with('#')
        {
            let value = value.split('#').next().unwrap().trim().trim_matches('"');
            table.1.push((key.trim().to_owned(), value.to_owned()));
        }
    }
    out
}

fn table<'a>(tables: &'a [(String, Vec<(String, String)>)], name: &str) -> &'a [(String, String)] {
    tables
        .iter()
        .find(|(n, _)| n == name)
        .map_or(&[], |(_, entries)| entries.as_slice())
}

/// The member directories: `members` of the root manifest, `dir/*` globs expanded.
fn members() -> Vec<PathBuf> {
    let root = workspace();
    let manifest = read("Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("members = ["))
        .expect("a one-line members list");
    let mut dirs = Vec::new();
    for member in Regex::new(r#""([^"]+)""#).unwrap().captures_iter(line) {
        let member = &member[1];
        match member.strip_suffix("/*") {
            Some(parent) => {
                for entry in std::fs::read_dir(root.join(parent))
                    .unwrap()
                    .map(Result::unwrap)
                {
                    if entry.path().join("Cargo.toml").is_file() {
                        dirs.push(entry.path());
                    }
                }
            }
            None => dirs.push(root.join(member)),
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_member_takes_the_workspace_lints() {
    let root_tables = tables(&read("Cargo.toml"));
    let members = members();
    assert!(members.len() >= 7, "members: {members:?}");
    for dir in members {
        let name = dir.strip_prefix(workspace()).unwrap().display().to_string();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let own = tables(&manifest);
        if table(&own, "lints").contains(&("workspace".into(), "true".into())) {
            continue;
        }
        // Cargo has no per-lint override of the workspace table: a crate that needs `unsafe`
        // repeats it with `unsafe_code = "deny"` and says why in a comment.
        for group in ["rust", "clippy"] {
            let wanted = table(&root_tables, &format!("workspace.lints.{group}"));
            assert!(!wanted.is_empty(), "the workspace declares lints.{group}");
            let has = table(&own, &format!("lints.{group}"));
            for (lint, level) in wanted {
                let allowed: &[&str] = if lint == "unsafe_code" {
                    &["forbid", "deny"]
                } else {
                    &[level.as_str()]
                };
                assert!(
                    has.iter()
                        .any(|(l, v)| l == lint && allowed.contains(&v.as_str())),
                    "{name}: `[lints] workspace = true`, or a lints.{group} table with {lint} = {level}"
                );
            }
        }
        assert!(
            manifest.contains("unsafe_code = \"deny\"")
                && manifest.contains("# The workspace table"),
            "{name}: a local lint table says why it differs from the workspace's"
        );
    }
}
