//! Folders named as inputs: walked for article files, respecting `.gitignore`-style
//! ignore files (`.gitignore`, `.ignore`) and skipping hidden files, like ripgrep does.

use std::path::Path;

use super::{Format, Input, InputError};

/// Expands arguments into inputs: `-` is standard input, a file is itself (whatever its
/// extension: the user named it), and a folder is every file below it whose extension is
/// a format factdiff reads, in sorted order so runs are reproducible.
pub fn expand(args: &[String]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg == "-" || !path.is_dir() {
            inputs.push(Input::parse(arg));
            continue;
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(path).sort_by_file_name(|a, b| a.cmp(b)).build() {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && Format::from_path(e.path()).is_some() => {
                    found.push(Input::Path(e.into_path()));
                }
                Ok(_) => {}
                Err(e) => errors.push(InputError::fatal(arg, format!("cannot walk the folder: {e}"))),
            }
        }
        if found.is_empty() {
            errors.push(InputError::fatal(arg, "folder holds no .txt, .md, .html or .jsonl files"));
        }
        inputs.extend(found);
    }
    (inputs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_expand_to_article_files_respecting_ignores() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        for f in ["b.txt", "a.md", "sub/c.html", "sub/d.jsonl", "notes.pdf", "skip.txt", ".hidden.txt"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(root.join(".ignore"), "skip.txt\n").unwrap();
        let (inputs, errors) = expand(&[root.display().to_string(), "-".into()]);
        assert!(errors.is_empty());
        let names: Vec<String> = inputs
            .iter()
            .map(|i| match i {
                Input::Path(p) => p.strip_prefix(root).unwrap().display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "sub/c.html", "sub/d.jsonl", "-"]);
        let empty = tempfile::tempdir().unwrap();
        let (_, errors) = expand(&[empty.path().display().to_string()]);
        assert_eq!(errors.len(), 1);
    }
}
