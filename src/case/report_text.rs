//! The report's narrative items (cause, secondary damage, response to affected persons, ...),
//! written by the investigator per section and language and stored in `report_text`. Every
//! change is written to the custody log in the same transaction.

use super::facade::{Export, Writes};
use rusqlite::params;

use super::{Result, custody};

impl Export<'_> {
    /// The stored text of a section in a language, if any.
    pub fn report_text(&self, section: &str, lang: &str) -> Result<Option<String>> {
        let rows = self.query_vec(
            "SELECT text FROM report_text WHERE section = ?1 AND lang = ?2",
            params![section, lang],
            |r| r.get::<_, String>(0),
        )?;
        Ok(rows.into_iter().next())
    }
}

impl Writes<'_> {
    /// Stores (replaces) a section's text in a language and logs the change. An unchanged
    /// text is not written again.
    pub fn set_report_text(
        &mut self,
        section: &str,
        lang: &str,
        text: &str,
        author: &str,
    ) -> Result<()> {
        if self.export().report_text(section, lang)?.as_deref() == Some(text) {
            return Ok(());
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            c.execute(
                "INSERT INTO report_text(section, lang, text, author, at_us) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(section, lang) DO UPDATE SET text = excluded.text,
                     author = excluded.author, at_us = excluded.at_us",
                params![section, lang, text, author, now],
            )?;
            let digest = {
                use sha2::{Digest, Sha256};
                custody::hex(&Sha256::digest(text.as_bytes()))
            };
            custody::append(
                c,
                author,
                "report_text",
                &serde_json::json!({
                    "section": section,
                    "lang": lang,
                    "chars": text.chars().count(),
                    "sha256": digest,
                }),
            )?;
            Ok(())
        })
    }
}
