//! Saved views: a named filter (the query language's terms among the others), visible range,
//! display zone, colouring and table columns, stored in the case (`saved_view`). Saving,
//! replacing and deleting one each write a custody entry (`saved_view`) in the same
//! transaction, with the view's SHA-256 ([`SavedView::sha256`]), so `verify` can name a view
//! changed, added or removed outside the app.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::facade::{Annotations, Writes};
use super::timeline::FilterTerm;
use super::{CaseError, Result, custody};

/// One saved view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    pub filter: Vec<FilterTerm>,
    /// The filter in words (what the list shows).
    pub query: String,
    /// The visible range `[from, to)` in UTC µs; `None`: the whole case.
    pub range: Option<(i64, i64)>,
    /// The display zone (IANA name).
    pub zone: String,
    /// `category`, `system` or `outcome`.
    pub color_by: String,
    /// The table's visible columns; `None`: the default set.
    pub columns: Option<Vec<String>>,
    pub author: String,
    pub at_us: i64,
}

/// The stored columns a view's digest covers, as stored.
struct Stored<'a> {
    name: &'a str,
    filter_json: &'a str,
    query: &'a str,
    from_us: Option<i64>,
    to_us: Option<i64>,
    zone: &'a str,
    color_by: &'a str,
    columns_json: Option<&'a str>,
}

impl Stored<'_> {
    /// SHA-256 of the stored columns (all but author and time, which the custody entry
    /// itself carries), as a JSON array.
    fn sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        let text = serde_json::json!([
            self.name,
            self.filter_json,
            self.query,
            self.from_us,
            self.to_us,
            self.zone,
            self.color_by,
            self.columns_json
        ])
        .to_string();
        custody::hex(&Sha256::digest(text.as_bytes()))
    }
}

impl SavedView {
    fn stored_json(&self) -> (String, Option<String>) {
        (
            serde_json::to_string(&self.filter).unwrap_or_else(|_| "[]".into()),
            self.columns
                .as_ref()
                .map(|c| serde_json::to_string(c).unwrap_or_else(|_| "[]".into())),
        )
    }
}

const COLUMNS: &str =
    "name, filter_json, query, from_us, to_us, zone, color_by, columns_json, author, at_us";

/// A row of `saved_view` with its digest, for `verify`.
pub(super) struct StoredDigest {
    pub name: String,
    pub sha256: String,
}

impl Annotations<'_> {
    /// Every saved view, by name.
    pub fn saved_views(&self) -> Result<Vec<SavedView>> {
        // A case of an older schema opened for review has no such table.
        if !self.has_table("saved_view")? {
            return Ok(Vec::new());
        }
        let rows = self.query_vec(
            &format!("SELECT {COLUMNS} FROM saved_view ORDER BY name"),
            [],
            read_row,
        )?;
        rows.into_iter().map(|r| self.parse_view(r)).collect()
    }

    /// The saved view called `name`, if any.
    pub fn saved_view(&self, name: &str) -> Result<Option<SavedView>> {
        if !self.has_table("saved_view")? {
            return Ok(None);
        }
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM saved_view WHERE name = ?1"),
                [name],
                read_row,
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|r| self.parse_view(r)).transpose()
    }

    fn parse_view(&self, r: Row) -> Result<SavedView> {
        let filter = serde_json::from_str(&r.filter_json).map_err(|e| {
            CaseError::Invalid(format!(
                "saved view {:?}: its filter cannot be read: {e}",
                r.name
            ))
        })?;
        let columns = match &r.columns_json {
            Some(c) => Some(serde_json::from_str(c).map_err(|e| {
                CaseError::Invalid(format!(
                    "saved view {:?}: its columns cannot be read: {e}",
                    r.name
                ))
            })?),
            None => None,
        };
        Ok(SavedView {
            range: r.from_us.zip(r.to_us),
            name: r.name,
            filter,
            query: r.query,
            zone: r.zone,
            color_by: r.color_by,
            columns,
            author: r.author,
            at_us: r.at_us,
        })
    }

    /// Every stored view's digest, from its stored columns as they are (for `verify`).
    pub(super) fn saved_view_digests(&self) -> Result<Vec<StoredDigest>> {
        if !self.has_table("saved_view")? {
            return Ok(Vec::new());
        }
        let rows = self.query_vec(
            &format!("SELECT {COLUMNS} FROM saved_view ORDER BY name"),
            [],
            read_row,
        )?;
        Ok(rows
            .iter()
            .map(|r| StoredDigest {
                name: r.name.clone(),
                sha256: r.stored().sha256(),
            })
            .collect())
    }
}

struct Row {
    name: String,
    filter_json: String,
    query: String,
    from_us: Option<i64>,
    to_us: Option<i64>,
    zone: String,
    color_by: String,
    columns_json: Option<String>,
    author: String,
    at_us: i64,
}

impl Row {
    fn stored(&self) -> Stored<'_> {
        Stored {
            name: &self.name,
            filter_json: &self.filter_json,
            query: &self.query,
            from_us: self.from_us,
            to_us: self.to_us,
            zone: &self.zone,
            color_by: &self.color_by,
            columns_json: self.columns_json.as_deref(),
        }
    }
}

fn read_row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok(Row {
        name: r.get(0)?,
        filter_json: r.get(1)?,
        query: r.get(2)?,
        from_us: r.get(3)?,
        to_us: r.get(4)?,
        zone: r.get(5)?,
        color_by: r.get(6)?,
        columns_json: r.get(7)?,
        author: r.get(8)?,
        at_us: r.get(9)?,
    })
}

impl Writes<'_> {
    /// Saves a view under its name, replacing one of that name, with its custody entry.
    /// Returns whether a view was replaced. `view.author` and `view.at_us` are set here.
    pub fn save_view(&mut self, view: &SavedView, author: &str) -> Result<bool> {
        let name = view.name.trim();
        if name.is_empty() {
            return Err(CaseError::Invalid(
                "a saved view needs a name; nothing was saved".into(),
            ));
        }
        if let Some((a, b)) = view.range
            && b <= a
        {
            return Err(CaseError::Invalid(format!(
                "saved view {name:?}: the range ends before it starts; nothing was saved"
            )));
        }
        let (filter_json, columns_json) = view.stored_json();
        let (from_us, to_us) = (view.range.map(|r| r.0), view.range.map(|r| r.1));
        let sha = Stored {
            name,
            filter_json: &filter_json,
            query: &view.query,
            from_us,
            to_us,
            zone: &view.zone,
            color_by: &view.color_by,
            columns_json: columns_json.as_deref(),
        }
        .sha256();
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            let replaced: bool = c
                .query_row("SELECT 1 FROM saved_view WHERE name = ?1", [name], |_| {
                    Ok(())
                })
                .optional()?
                .is_some();
            c.execute(
                "INSERT OR REPLACE INTO saved_view(name, filter_json, query, from_us, to_us, zone,
                     color_by, columns_json, author, at_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    name,
                    filter_json,
                    view.query,
                    from_us,
                    to_us,
                    view.zone,
                    view.color_by,
                    columns_json,
                    author,
                    now
                ],
            )?;
            custody::append(
                c,
                author,
                "saved_view",
                &serde_json::json!({
                    "name": name,
                    "op": if replaced { "replace" } else { "save" },
                    "query": view.query,
                    "sha256": sha,
                }),
            )?;
            Ok(replaced)
        })
    }

    /// Deletes a saved view, with its custody entry.
    pub fn delete_view(&mut self, name: &str, author: &str) -> Result<()> {
        self.with_tx(|c| {
            let n = c.execute("DELETE FROM saved_view WHERE name = ?1", [name])?;
            if n == 0 {
                return Ok(false);
            }
            custody::append(
                c,
                author,
                "saved_view",
                &serde_json::json!({ "name": name, "op": "delete" }),
            )?;
            Ok(true)
        })?
        .then_some(())
        .ok_or_else(|| CaseError::Invalid(format!("no saved view {name:?} in this case")))
    }
}
