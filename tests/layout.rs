//! The workspace's shape, as its maintainers promise it: no source file over 600 lines (outside
//! the generated client), and no two modules of a crate importing each other, directly or round
//! a longer loop.
//!
//! Imports are read from the token stream of each file (`proc-macro2`, so comments and doc text
//! never count): `use` trees and `crate::`/`super::`/`self::`/child-module paths, with the
//! crate's re-exports followed to the module that defines the item. `#[cfg(test)]` modules and
//! the bodies of `quote!` (generated code, not an import) are skipped.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a hand-written source file may be.
const MAX_LINES: usize = 600;

/// The crates whose modules must form no loop: every crate of the workspace with sources of its
/// own (`tests` holds only test files).
const ACYCLIC: &[&str] = &[
    "crates/iamport/src",
    "crates/iamport-codegen/src",
    "crates/iamport-macros/src",
    "crates/iamport-test-support/src",
    "crates/iamport-bench/src",
    "crates/iamport-sandbox/src",
    "xtask/src",
];

type ModPath = Vec<String>;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_owned()
}

/// Every file below `dir` whose name ends with one of `exts`, build output and `.git` left out.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&path, exts, out);
            }
        } else if exts.iter().any(|e| name.ends_with(&format!(".{e}"))) {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_600_lines_outside_generated_rs() {
    let mut sources = Vec::new();
    let exts = ["rs", "toml", "md", "py", "sh", "js", "html", "css"];
    files(&workspace(), &exts, &mut sources);
    assert!(sources.len() > 50, "only {} files found", sources.len());
    let long: Vec<String> = sources
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "generated.rs"))
        .filter_map(|p| {
            let lines = std::fs::read_to_string(p).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:#?}");
}

/// What one module's source names: every path it uses, and what it re-exports under which name.
#[derive(Default)]
struct Names {
    paths: Vec<ModPath>,
    reexports: Vec<(String, ModPath)>,
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_ident(t: Option<&TokenTree>, name: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i == name)
}

/// `a::b::c` from `tokens[*i]` on (the cursor ends after the last segment).
fn path_at(tokens: &[TokenTree], i: &mut usize) -> ModPath {
    let mut path = Vec::new();
    while let Some(TokenTree::Ident(id)) = tokens.get(*i) {
        path.push(id.to_string());
        *i += 1;
        if is_punct(tokens.get(*i), ':') && is_punct(tokens.get(*i + 1), ':') {
            *i += 2;
        } else {
            break;
        }
    }
    path
}

/// The paths of a `use` tree, each with the name it binds (`*` for a glob).
fn use_tree(tokens: &[TokenTree], prefix: &ModPath, out: &mut Vec<(String, ModPath)>) {
    for item in tokens.split(|t| is_punct(Some(t), ',')) {
        let mut i = 0;
        if is_punct(item.first(), ':') {
            continue; // `::extern_crate::…`
        }
        let mut path = prefix.clone();
        path.extend(path_at(item, &mut i));
        match item.get(i) {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                use_tree(&inner, &path, out);
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '*' => out.push(("*".into(), path)),
            _ if is_ident(item.get(i), "as") => {
                let alias = item.get(i + 1).map(ToString::to_string).unwrap_or_default();
                out.push((alias, path));
            }
            _ => {
                if path.last().is_some_and(|s| s == "self") {
                    path.pop();
                }
                if let Some(name) = path.last().cloned() {
                    out.push((name, path));
                }
            }
        }
    }
}

fn scan(stream: TokenStream, names: &mut Names) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            // `#[cfg(test)] mod tests { … }`: not part of the module's imports.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let test_only = matches!(tokens.get(i + 1), Some(TokenTree::Group(g))
                    if g.stream().to_string().replace(' ', "") == "cfg(test)");
                i += 2;
                if test_only {
                    while i < tokens.len()
                        && !matches!(&tokens[i], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
                        && !is_punct(tokens.get(i), ';')
                    {
                        i += 1;
                    }
                    i += 1;
                }
            }
            TokenTree::Ident(id) if id == "quote" && is_punct(tokens.get(i + 1), '!') => i += 3,
            TokenTree::Ident(id) if id == "use" => {
                let end = (i..tokens.len())
                    .find(|&j| is_punct(tokens.get(j), ';'))
                    .unwrap_or(tokens.len());
                let public = (i >= 1 && is_ident(tokens.get(i - 1), "pub"))
                    || (i >= 2 && is_ident(tokens.get(i - 2), "pub"));
                let mut bound = Vec::new();
                use_tree(&tokens[i + 1..end], &Vec::new(), &mut bound);
                for (name, path) in bound {
                    names.paths.push(path.clone());
                    if public {
                        names.reexports.push((name, path));
                    }
                }
                i = end + 1;
            }
            TokenTree::Ident(_)
                if is_punct(tokens.get(i + 1), ':')
                    && is_punct(tokens.get(i + 2), ':')
                    && !(i >= 1 && is_punct(tokens.get(i - 1), ':')) =>
            {
                let path = path_at(&tokens, &mut i);
                names.paths.push(path);
            }
            TokenTree::Group(g) => {
                scan(g.stream(), names);
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// A crate's modules (by path from the crate root) and their sources.
fn crate_modules(src: &Path) -> BTreeMap<ModPath, String> {
    let mut sources = Vec::new();
    files(src, &["rs"], &mut sources);
    sources
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(src).unwrap().with_extension("");
            let mut path: ModPath = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if path
                .last()
                .is_some_and(|l| ["lib", "main", "mod"].contains(&l.as_str()))
            {
                path.pop();
            }
            (path, std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

/// A path as seen from `module`, made absolute, or `None` for another crate's.
fn absolute(
    modules: &BTreeMap<ModPath, Names>,
    module: &ModPath,
    path: &ModPath,
) -> Option<ModPath> {
    let mut base = module.clone();
    let mut rest = path.as_slice();
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("super" | "self") => {
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        Some(child) => {
            let mut candidate = module.clone();
            candidate.push(child.to_owned());
            if !modules.contains_key(&candidate) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module that defines what `path` names, through re-exports.
fn defining_module(modules: &BTreeMap<ModPath, Names>, path: &ModPath, depth: usize) -> ModPath {
    for len in (0..=path.len()).rev() {
        let prefix = path[..len].to_vec();
        let Some(names) = modules.get(&prefix) else {
            continue;
        };
        if let Some(next) = path.get(len)
            && depth < 16
            && let Some((_, target)) = names.reexports.iter().find(|(name, _)| name == next)
            && let Some(mut target) = absolute(modules, &prefix, target)
            && target.get(..=len) != path.get(..=len)
        {
            target.extend(path[len + 1..].iter().cloned());
            return defining_module(modules, &target, depth + 1);
        }
        return prefix;
    }
    Vec::new()
}

fn show(path: &[String]) -> String {
    if path.is_empty() {
        "crate".into()
    } else {
        path.join("::")
    }
}

/// The loops among `sources`' modules: each a set of modules that all reach one another, with
/// the imports that close it (`a -> b (via path)`).
fn cycles(sources: &BTreeMap<ModPath, String>) -> Vec<Vec<String>> {
    let modules: BTreeMap<ModPath, Names> = sources
        .iter()
        .map(|(path, text)| {
            let mut names = Names::default();
            scan(text.parse().expect("the file tokenizes"), &mut names);
            (path.clone(), names)
        })
        .collect();
    let mut edges: BTreeMap<&ModPath, BTreeMap<ModPath, String>> = BTreeMap::new();
    for (module, names) in &modules {
        let out = edges.entry(module).or_default();
        for path in &names.paths {
            if let Some(abs) = absolute(&modules, module, path) {
                let target = defining_module(&modules, &abs, 0);
                if &target != module {
                    out.entry(target).or_insert_with(|| show(path));
                }
            }
        }
    }
    let reach = |from: &ModPath| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for next in edges.get(&m).into_iter().flat_map(BTreeMap::keys) {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&ModPath, BTreeSet<ModPath>> =
        modules.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut loops = Vec::new();
    for (&m, from_m) in &reaches {
        if done.contains(m) || !from_m.contains(m) {
            continue;
        }
        let group: BTreeSet<&ModPath> = reaches
            .iter()
            .filter(|(n, from_n)| from_m.contains(**n) && from_n.contains(m))
            .map(|(n, _)| *n)
            .collect();
        let mut found = Vec::new();
        for &a in &group {
            done.insert(a.clone());
            for (b, via) in &edges[a] {
                if group.contains(b) {
                    found.push(format!("{} -> {} (via {via})", show(a), show(b)));
                }
            }
        }
        loops.push(found);
    }
    loops
}

#[test]
fn no_crate_has_modules_that_import_each_other() {
    for krate in ACYCLIC {
        let sources = crate_modules(&workspace().join(krate));
        assert!(!sources.is_empty(), "no sources under {krate}");
        let loops = cycles(&sources);
        assert!(loops.is_empty(), "{krate}: import loops {loops:#?}");
    }
}

#[test]
fn the_cycle_check_sees_loops_through_reexports_and_ignores_tests_and_quote() {
    let crate_of = |files: &[(&str, &str)]| -> BTreeMap<ModPath, String> {
        files
            .iter()
            .map(|(path, text)| {
                let path = path.split("::").filter(|s| !s.is_empty()).map(String::from);
                (path.collect(), (*text).to_owned())
            })
            .collect()
    };
    // `b` reaches `a` through the root's re-export of `a::Thing`.
    let looped = crate_of(&[
        ("", "mod a; mod b; pub use a::Thing;"),
        ("a", "use super::b::other; pub struct Thing;"),
        ("b", "pub fn other() -> crate::Thing { todo!() }"),
    ]);
    let found = cycles(&looped);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains(&"b -> a (via crate::Thing)".to_owned()));
    // The same names in a test module, a `quote!` body or a comment are no import.
    let clean = crate_of(&[
        ("", "mod a; mod b; pub use a::Thing;"),
        (
            "a",
            "// super::b::other\n pub struct Thing; fn f() { quote! { super::b::other() } }\n \
             #[cfg(test)] mod tests { use super::super::b::other; }",
        ),
        ("b", "pub fn other() -> crate::Thing { todo!() }"),
    ]);
    assert_eq!(cycles(&clean), Vec::<Vec<String>>::new());
}
