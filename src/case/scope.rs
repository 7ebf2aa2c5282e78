//! Milestone scopes written as a bare name (`Hoshizora Technology`, `Chen Siyuan`): a name that
//! is exactly one organization or one person of the case is read as `org:` / `person:` (with a
//! note saying so); a name that is several, or none, is a reject that says which.

use rusqlite::Connection;

use crate::model::roster::Scope;

/// The scope to store and, for a resolved bare name, the note that says how it was read;
/// `Err` (a reject) for a name that is ambiguous or unknown.
pub(super) fn resolve(
    conn: &Connection,
    scope: &Scope,
) -> rusqlite::Result<Result<(Scope, Option<String>), String>> {
    let Scope::Name(name) = scope else {
        return Ok(Ok((scope.clone(), None)));
    };
    let mut orgs: Vec<String> = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT organization FROM person WHERE organization = ?1 ORDER BY 1",
    )?;
    for r in st.query_map([name], |r| r.get(0))? {
        orgs.push(r?);
    }
    // A person by id, display name or native name; one person matched twice counts once.
    let mut people: Vec<(String, String)> = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT person_key, CASE WHEN person_key = ?1 THEN 'person_id'
                                 WHEN display_name = ?1 THEN 'display name'
                                 ELSE 'native name' END
         FROM person WHERE person_key = ?1 OR display_name = ?1 OR native_name = ?1
         ORDER BY person_key",
    )?;
    for r in st.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))? {
        people.push(r?);
    }
    Ok(match (orgs.as_slice(), people.as_slice()) {
        ([org], []) => Ok((
            Scope::Organization(org.clone()),
            Some(format!(
                "scope {name:?} is the name of one organization in the case: read as org:{org}"
            )),
        )),
        ([], [(key, how)]) => Ok((
            Scope::Person(key.clone()),
            Some(format!(
                "scope {name:?} is the {how} of one person in the case: read as person:{key}"
            )),
        )),
        ([], []) => Err(format!(
            "scope {name:?} is not `all`, `org:<organization>` or `person:<person_id>`, and no organization or person in the case has that name (import the people roster first, or write org:/person:)"
        )),
        _ => {
            let mut what: Vec<String> =
                orgs.iter().map(|o| format!("organization {o:?}")).collect();
            what.extend(
                people
                    .iter()
                    .map(|(k, how)| format!("person {k} (by {how})")),
            );
            Err(format!(
                "scope {name:?} is ambiguous: it names {}; write org:<organization> or person:<person_id>",
                what.join(" and ")
            ))
        }
    })
}
