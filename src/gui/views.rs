//! Saved views in the app: the case's list (read by a job when a case opens and after every
//! change), and saving and deleting, each a job that writes the view and its custody entry.
//! Applying a view changes the app's view and settings, so the app does it
//! (`app::apply`); this is the part that talks to the case.

use std::path::{Path, PathBuf};

use crate::case::{Case, SavedView};

use super::runner::{Output, Runner, Task};
use crate::i18n::Lang;
use crate::tr;

#[derive(Default)]
pub struct ViewsState {
    /// The case the list was read from.
    loaded_for: Option<PathBuf>,
    pub stale: bool,
    pub list: Vec<SavedView>,
    /// The last change's result: (error, text).
    pub message: Option<(bool, String)>,
    /// Grows with each change saved (the panel clears its name field).
    pub written: u64,
}

impl ViewsState {
    /// Reads the list when it is stale or another case is open. Runs every frame.
    pub fn sync(&mut self, case: &Path, lang: Lang, runner: &mut Runner) {
        if (self.stale || self.loaded_for.as_deref() != Some(case))
            && !runner.is_running(Task::SavedViews)
        {
            self.stale = false;
            self.loaded_for = Some(case.to_path_buf());
            let p = case.to_path_buf();
            let _ = runner.start(
                Task::SavedViews,
                tr!(lang, "job-saved-views"),
                move |_, _| {
                    let c = Case::open_read_only(&p)?;
                    Ok(Output::SavedViews(c.annotations().saved_views()?, None))
                },
            );
        }
    }

    /// Saves (`Some`) or deletes a view; its note in `lang`.
    pub fn write(
        &mut self,
        case: &Path,
        author: &str,
        save: Option<SavedView>,
        delete: Option<String>,
        lang: Lang,
        runner: &mut Runner,
    ) {
        let (p, author) = (case.to_path_buf(), author.to_string());
        let title = tr!(lang, "job-saving-view");
        let started = runner.start(Task::SavedViews, title, move |_, _| {
            let mut c = Case::open(&p)?;
            let note = match (save, delete) {
                (Some(v), _) => {
                    if c.writes().save_view(&v, &author)? {
                        tr!(lang, "msg-view-replaced", name = &v.name)
                    } else {
                        tr!(lang, "msg-view-saved", name = &v.name)
                    }
                }
                (None, Some(name)) => {
                    c.writes().delete_view(&name, &author)?;
                    tr!(lang, "msg-view-deleted", name = &name)
                }
                (None, None) => String::new(),
            };
            Ok(Output::SavedViews(
                c.annotations().saved_views()?,
                Some(note),
            ))
        });
        if let Err(e) = started {
            self.message = Some((true, e));
        }
    }

    /// Takes the job's answer.
    pub fn finished(&mut self, result: anyhow::Result<Output>) {
        match result {
            Ok(Output::SavedViews(list, note)) => {
                self.list = list;
                if let Some(n) = note {
                    self.message = Some((false, n));
                    self.written += 1;
                }
            }
            Ok(_) => {}
            Err(e) => self.message = Some((true, format!("{e:#}"))),
        }
    }
}
