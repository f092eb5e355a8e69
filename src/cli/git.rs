//! The `git` binary, as `share` and `sync` run it: the repository that
//! holds the data file, its config and attributes, and the data file at a
//! revision. No git library: the user's own git, with their config,
//! hooks and credentials, does the work.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{Context, Result, bail};

/// What a run of git said.
pub(crate) struct Ran {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// What git said went wrong, on one line or several, for a message.
    pub fn complaint(&self) -> String {
        let said = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        said.trim().to_string()
    }
}

/// Run git in `folder` with `args`, its output kept.
///
/// # Errors
/// When git cannot be run at all: not installed, or not on `PATH`.
pub(crate) fn run(folder: &Path, args: &[&str]) -> Result<Ran> {
    let output = output(folder, args)?;
    Ok(Ran {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Run git in `folder` with `args`: its standard output as bytes, as
/// stored, or, when git fails, what it said.
///
/// # Errors
/// When git cannot be run at all: not installed, or not on `PATH`.
pub(crate) fn run_for_bytes(folder: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>> {
    let output = output(folder, args)?;
    if output.status.success() {
        Ok(Ok(output.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&output.stderr)
            .trim()
            .to_string()))
    }
}

fn output(folder: &Path, args: &[&str]) -> Result<Output> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) => Ok(output),
        Err(e) if e.kind() == io::ErrorKind::NotFound => bail!(
            "git is not installed, or not on PATH: backlog runs git to read and \
             share the data file; install it and try again (nothing was done)"
        ),
        Err(e) => Err(e).context("cannot run git (nothing was done)"),
    }
}

/// The git work tree that holds the data file.
pub(crate) struct Repo {
    /// The work tree's top folder.
    pub top: PathBuf,
    /// The data file's folder relative to the top, as git writes paths:
    /// `""` at the top, else `team/`.
    pub folder: String,
    /// The data file's name.
    pub name: String,
}

impl Repo {
    /// The work tree the data file `data` (resolved, links followed) is in.
    ///
    /// # Errors
    /// When git is missing, or the data file's folder is in no work tree.
    pub fn of(data: &Path) -> Result<Repo> {
        let folder = data
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = data
            .file_name()
            .and_then(|name| name.to_str())
            .with_context(|| format!("{}: git is given only names in UTF-8 here", data.display()))?
            .to_string();
        let ran = run(folder, &["rev-parse", "--show-toplevel", "--show-prefix"])?;
        if !ran.ok {
            let said = ran.complaint();
            if said.contains("not a git repository") {
                bail!(
                    "{} is not in a git work tree (nothing was done): the backlog is \
                     shared through a git repository; put the data file in a clone of \
                     your team's repository, or run `git init` in its folder",
                    data.display()
                );
            }
            bail!(
                "git cannot find the work tree of {} (nothing was done): {said}",
                data.display()
            );
        }
        let mut lines = ran.stdout.lines();
        let top = lines.next().unwrap_or_default();
        if top.is_empty() {
            bail!(
                "{} is in a git repository with no work tree (nothing was done)",
                data.display()
            );
        }
        Ok(Repo {
            top: PathBuf::from(top),
            folder: lines.next().unwrap_or_default().to_string(),
            name,
        })
    }

    /// The data file as git names it: relative to the top, `/` between
    /// folders.
    pub fn file(&self) -> String {
        format!("{}{}", self.folder, self.name)
    }

    /// Run git at the top of the work tree.
    pub fn git(&self, args: &[&str]) -> Result<Ran> {
        run(&self.top, args)
    }

    /// A key of the repository's own config (`.git/config`), if set.
    pub fn config(&self, key: &str) -> Result<Option<String>> {
        let ran = self.git(&["config", "--local", "--get", key])?;
        Ok(ran
            .ok
            .then(|| ran.stdout.trim_end_matches('\n').to_string()))
    }

    /// The value git gives the data file for each of `attributes`, as
    /// `git check-attr` says it (`unspecified` when none).
    pub fn attributes(&self, attributes: &[&str]) -> Result<Vec<String>> {
        let file = self.file();
        let mut args = vec!["check-attr", "-z"];
        args.extend_from_slice(attributes);
        args.extend(["--", file.as_str()]);
        let ran = self.git(&args)?;
        if !ran.ok {
            bail!(
                "git cannot read the attributes of {file}: {}",
                ran.complaint()
            );
        }
        // `-z`: path, attribute, value, each ended by a NUL.
        let fields: Vec<&str> = ran.stdout.split('\0').collect();
        Ok(attributes
            .iter()
            .map(|wanted| {
                fields
                    .chunks(3)
                    .find(|f| f.len() == 3 && f[1] == *wanted)
                    .map_or_else(|| "unspecified".to_string(), |f| f[2].to_string())
            })
            .collect())
    }

    /// The data file's text at revision `rev` (`HEAD`, a commit id), or
    /// `None` when it is not there.
    pub fn file_at(&self, rev: &str) -> Result<Option<String>> {
        let ran = self.git(&["show", &format!("{rev}:{}", self.file())])?;
        Ok(ran.ok.then_some(ran.stdout))
    }

    /// The commit `rev` names, or `None` when it names none (a branch
    /// with no commit yet).
    pub fn commit(&self, rev: &str) -> Result<Option<String>> {
        let ran = self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])?;
        Ok(ran.ok.then(|| ran.stdout.trim().to_string()))
    }
}

/// A path relative to the top as a `.gitattributes` pattern that matches
/// it alone: glob characters escaped and, when it has a space or a quote,
/// quoted as C strings are (git reads both).
pub(crate) fn attributes_pattern(path: &str) -> String {
    let escaped = glob_escaped(path);
    if !escaped
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c.is_control())
    {
        return escaped;
    }
    let mut quoted = String::from('"');
    for c in escaped.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Literal parts of a name as a `.gitignore` pattern, with `*` between
/// them, anchored at the top by `/`.
pub(crate) fn ignore_pattern(folder: &str, parts: &[String]) -> String {
    let literal: Vec<String> = parts.iter().map(|part| glob_escaped(part)).collect();
    let mut pattern = format!("/{}{}", glob_escaped(folder), literal.join("*"));
    // Trailing spaces are dropped unless escaped.
    let spaces = pattern.len() - pattern.trim_end_matches(' ').len();
    if spaces > 0 {
        pattern.truncate(pattern.len() - spaces);
        pattern.push_str(&"\\ ".repeat(spaces));
    }
    pattern
}

/// `text` with every character a git pattern treats as a wildcard or a
/// sign escaped, so the pattern matches exactly it.
fn glob_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if matches!(c, '*' | '?' | '[' | '\\') || (at == 0 && matches!(c, '#' | '!')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_is_its_own_pattern() {
        assert_eq!(attributes_pattern("backlog.json"), "backlog.json");
        assert_eq!(attributes_pattern("team/b.json"), "team/b.json");
    }

    #[test]
    fn wildcards_and_spaces_are_escaped_so_the_pattern_is_the_file() {
        assert_eq!(attributes_pattern("a*[1]?.json"), "a\\*\\[1]\\?.json");
        assert_eq!(attributes_pattern("#b.json"), "\\#b.json");
        assert_eq!(attributes_pattern("my backlog.json"), "\"my backlog.json\"");
        assert_eq!(attributes_pattern("my *.json"), "\"my \\\\*.json\"");
    }

    #[test]
    fn ignore_patterns_are_anchored_and_keep_their_wildcards() {
        let parts = ["b.json.conflict-".to_string(), String::new()];
        assert_eq!(ignore_pattern("", &parts), "/b.json.conflict-*");
        assert_eq!(
            ignore_pattern("t [x]/", &parts),
            "/t \\[x]/b.json.conflict-*"
        );
        assert_eq!(ignore_pattern("", &["a ".to_string()]), "/a\\ ");
    }
}
