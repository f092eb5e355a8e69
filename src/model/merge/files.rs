//! The three-way merge git's merge driver runs: two clones' copies of the
//! data file and the copy they both came from.
//!
//! Unlike the TUI's merge against another writer, it goes field by field
//! inside a story, so two people editing different fields of one story
//! never clash; and where both changed one field differently, ours stays
//! in the file and a [`Clash`] records both sides for the product owner to
//! settle. Theirs' new stories move to free ids when ours took theirs.
//!
//! A story one side deleted and the other changed is kept, changed: an
//! edit can be undone in the file, a deletion's content would be gone for
//! good. The deletion is recorded as a clash on the field [`DELETED`], so
//! settling it with the deleting side's `true` removes the story.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{merge_feedback, merge_goals, order_ties, same};
use crate::model::backlog::{Backlog, Clash, DELETED};
use crate::model::product::{Product, name_key};
use crate::model::story::{Comment, Story, StoryId};

/// What the merge driver's merge produced.
#[derive(Debug)]
pub struct Merged3 {
    /// The merged backlog, with the clashes either side still had and
    /// those this merge found.
    pub backlog: Backlog,
    /// Theirs' new stories that took new ids (old, new): ours had
    /// already given their ids to other stories.
    pub renumbered: Vec<(StoryId, StoryId)>,
}

/// Merge `ours` and `theirs`, both descended from `base`, field by field;
/// see the module's comment for what wins where.
#[must_use]
pub fn merge_files(base: &Backlog, ours: &Backlog, theirs: &Backlog) -> Merged3 {
    merge_files_by(base, ours, theirs, None, None)
}

/// [`merge_files`], naming who each side is in the clashes it records
/// (git's names for the two sides, when it gives them).
#[must_use]
pub fn merge_files_by(
    base: &Backlog,
    ours: &Backlog,
    theirs: &Backlog,
    ours_by: Option<&str>,
    theirs_by: Option<&str>,
) -> Merged3 {
    let renumbered = theirs_to_renumber(base, ours, theirs);
    let theirs: Cow<Backlog> = if renumbered.is_empty() {
        Cow::Borrowed(theirs)
    } else {
        Cow::Owned(theirs.renumbered(&renumbered))
    };
    let mut found = Vec::new();
    let mut stories = merge_stories(base, ours, &theirs, &mut found);
    let product = merge_product(&base.product, &ours.product, &theirs.product, &mut found);
    order_ties(&mut stories);
    let next_id = ours.next_id().max(theirs.next_id());
    let mut backlog = Backlog::from_parts(product, next_id, stories)
        .expect("merged ids are distinct: theirs' new stories moved past ours");
    for clash in &mut found {
        clash.ours_by = ours_by.map(str::to_string);
        clash.theirs_by = theirs_by.map(str::to_string);
    }
    let mut clashes = carried_clashes(base, ours, &theirs);
    clashes.append(&mut found);
    record_kept(&mut backlog, clashes);
    Merged3 {
        backlog,
        renumbered,
    }
}

/// Theirs' new stories under ids ours has given (or used: ids are never
/// reused), each with the next id free on both sides. With no id left,
/// such a story stays as it is and merges with ours as one story.
fn theirs_to_renumber(base: &Backlog, ours: &Backlog, theirs: &Backlog) -> Vec<(StoryId, StoryId)> {
    let mut next_id = ours.next_id().max(theirs.next_id());
    let mut renumbered = Vec::new();
    for t in theirs.stories_by_id() {
        let new = base.get(t.id).is_none();
        let taken = ours.get(t.id).is_some() || t.id.0 < ours.next_id();
        if new
            && taken
            && let Some(after) = next_id.checked_add(1)
        {
            renumbered.push((t.id, StoryId(next_id)));
            next_id = after;
        }
    }
    renumbered
}

/// Keep in `merged` the clashes a git merge left in the file, as either
/// side has settled or found them since `base`, on the stories still
/// there: the TUI's merge with another writer must not lose them.
pub(super) fn keep_clashes(merged: &mut Backlog, base: &Backlog, ours: &Backlog, theirs: &Backlog) {
    record_kept(merged, carried_clashes(base, ours, theirs));
}

/// Record the clashes on stories `merged` still has: a clash on a story
/// the merge dropped has nothing left to settle.
fn record_kept(merged: &mut Backlog, mut clashes: Vec<Clash>) {
    clashes.retain(|c| c.story.is_none_or(|id| merged.get(id).is_some()));
    merged
        .record_clashes(clashes)
        .expect("only clashes on stories kept are recorded");
}

/// Clashes the two sides came with, merged as a set: one either side
/// settled since the base is gone, one either side found since stays.
fn carried_clashes(base: &Backlog, ours: &Backlog, theirs: &Backlog) -> Vec<Clash> {
    if ours.clashes() == base.clashes() {
        return theirs.clashes().to_vec();
    }
    let has = |list: &[Clash], c: &Clash| list.iter().any(|o| o.is(c.story, &c.field));
    let mut clashes: Vec<Clash> = ours
        .clashes()
        .iter()
        .filter(|c| has(theirs.clashes(), c) || !has(base.clashes(), c))
        .cloned()
        .collect();
    for clash in theirs.clashes() {
        if !has(&clashes, clash) && !has(base.clashes(), clash) {
            clashes.push(clash.clone());
        }
    }
    clashes
}

fn merge_stories(
    base: &Backlog,
    ours: &Backlog,
    theirs: &Backlog,
    clashes: &mut Vec<Clash>,
) -> Vec<Arc<Story>> {
    let by_id = |b: &Backlog| -> HashMap<StoryId, Arc<Story>> {
        b.stories_by_id()
            .iter()
            .map(|s| (s.id, Arc::clone(s)))
            .collect()
    };
    let (base_by_id, ours_by_id, theirs_by_id) = (by_id(base), by_id(ours), by_id(theirs));
    let mut ids: Vec<StoryId> = ours_by_id
        .keys()
        .chain(theirs_by_id.keys())
        .chain(base_by_id.keys())
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut stories = Vec::with_capacity(ours.len().max(theirs.len()));
    let deleted = |id: StoryId, ours: bool| Clash {
        story: Some(id),
        field: DELETED.to_string(),
        base: Value::Bool(false),
        ours: Value::Bool(ours),
        theirs: Value::Bool(!ours),
        ours_by: None,
        theirs_by: None,
    };
    for id in ids {
        match (
            base_by_id.get(&id),
            ours_by_id.get(&id),
            theirs_by_id.get(&id),
        ) {
            (b, Some(o), Some(t)) => {
                if b.is_some_and(|b| same(o, b)) || same(o, t) {
                    stories.push(Arc::clone(t));
                } else if b.is_some_and(|b| same(t, b)) {
                    stories.push(Arc::clone(o));
                } else {
                    stories.push(Arc::new(merge_story(b.map(|b| &**b), o, t, clashes)));
                }
            }
            // One side deleted it; the other's change, if any, keeps it.
            (Some(b), Some(o), None) => {
                if !same(o, b) {
                    stories.push(Arc::clone(o));
                    clashes.push(deleted(id, false));
                }
            }
            (Some(b), None, Some(t)) => {
                if !same(t, b) {
                    stories.push(Arc::clone(t));
                    clashes.push(deleted(id, true));
                }
            }
            (None, Some(added), None) | (None, None, Some(added)) => {
                stories.push(Arc::clone(added));
            }
            (_, None, None) => {}
        }
    }
    stories
}

/// A story both sides changed, field by field as the file spells its
/// fields. Where both changed one field differently, ours stays and a
/// clash is recorded. Its place is ours when both moved it (a rank key
/// means nothing to read, and the product owner ranks it again in one
/// key); its last change is the later; the status changes, labels,
/// blockers and splits of both are kept; comments merge one by one.
fn merge_story(
    base: Option<&Story>,
    ours: &Story,
    theirs: &Story,
    clashes: &mut Vec<Clash>,
) -> Story {
    let b = base.map_or_else(Map::new, fields);
    let merged = merge_fields(&b, &fields(ours), &fields(theirs), |key, bv, ov, tv| {
        match key {
            "rank" => {
                if ov == bv {
                    tv
                } else {
                    ov
                }
            }
            // Worked out on the typed story below.
            "updated" | "status_history" | "comments" => ov,
            "labels" | "blocked_by" | "split_into" => merge_set(&bv, &ov, &tv),
            "acceptance_criteria" => match appended(&bv, &ov, &tv) {
                Some(both) => both,
                None => pick_field(Some(ours.id), key, bv, ov, tv, clashes),
            },
            _ => pick_field(Some(ours.id), key, bv, ov, tv, clashes),
        }
    });
    let mut story: Story = serde_json::from_value(Value::Object(merged))
        .expect("each field comes from a story of one side or the other");
    story.updated = ours.updated.max(theirs.updated);
    story.status_history.clone_from(&ours.status_history);
    for change in &theirs.status_history {
        if !story.status_history.contains(change) {
            story.status_history.push(change.clone());
        }
    }
    story.status_history.sort_by_key(|c| c.at);
    let no_comments = Vec::new();
    let base_comments = base.map_or(&no_comments, |b| &b.comments);
    let (mut comments, clashed) = merge_keyed(
        base_comments,
        &ours.comments,
        &theirs.comments,
        |c: &Comment| (c.at, c.author.clone()),
    );
    comments.sort_by_key(|c| c.at);
    if !clashed.is_empty() {
        clashes.push(clash(
            Some(ours.id),
            "comments",
            base_comments,
            &ours.comments,
            &theirs.comments,
        ));
    }
    story.comments = comments;
    story
}

fn clash<T: Serialize + ?Sized>(
    story: Option<StoryId>,
    field: &str,
    base: &T,
    ours: &T,
    theirs: &T,
) -> Clash {
    Clash {
        story,
        field: field.to_string(),
        base: json(base),
        ours: json(ours),
        theirs: json(theirs),
        ours_by: None,
        theirs_by: None,
    }
}

/// The side that changed the field; ours, and a clash, when both did.
fn pick_field(
    story: Option<StoryId>,
    field: &str,
    base: Value,
    ours: Value,
    theirs: Value,
    clashes: &mut Vec<Clash>,
) -> Value {
    if ours == base {
        theirs
    } else if theirs == base || theirs == ours {
        ours
    } else {
        clashes.push(Clash {
            story,
            field: field.to_string(),
            base,
            ours: ours.clone(),
            theirs,
            ours_by: None,
            theirs_by: None,
        });
        ours
    }
}

/// A list kept as a set (labels, blockers, splits): what either side
/// added is in, what either side took out is out; ours' order first.
fn merge_set(base: &Value, ours: &Value, theirs: &Value) -> Value {
    let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let (base, ours, theirs) = (items(base), items(ours), items(theirs));
    let mut merged: Vec<Value> = ours
        .iter()
        .filter(|x| theirs.contains(x) || !base.contains(x))
        .cloned()
        .collect();
    for x in theirs {
        if !base.contains(&x) && !merged.contains(&x) {
            merged.push(x);
        }
    }
    if merged.is_empty() {
        Value::Null
    } else {
        Value::Array(merged)
    }
}

/// When both sides only added to the end of a list (acceptance criteria
/// written on both sides), the base's, then ours', then theirs' that ours
/// did not also add.
fn appended(base: &Value, ours: &Value, theirs: &Value) -> Option<Value> {
    let (base, ours, theirs) = (base.as_array()?, ours.as_array()?, theirs.as_array()?);
    if !ours.starts_with(base) || !theirs.starts_with(base) {
        return None;
    }
    let mut merged = ours.clone();
    for item in &theirs[base.len()..] {
        if !ours[base.len()..].contains(item) {
            merged.push(item.clone());
        }
    }
    Some(Value::Array(merged))
}

/// Entries kept by a key (epics and releases by name, comments by when
/// and who): each merges on its own. The order is the side's that
/// changed the order, else ours', then theirs' new entries. Returns the
/// entries and the keys both sides changed differently (ours stays).
fn merge_keyed<T: Clone + PartialEq, K: Eq + Hash + Clone>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Vec<K>) {
    let index = |list: &[T]| -> HashMap<K, usize> {
        list.iter().enumerate().map(|(i, x)| (key(x), i)).collect()
    };
    let (base_at, ours_at, theirs_at) = (index(base), index(ours), index(theirs));
    let keys = |list: &[T]| -> Vec<K> { list.iter().map(&key).collect() };
    let order: Vec<K> = if keys(ours) == keys(base) {
        keys(theirs).into_iter().chain(keys(ours)).collect()
    } else {
        keys(ours).into_iter().chain(keys(theirs)).collect()
    };
    let mut seen = HashSet::new();
    let mut merged = Vec::new();
    let mut clashed = Vec::new();
    for k in order {
        if !seen.insert(k.clone()) {
            continue;
        }
        let b = base_at.get(&k).map(|&i| &base[i]);
        let o = ours_at.get(&k).map(|&i| &ours[i]);
        let t = theirs_at.get(&k).map(|&i| &theirs[i]);
        let entry = if o == b {
            t
        } else if t == b || t == o {
            o
        } else {
            clashed.push(k.clone());
            // A deletion against a change keeps the change.
            o.or(t)
        };
        merged.extend(entry.cloned());
    }
    (merged, clashed)
}

/// The product part by part, and its lists entry by entry: names,
/// vision and goals as one value each, settings key by key, epics,
/// releases and sprints by name, feedback by item.
fn merge_product(
    base: &Product,
    ours: &Product,
    theirs: &Product,
    clashes: &mut Vec<Clash>,
) -> Product {
    // Taken apart with no field left out, so a new part does not compile
    // until it is merged here.
    let Product {
        name,
        vision,
        goals,
        epics,
        settings: _,
        releases,
        sprints,
        past_sprints,
        feedback: _,
        next_feedback: _,
    } = ours;
    let mut pick = |field: &str, b: Value, o: Value, t: Value| -> Value {
        pick_field(None, field, b, o, t, clashes)
    };
    let mut merged = theirs.clone();
    merged.name = take(pick(
        "product.name",
        json(&base.name),
        json(name),
        json(&theirs.name),
    ));
    merged.vision = take(pick(
        "product.vision",
        json(&base.vision),
        json(vision),
        json(&theirs.vision),
    ));
    merged.past_sprints = take(pick(
        "product.past_sprints",
        json(&base.past_sprints),
        json(past_sprints),
        json(&theirs.past_sprints),
    ));
    let (merged_goals, goals_clashed) = merge_goals(&base.goals, goals, &theirs.goals);
    merged.goals = if goals_clashed {
        clashes.push(clash(
            None,
            "product.goals",
            &base.goals,
            goals,
            &theirs.goals,
        ));
        goals.clone()
    } else {
        merged_goals
    };
    merged.settings = merge_settings(base, ours, theirs, clashes);
    merged.epics = merge_named(
        "epic",
        &base.epics,
        epics,
        &theirs.epics,
        |e| &e.name,
        clashes,
    );
    merged.releases = merge_named(
        "release",
        &base.releases,
        releases,
        &theirs.releases,
        |r| &r.name,
        clashes,
    );
    merged.sprints = merge_named(
        "sprint",
        &base.sprints,
        sprints,
        &theirs.sprints,
        |s| &s.name,
        clashes,
    );
    let (items, next) = merge_feedback_items(base, ours, theirs, clashes);
    merged.feedback = items;
    merged.next_feedback = next;
    merged
}

/// Feedback item by item, each clash named `feedback:F-3`. Returns the
/// items and the id counter.
fn merge_feedback_items(
    base: &Product,
    ours: &Product,
    theirs: &Product,
    clashes: &mut Vec<Clash>,
) -> (Vec<Arc<crate::model::Feedback>>, u64) {
    // The TUI's feedback merge moves the new items of its second side past
    // the first's and keeps the first's item where both changed one: with
    // the sides swapped, that is theirs moved and ours kept.
    let (items, next, _) = merge_feedback(base, theirs, ours);
    for item in &items {
        let find = |p: &Product| p.feedback.iter().find(|f| f.id == item.id).cloned();
        if let (Some(b), Some(o), Some(t)) = (find(base), find(ours), find(theirs))
            && b != o
            && b != t
            && o != t
        {
            clashes.push(clash(None, &format!("feedback:{}", item.id), &b, &o, &t));
        }
    }
    (items, next)
}

/// A list kept by name (epics, releases, sprints), entry by entry, with a
/// clash `kind:name` for each entry both sides changed differently;
/// `null` stands for a side that deleted it.
fn merge_named<'a, T: Clone + PartialEq + Serialize>(
    kind: &str,
    base: &'a [T],
    ours: &'a [T],
    theirs: &'a [T],
    name_of: impl Fn(&T) -> &String,
    clashes: &mut Vec<Clash>,
) -> Vec<T> {
    let (merged, clashed) = merge_keyed(base, ours, theirs, |x| name_key(name_of(x)));
    for key in &clashed {
        let find = |list: &'a [T]| list.iter().find(|x| name_key(name_of(x)) == *key);
        let name = find(ours)
            .or_else(|| find(theirs))
            .map_or(key, |x| name_of(x));
        clashes.push(clash(
            None,
            &format!("{kind}:{name}"),
            &find(base),
            &find(ours),
            &find(theirs),
        ));
    }
    merged
}

/// Settings key by key, as the file spells them (`settings.scale`).
fn merge_settings(
    base: &Product,
    ours: &Product,
    theirs: &Product,
    clashes: &mut Vec<Clash>,
) -> crate::model::Settings {
    let merged = merge_fields(
        &fields(&base.settings),
        &fields(&ours.settings),
        &fields(&theirs.settings),
        |key, bv, ov, tv| pick_field(None, &format!("settings.{key}"), bv, ov, tv, clashes),
    );
    serde_json::from_value(Value::Object(merged)).expect("each setting comes from one side")
}

/// A struct's fields as the file spells them.
fn fields<T: Serialize>(value: &T) -> Map<String, Value> {
    match json(value) {
        Value::Object(fields) => fields,
        _ => unreachable!("only structs are merged field by field"),
    }
}

/// Each field any side has, ours' order first, merged by `merge_one`
/// (key, base, ours, theirs; `null` where a side lacks it); a field that
/// merges to `null` is left out, as the file leaves it out.
fn merge_fields(
    base: &Map<String, Value>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    mut merge_one: impl FnMut(&str, Value, Value, Value) -> Value,
) -> Map<String, Value> {
    let get =
        |fields: &Map<String, Value>, key: &str| fields.get(key).cloned().unwrap_or(Value::Null);
    let mut seen = HashSet::new();
    let mut merged = Map::new();
    for key in ours.keys().chain(theirs.keys()).chain(base.keys()) {
        if !seen.insert(key) {
            continue;
        }
        let value = merge_one(key, get(base, key), get(ours, key), get(theirs, key));
        if !value.is_null() {
            merged.insert(key.clone(), value);
        }
    }
    merged
}

/// A value of one side or the other, read back.
fn take<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a value of one side or the other")
}

/// A part of the backlog as the file spells it.
fn json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).expect("a backlog's parts are JSON")
}
