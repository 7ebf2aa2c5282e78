//! `import_file`: one file into one case, as one transaction. The original bytes are hashed and
//! chunked on one thread while rows are parsed on another; this thread writes both.
//! `import_files`: several files, each with `import_file`, for the command line and the app.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use crate::case::{
    Case, ChunkRecord, FinishedImport, ImportMeta, RejectRow, Resolved, SourceImport,
};
use crate::ingest::chunk::{FileDigest, chunk_file_tee, hash_file};
use crate::ingest::roster::RosterRow;
use crate::ingest::{self, Plan, SourceOptions};
use crate::jobs::{CancelToken, ProgressSink};
use crate::model::roster::SourceKind;

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub options: SourceOptions,
    /// Import even if a file with the same SHA-256 is already in the case.
    pub force: bool,
    /// Who imports (recorded on the source and in the custody log).
    pub imported_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub plan: Plan,
    pub time_rule: String,
    pub sha256: String,
    #[serde(flatten)]
    pub result: FinishedImport,
    /// The first rejects, with line and reason.
    pub rejects: Vec<RejectRow>,
    /// The file's columns that no field read (as recorded on the source).
    pub unread_columns: Vec<String>,
    /// How rows were read where the file left it open (e.g. a milestone scope given by name).
    pub notes: Vec<String>,
    pub elapsed_secs: f64,
}

/// What the caller of [`import_files`] sees of each file: where its progress goes, and its
/// outcome as soon as it is known (the command line prints it then).
pub trait ImportWatch {
    /// Called before the file is read; its progress goes to the sink returned.
    fn start(&mut self, req: &ImportRequest) -> &dyn ProgressSink;
    /// Called when the file is imported, or failed.
    fn finish(&mut self, _req: &ImportRequest, _result: &Result<ImportReport>) {}
}

/// One file of [`import_files`] and what came of it.
#[derive(Debug)]
pub struct FileImport {
    pub path: PathBuf,
    pub result: Result<ImportReport>,
}

/// Imports each file into the case, one transaction each: a failed file does not stop the
/// others; a cancel stops before the next file. The one loop both front ends use.
pub fn import_files(
    case: &mut Case,
    requests: impl IntoIterator<Item = ImportRequest>,
    watch: &mut dyn ImportWatch,
    cancel: &CancelToken,
) -> Vec<FileImport> {
    let mut out = Vec::new();
    for req in requests.into_iter().flat_map(dataset_files) {
        if cancel.is_cancelled() {
            break;
        }
        let result = import_file(case, &req, watch.start(&req), cancel);
        watch.finish(&req, &result);
        out.push(FileImport {
            path: req.path,
            result,
        });
    }
    out
}

/// A directory is a Parquet dataset (Hive-partitioned or not): one request for each of its
/// `.parquet` files, in path order. Anything else, and a directory without one, is kept as it
/// is (and refused by the import with its reason).
fn dataset_files(req: ImportRequest) -> Vec<ImportRequest> {
    if !req.path.is_dir() {
        return vec![req];
    }
    match ingest::formats::parquet::files_in(&req.path) {
        Ok(files) if !files.is_empty() => files
            .into_iter()
            .map(|path| ImportRequest {
                path,
                ..req.clone()
            })
            .collect(),
        _ => vec![req],
    }
}

enum Msg {
    Chunk(ChunkRecord),
    Batch(Resolved, Vec<ingest::Reject>),
}

/// Files up to this size are hashed before the import so a duplicate is refused at once.
const PRECHECK_MAX_BYTES: u64 = 64 << 20;

/// Whether an import failed because the file was imported before (same SHA-256): the
/// front ends offer to force it (`--force`, the import window's button).
pub fn is_already_imported(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        matches!(
            c.downcast_ref::<crate::case::CaseError>(),
            Some(crate::case::CaseError::AlreadyImported { .. })
        )
    })
}

pub fn import_file(
    case: &mut Case,
    req: &ImportRequest,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<ImportReport> {
    let started = Instant::now();
    // A pipe can be read once: it is copied to a temporary file, which is then imported as
    // any file is (under the pipe's name).
    let spool = super::pipe::Spool::if_needed(&req.path)?;
    let path = spool.as_ref().map_or(req.path.as_path(), |s| s.path());
    let mut plan = ingest::plan(path, &req.options)?;
    if spool.is_some() {
        plan.file_name = req
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    if !req.force && plan.size_bytes <= PRECHECK_MAX_BYTES {
        let sha256 = hash_file(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if let Some(prev) = case.sources().source_by_sha(&sha256)? {
            let err = crate::case::CaseError::AlreadyImported {
                sha256,
                file_name: prev.file_name,
                source_id: prev.id,
                imported_at: crate::model::time::format_utc(prev.imported_at_us),
            };
            return Err(anyhow::Error::new(err).context(path.display().to_string()));
        }
    }
    let meta = import_meta(&plan, req);
    let vocab = case.vocabulary()?;
    let mut imp = SourceImport::begin(case, &meta)?;
    let (digest, rows_read, vocab) = if plan.kind == SourceKind::Access {
        load_access(&mut imp, path, &plan, vocab, progress, cancel)?
    } else {
        load_roster(&mut imp, path, &plan, vocab, cancel)?
    };
    let result = imp.finish(&digest.sha256, digest.lines, rows_read, &vocab, req.force)?;
    let sha256 = digest.sha256;
    let rejects = case.sources().rejects(Some(result.source_id), 20)?;
    let (unread_columns, notes) = case
        .sources()
        .source(result.source_id)?
        .map(|s| (s.unread_columns, s.notes))
        .unwrap_or_default();
    Ok(ImportReport {
        unread_columns,
        notes,
        file: req.path.display().to_string(),
        time_rule: plan.time_rule(),
        plan,
        sha256,
        result,
        rejects,
        elapsed_secs: started.elapsed().as_secs_f64(),
    })
}

/// Stores a roster file's bytes and writes its rows; returns its digest, rows read and the
/// vocabulary. One read: the bytes stored and hashed are the bytes parsed (rosters are small).
fn load_roster(
    imp: &mut SourceImport,
    path: &Path,
    plan: &Plan,
    mut vocab: crate::model::Vocabulary,
    cancel: &CancelToken,
) -> Result<(FileDigest, u64, crate::model::Vocabulary)> {
    let mut bytes = Vec::new();
    let digest = store_chunks(imp, path, plan, &mut |b| {
        bytes.extend_from_slice(b);
        true
    })?;
    check_size(path, plan, &digest)?;
    let parsed = ingest::roster::parse_from(Box::new(&bytes[..]), path, plan, &mut vocab)?;
    for r in &parsed.rejects {
        imp.add_reject(r.line, &r.reason, &r.raw)?;
    }
    let mut notes = Vec::new();
    for (line, row) in &parsed.rows {
        let refused = match row {
            RosterRow::Person(p) => imp.add_person(p, *line).map(|()| Ok(()))?,
            RosterRow::Account(a) => imp.add_account(a, *line)?,
            RosterRow::System(s) => imp.add_system(s, *line).map(|()| Ok(()))?,
            RosterRow::Approval(a) => imp.add_approval(a, *line)?,
            RosterRow::Milestone(m) => imp.add_milestone(m, *line)?.map(|n| notes.extend(n)),
            RosterRow::Subject(s) => imp.add_subject(s).map(|()| Ok(()))?,
        };
        if let Err(why) = refused {
            imp.add_reject(*line, &why, "")?;
        }
    }
    imp.record_notes(&notes)?;
    if cancel.is_cancelled() {
        return Err(crate::case::CaseError::Cancelled.into());
    }
    Ok((digest, parsed.rows_read, vocab))
}

/// What the source row records of the file and how it was read.
fn import_meta(plan: &Plan, req: &ImportRequest) -> ImportMeta {
    ImportMeta {
        kind: plan.kind,
        file_name: plan.file_name.clone(),
        format: plan.format.as_str().into(),
        encoding: plan.encoding.as_str().into(),
        encoding_how: plan.encoding_how.as_str().into(),
        zone: plan.zone.clone(),
        time_rule: plan.time_rule(),
        mapping_json: plan.mapping_json(),
        imported_by: req.imported_by.clone(),
        size_bytes: plan.size_bytes,
    }
}

fn store_chunks(
    imp: &mut SourceImport,
    path: &Path,
    plan: &Plan,
    tee: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<FileDigest> {
    let mut failure = None;
    let digest = chunk_file_tee(
        path,
        plan.encoding,
        &mut |c| match imp.add_chunk(&c) {
            Ok(()) => true,
            Err(e) => {
                failure = Some(e);
                false
            }
        },
        tee,
    )
    .with_context(|| format!("{}: cannot read", path.display()))?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    digest.ok_or_else(|| anyhow!("{}: reading stopped early", path.display()))
}

/// Runs the chunker and the parser on their own threads and writes what they produce.
fn load_access(
    imp: &mut SourceImport,
    path: &Path,
    plan: &Plan,
    mut vocab: crate::model::Vocabulary,
    progress: &dyn ProgressSink,
    cancel: &CancelToken,
) -> Result<(FileDigest, u64, crate::model::Vocabulary)> {
    let stop = AtomicBool::new(false);
    let keep_going = || !stop.load(Ordering::Relaxed) && !cancel.is_cancelled();
    let (tx, rx) = sync_channel::<Msg>(8);
    // Written batches go back to the parsing thread to be freed there: memory freed on the
    // thread that did not allocate it is costly (mimalloc), and the writer is the busier one.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Resolved>();
    let total = plan.size_bytes.max(1);
    // Parquet is parsed from the file itself (its footer comes first), not from the blocks.
    let tee_blocks = plan.format != ingest::Format::Parquet;
    std::thread::scope(|s| -> Result<_> {
        let chunk_tx = tx.clone();
        // The chunking thread does the one read of the file: each block it reads is hashed,
        // cut into the stored chunks and handed to the parser.
        let (block_tx, block_rx) = sync_channel::<Vec<u8>>(16);
        let chunker = std::thread::Builder::new()
            .name("retrace-chunk".into())
            .spawn_scoped(s, || {
                let chunk_tx = chunk_tx;
                let block_tx = block_tx;
                chunk_file_tee(
                    path,
                    plan.encoding,
                    &mut |c| keep_going() && chunk_tx.send(Msg::Chunk(c)).is_ok(),
                    &mut |b| !tee_blocks || block_tx.send(b.to_vec()).is_ok(),
                )
            })?;
        let parse_tx = tx;
        // Interning (names -> ids) happens on the parsing thread too, so the writer only writes.
        let mut resolver = imp
            .take_resolver()
            .ok_or_else(|| anyhow!("internal: access import without a resolver"))?;
        let parser = std::thread::Builder::new()
            .name("retrace-parse".into())
            .spawn_scoped(s, move || {
                let parse_tx = parse_tx;
                let mut resolve_err = None;
                let r = ingest::parse_access_from(
                    Box::new(Blocks {
                        rx: block_rx,
                        cur: Vec::new(),
                        pos: 0,
                    }),
                    path,
                    plan,
                    &mut vocab,
                    &mut |b| match resolver.resolve(b.events) {
                        Ok(resolved) => {
                            for written in done_rx.try_iter() {
                                drop(written);
                            }
                            keep_going() && parse_tx.send(Msg::Batch(resolved, b.rejects)).is_ok()
                        }
                        Err(e) => {
                            resolve_err = Some(e);
                            false
                        }
                    },
                    &mut |bytes| progress.report("import", bytes.min(total), total),
                );
                match resolve_err {
                    Some(e) => Err(anyhow::Error::from(e)),
                    None => r.map(|stats| (stats, vocab)).map_err(anyhow::Error::from),
                }
                .map(|ok| (ok, resolver))
            })?;
        let write_err = write_messages(imp, &rx, &done_tx, &stop, cancel);
        // Unblock senders before joining them.
        drop(rx);
        let digest = chunker
            .join()
            .map_err(|_| anyhow!("the chunking thread panicked"))?;
        let parsed = parser
            .join()
            .map_err(|_| anyhow!("the parsing thread panicked"))?;
        if let Some(e) = write_err {
            return Err(e);
        }
        if cancel.is_cancelled() {
            return Err(crate::case::CaseError::Cancelled.into());
        }
        let ((stats, vocab), resolver) = parsed?;
        imp.return_resolver(resolver);
        let digest = digest
            .with_context(|| format!("{}: cannot read", path.display()))?
            .ok_or_else(|| anyhow!("{}: reading stopped early", path.display()))?;
        check_size(path, plan, &digest)?;
        Ok((digest, stats.rows_read, vocab))
    })
}

/// The writer's side of an access import: writes the chunks and batches as they come; on a
/// write error or a cancel, tells the other threads to stop and returns the error.
fn write_messages(
    imp: &mut SourceImport,
    rx: &std::sync::mpsc::Receiver<Msg>,
    done_tx: &std::sync::mpsc::Sender<Resolved>,
    stop: &AtomicBool,
    cancel: &CancelToken,
) -> Option<anyhow::Error> {
    let mut write_err: Option<anyhow::Error> = None;
    for msg in rx.iter() {
        let r = match msg {
            Msg::Chunk(c) => imp.add_chunk(&c),
            Msg::Batch(resolved, rejects) => {
                let r = imp.add_resolved(&resolved).and_then(|()| {
                    rejects
                        .iter()
                        .try_for_each(|r| imp.add_reject(r.line, &r.reason, &r.raw))
                });
                // A parser that has finished no longer receives: drop it here then.
                let _ = done_tx.send(resolved);
                r
            }
        };
        if let Err(e) = r {
            write_err = Some(e.into());
        }
        if write_err.is_some() || cancel.is_cancelled() {
            stop.store(true, Ordering::Relaxed);
            break;
        }
    }
    write_err
}

/// The file read must be the file planned: a file that grew or shrank between the plan (which
/// read its head to choose the format, encoding and columns) and the read is refused.
fn check_size(path: &Path, plan: &Plan, digest: &FileDigest) -> Result<()> {
    if digest.size != plan.size_bytes {
        bail!(
            "{}: the file changed while it was read ({} bytes when its head was read, {} bytes read): nothing was imported; import a copy that nothing writes to",
            path.display(),
            plan.size_bytes,
            digest.size
        );
    }
    Ok(())
}

/// The parser's side of the one read: the blocks of the file, in the order the chunking thread
/// read them; the end of the blocks is the end of the file.
struct Blocks {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl std::io::Read for Blocks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(b) => {
                    self.cur = b;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
