//! `backlog sync`: for people who don't live in git. Commit the data file
//! with the semantic diff's summary as the message, pull with a merge
//! (backlog's merge driver merges the file), push, and say what came in
//! and what is left to do. It refuses, having done nothing, whenever git
//! could not do all of it safely; and when it stops part-way, it says
//! where it stopped and what the next `backlog sync` does.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::git::Repo;
use super::share;
use crate::interchange::diff::diff;
use crate::model::Backlog;
use crate::store;

/// The most files a refusal names.
const NAMED: usize = 5;

pub(crate) fn sync(path: &Path, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::of(path)?;
    let file = repo.file();
    let upstream = Upstream::of(&repo)?;
    if !share::driver_set(&repo)? {
        bail!(
            "git would merge {file} line by line, which can leave conflict markers \
             in it: the merge driver is not set up in this clone (nothing was done); \
             run `{}` once, then sync",
            super::command_for(path, &["share", "init"])
        );
    }
    let merging = repo.commit("MERGE_HEAD")?.is_some();
    let changes = Changes::of(&repo)?;
    changes.refuse_in_the_way(&repo, path, merging)?;

    if merging {
        finish_merge(&repo, path, &changes, out)?;
    } else {
        commit_data_file(&repo, path, out)?;
    }
    pull(&repo, path, &upstream, out)?;
    push(&repo, &upstream, out)
}

/// The remote branch the current branch pulls from and pushes to.
struct Upstream {
    remote: String,
    /// The branch on the remote, `refs/heads/main`.
    merge: String,
    /// As people name it: `origin/main`.
    name: String,
}

impl Upstream {
    fn of(repo: &Repo) -> Result<Upstream> {
        let branch = repo.git(&["symbolic-ref", "--quiet", "--short", "HEAD"])?;
        if !branch.ok {
            bail!(
                "the work tree is not on a branch (a detached HEAD), so there is nowhere \
                 to push (nothing was done): `git switch` to your branch first"
            );
        }
        let branch = branch.stdout.trim().to_string();
        let remote = repo.config(&format!("branch.{branch}.remote"))?;
        let merge = repo.config(&format!("branch.{branch}.merge"))?;
        let name = repo.git(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])?;
        match (remote, merge) {
            (Some(remote), Some(merge)) if name.ok => Ok(Upstream {
                remote,
                merge,
                name: name.stdout.trim().to_string(),
            }),
            _ => bail!(
                "the branch {branch} has no upstream, so there is nowhere to pull from \
                 or push to (nothing was done): set one with `git push -u origin {branch}` \
                 (or `git branch --set-upstream-to=origin/{branch}`)"
            ),
        }
    }
}

/// What `git status` says is changed, tracked files only: an untracked
/// file is in nobody's way (git refuses a pull that would write over one,
/// and says so).
struct Changes {
    /// Each path with its two status letters, the index's and the work
    /// tree's.
    entries: Vec<(String, char, char)>,
}

impl Changes {
    fn of(repo: &Repo) -> Result<Changes> {
        let ran = repo.git(&["status", "--porcelain=v1", "-z", "--untracked-files=no"])?;
        if !ran.ok {
            bail!("git cannot tell what is changed: {}", ran.complaint());
        }
        let mut entries = Vec::new();
        let mut fields = ran.stdout.split('\0');
        while let Some(entry) = fields.next() {
            let mut letters = entry.chars();
            let (Some(index), Some(tree)) = (letters.next(), letters.next()) else {
                continue;
            };
            entries.push((entry.get(3..).unwrap_or_default().to_string(), index, tree));
            // A rename or copy names the path it came from next.
            if matches!(index, 'R' | 'C') || matches!(tree, 'R' | 'C') {
                fields.next();
            }
        }
        Ok(Changes { entries })
    }

    fn unmerged(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|(_, index, tree)| {
                *index == 'U' || *tree == 'U' || (*index == *tree && matches!(index, 'A' | 'D'))
            })
            .map(|(path, _, _)| path.as_str())
    }

    /// Refuse when changes other than the data file's (and backlog's own
    /// files beside it) would go into the commit, or be caught up in the
    /// pull: staged changes, and unstaged changes to other files. While a
    /// merge is under way, what it staged is its own.
    fn refuse_in_the_way(&self, repo: &Repo, path: &Path, merging: bool) -> Result<()> {
        let file = repo.file();
        let side = store::side_files(path);
        let in_the_way: Vec<&str> = self
            .entries
            .iter()
            .filter(|(changed, index, tree)| {
                if *changed == file {
                    return false;
                }
                let beside = changed
                    .strip_prefix(repo.folder.as_str())
                    .is_some_and(|name| store::is_side_file(&side, name));
                let staged = *index != ' ' && !merging;
                staged || (*tree != ' ' && !beside)
            })
            .map(|(changed, _, _)| changed.as_str())
            .collect();
        if in_the_way.is_empty() {
            return Ok(());
        }
        let mut named = in_the_way[..in_the_way.len().min(NAMED)].join(", ");
        if in_the_way.len() > NAMED {
            named = format!("{named} and {} more", in_the_way.len() - NAMED);
        }
        bail!(
            "other changes are in the way of committing {file} alone and pulling \
             (nothing was done): {named}; commit or stash them (`git status` shows \
             them all), then sync again"
        )
    }
}

/// Commit the data file alone, if it changed since the last commit, with
/// the semantic diff's one line as the message. Under the lock, so that
/// what is committed is what the message says.
fn commit_data_file(repo: &Repo, path: &Path, out: &mut dyn Write) -> Result<()> {
    let file = repo.file();
    let _lock = store::Lock::acquire(path)?;
    let ran = repo.git(&[
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        &file,
    ])?;
    if !ran.ok {
        bail!(
            "git cannot tell whether {file} changed: {}",
            ran.complaint()
        );
    }
    if ran.stdout.is_empty() {
        writeln!(out, "{file}: no change to commit")?;
        return Ok(());
    }
    let now = store::parse_or_empty(path, store::read(path)?.as_deref())?;
    let at_head = at_revision(repo, "HEAD")?;
    let message = diff(&at_head, &now).summary();
    for args in [
        vec!["add", "--", file.as_str()],
        vec![
            "commit",
            "--quiet",
            "-m",
            message.as_str(),
            "--",
            file.as_str(),
        ],
    ] {
        let ran = repo.git(&args)?;
        if !ran.ok {
            bail!(
                "git cannot commit {file} (nothing was pulled or pushed): {}",
                ran.complaint()
            );
        }
    }
    writeln!(out, "Committed {file}: {message}")?;
    Ok(())
}

/// The data file at revision `rev`: an empty backlog where it was not.
fn at_revision(repo: &Repo, rev: &str) -> Result<Backlog> {
    let file = repo.file();
    let named = PathBuf::from(format!("{rev}:{file}"));
    store::parse_or_empty(&named, repo.file_at(rev)?.as_deref())
}

/// The clashes the data file records (its `conflicts` list), as the
/// file spells them, or why they cannot be told.
fn clashes(path: &Path) -> Result<Vec<serde_json::Value>> {
    let text = store::read(path)?.unwrap_or_default();
    let file: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{} cannot be read after the merge ({e}); if it holds git's conflict \
             markers, the merge driver was not used: `git merge --abort`, run \
             `backlog share init`, then sync again",
            path.display()
        )
    })?;
    Ok(file
        .get("conflicts")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// How to settle clashes, for the user: in the TUI, or one by one on the
/// command line, the first of them as the example.
fn settle_advice(path: &Path, clashes: &[serde_json::Value]) -> String {
    let count = super::count(clashes.len(), "clash", "clashes");
    let first = clashes.first();
    let text = |key: &str| first.and_then(|c| c.get(key)).and_then(|v| v.as_str());
    let what = text("story").unwrap_or("product");
    let field = text("field").unwrap_or("title");
    let field = field.strip_prefix("product.").unwrap_or(field);
    format!(
        "{count} to settle in {}: changes both sides made to the same field. \
         Settle them in `{}` (! shows each: keep ours, take theirs or type your own), \
         or list them with `{}` and settle each with `{}` (or --ours, or --value), \
         then run `{}` again to finish the merge and push",
        path.display(),
        super::command_for(path, &[]),
        super::command_for(path, &["conflicts"]),
        super::command_for(path, &["resolve-conflict", what, field, "--theirs"]),
        super::command_for(path, &["sync"]),
    )
}

/// A merge a pull left with clashes: once they are settled, the data
/// file is added and the merge committed.
fn finish_merge(repo: &Repo, path: &Path, changes: &Changes, out: &mut dyn Write) -> Result<()> {
    let file = repo.file();
    let others: Vec<&str> = changes.unmerged().filter(|p| *p != file).collect();
    if !others.is_empty() {
        bail!(
            "a merge is under way with conflicts in other files (nothing was done): {}; \
             settle them with git (or `git merge --abort`), then sync again",
            others.join(", ")
        );
    }
    let _lock = store::Lock::acquire(path)?;
    let left = clashes(path)?;
    if !left.is_empty() {
        bail!("{} (nothing was done)", settle_advice(path, &left));
    }
    for args in [
        vec!["add", "--", file.as_str()],
        vec!["commit", "--quiet", "--no-edit"],
    ] {
        let ran = repo.git(&args)?;
        if !ran.ok {
            bail!("git cannot finish the merge: {}", ran.complaint());
        }
    }
    writeln!(out, "Finished the merge: {file}'s clashes are settled")?;
    Ok(())
}

fn pull(repo: &Repo, path: &Path, upstream: &Upstream, out: &mut dyn Write) -> Result<()> {
    let file = repo.file();
    let before = repo.commit("HEAD")?;
    // `--ff` as well: a `pull.ff = only` of the user's must not stop a
    // pull that has to merge.
    let ran = repo.git(&["pull", "--no-rebase", "--ff", "--no-edit", "--quiet"])?;
    if !ran.ok {
        if repo.commit("MERGE_HEAD")?.is_none() {
            bail!(
                "the pull from {} failed, and nothing was pushed: {}\nYour commit is \
                 kept here; the next `backlog sync` pulls and pushes again",
                upstream.name,
                ran.complaint()
            );
        }
        let changes = Changes::of(repo)?;
        let others: Vec<&str> = changes.unmerged().filter(|p| *p != file).collect();
        if !others.is_empty() {
            bail!(
                "the pull from {} stopped on conflicts in other files: {}; settle them \
                 with git (or `git merge --abort` to go back), then sync again",
                upstream.name,
                others.join(", ")
            );
        }
        let left = clashes(path)?;
        if left.is_empty() {
            // The driver records every clash it leaves: with none, it
            // failed, and the file holds our side alone.
            bail!(
                "the pull from {} stopped, the merge driver failed on {file}: {}\n\
                 Nothing was pushed; `git merge --abort` goes back to your commit",
                upstream.name,
                ran.complaint()
            );
        }
        bail!(
            "the pull from {} merged {file} with {}",
            upstream.name,
            settle_advice(path, &left)
        );
    }
    let after = repo.commit("HEAD")?;
    if before == after {
        writeln!(out, "Pulled from {}: nothing came in", upstream.name)?;
        return Ok(());
    }
    let came_in = match &before {
        Some(before) => diff(&at_revision(repo, before)?, &at_revision(repo, "HEAD")?),
        None => diff(&Backlog::default(), &at_revision(repo, "HEAD")?),
    };
    let said = if came_in.is_empty() {
        format!("no change to {file}")
    } else {
        came_in.summary()
    };
    writeln!(out, "Pulled from {}: {said}", upstream.name)?;
    Ok(())
}

fn push(repo: &Repo, upstream: &Upstream, out: &mut dyn Write) -> Result<()> {
    let ahead = repo.git(&["rev-list", "--count", "@{u}..HEAD"])?;
    let ahead: usize = ahead
        .stdout
        .trim()
        .parse()
        .with_context(|| format!("git cannot count what {} lacks", upstream.name))?;
    if ahead == 0 {
        writeln!(out, "Nothing to push: {} is up to date", upstream.name)?;
        return Ok(());
    }
    let to = format!("HEAD:{}", upstream.merge);
    let ran = repo.git(&["push", "--quiet", &upstream.remote, &to])?;
    if !ran.ok {
        bail!(
            "the push to {} failed: {}\nYour {} kept here; the next `backlog sync` \
             pushes {} again (pulling first what others pushed meanwhile)",
            upstream.name,
            ran.complaint(),
            super::count(ahead, "commit is", "commits are"),
            if ahead == 1 { "it" } else { "them" },
        );
    }
    writeln!(
        out,
        "Pushed {} to {}",
        super::count(ahead, "commit", "commits"),
        upstream.name
    )?;
    Ok(())
}
