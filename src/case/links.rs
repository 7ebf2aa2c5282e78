//! An access import's (subject, event) links, from which `finish` writes one `subject_event`
//! row per subject. They are gathered in runs of at most [`RUN_LINKS`]: a full run is sorted
//! by (subject, event) and written to a temporary file beside the case, and `finish` merges
//! the runs, so the import holds one run and a small buffer per spilled run, not every link of
//! the file (113 M links, 900 MB, for a 75 M-row file). The rows written are the same either
//! way. The temporary file is removed as soon as it is created where the system allows it
//! (Unix: it lives on only as the open descriptor, so a killed import leaves nothing), else
//! when the import ends.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Links a run holds before it is spilled (8 bytes each: 32 MiB).
pub(super) const RUN_LINKS: usize = 4 << 20;

/// Bytes read back at a time from each spilled run during the merge.
const READ_BYTES: usize = 256 << 10;

/// A (subject, event) link in 8 bytes. Row ids beyond 2^32 are refused with a clear error
/// rather than truncated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct LinkPair {
    pub(super) subject_id: u32,
    pub(super) event_id: u32,
}

impl LinkPair {
    pub(super) fn new(subject_id: i64, event_id: i64) -> rusqlite::Result<LinkPair> {
        let narrow = |v: i64| {
            u32::try_from(v).map_err(|_| {
                rusqlite::Error::ToSqlConversionFailure(
                    format!("row id {v} is beyond the 2^32 this case format supports").into(),
                )
            })
        };
        Ok(LinkPair {
            subject_id: narrow(subject_id)?,
            event_id: narrow(event_id)?,
        })
    }

    fn to_bytes(self) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&self.subject_id.to_le_bytes());
        b[4..].copy_from_slice(&self.event_id.to_le_bytes());
        b
    }

    fn from_bytes(b: &[u8]) -> LinkPair {
        let word = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        LinkPair {
            subject_id: word(&b[..4]),
            event_id: word(&b[4..8]),
        }
    }
}

/// The links of one import, in runs (see the module docs).
pub(super) struct Links {
    run: Vec<LinkPair>,
    run_max: usize,
    /// Where the spill file goes, created at the first spill.
    spill_path: PathBuf,
    spill: Option<Spill<LinkPair>>,
}

/// A record of fixed size that runs of are spilled and merged.
pub(super) trait Record: Copy + Ord {
    const BYTES: usize;
    fn put(&self, out: &mut impl Write) -> std::io::Result<()>;
    fn get(b: &[u8]) -> Self;
}

impl Record for LinkPair {
    const BYTES: usize = 8;
    fn put(&self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(&self.to_bytes())
    }
    fn get(b: &[u8]) -> Self {
        LinkPair::from_bytes(b)
    }
}

/// Sorted runs of records in a temporary file: each a range of the file.
pub(super) struct Spill<T> {
    file: File,
    path: PathBuf,
    /// Still to remove when the import ends (systems that cannot remove an open file).
    remove_on_drop: bool,
    /// (first record, records) of each run, in the order written.
    runs: Vec<(u64, u64)>,
    written: u64,
    _records: std::marker::PhantomData<T>,
}

impl<T> Drop for Spill<T> {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl<T: Record> Spill<T> {
    /// Creates (or empties) the file at `path`; Unix removes its name at once and keeps the
    /// open file, elsewhere it is removed on drop.
    pub(super) fn create(path: &Path) -> std::io::Result<Spill<T>> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        let remove_on_drop = std::fs::remove_file(path).is_err();
        Ok(Spill {
            file,
            path: path.to_path_buf(),
            remove_on_drop,
            runs: Vec::new(),
            written: 0,
            _records: std::marker::PhantomData,
        })
    }

    /// Appends one run; `sorted` must come in ascending order.
    pub(super) fn write_run(&mut self, sorted: impl IntoIterator<Item = T>) -> std::io::Result<()> {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, &self.file);
        w.seek(SeekFrom::Start(self.written * T::BYTES as u64))?;
        let mut n = 0u64;
        for r in sorted {
            r.put(&mut w)?;
            n += 1;
        }
        w.flush()?;
        drop(w);
        self.runs.push((self.written, n));
        self.written += n;
        Ok(())
    }

    /// How many runs went to the file.
    #[cfg(test)]
    pub(super) fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Hands `f` every record of the runs and of `last` (sorted), in ascending order; equal
    /// records of different runs all come out, the earlier run's first. `Err(Ok(io))` is a
    /// failure to read the file back, `Err(Err(e))` one of `f`.
    pub(super) fn merge<E>(
        &self,
        last: Vec<T>,
        mut f: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), std::result::Result<std::io::Error, E>> {
        let mut sources: Vec<Source<T>> = self
            .runs
            .iter()
            .map(|&(start, len)| Source {
                buf: Vec::new(),
                pos: 0,
                next: start,
                left: len,
            })
            .collect();
        sources.push(Source {
            buf: last,
            pos: 0,
            next: 0,
            left: 0,
        });
        let mut bytes = Vec::new();
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, s) in sources.iter_mut().enumerate() {
            if let Some(r) = s.next(&self.file, &mut bytes).map_err(Ok)? {
                heap.push(Reverse((r, i)));
            }
        }
        while let Some(mut top) = heap.peek_mut() {
            let Reverse((r, i)) = *top;
            f(r).map_err(Err)?;
            match sources[i].next(&self.file, &mut bytes).map_err(Ok)? {
                Some(n) => *top = Reverse((n, i)),
                None => {
                    std::collections::binary_heap::PeekMut::pop(top);
                }
            }
        }
        Ok(())
    }
}

/// The file the runs of `what` (`links`, `pairs`) of an import into `case` spill to.
pub(super) fn spill_path(case: &Path, what: &str) -> PathBuf {
    if case.as_os_str() == ":memory:" {
        return std::env::temp_dir()
            .join(format!("retrace-{}.import-{what}.tmp", std::process::id()));
    }
    let mut p = case.as_os_str().to_owned();
    p.push(format!(".import-{what}.tmp"));
    PathBuf::from(p)
}

/// What a failure to write or read back the spill file at `path` says.
pub(super) fn describe(path: &Path, e: &std::io::Error) -> String {
    format!(
        "{}: cannot write or read back the import's temporary file ({e}); nothing was imported",
        path.display()
    )
}

impl Links {
    /// What a failure of the spill file says.
    pub(super) fn describe(&self, e: &std::io::Error) -> String {
        describe(&self.spill_path, e)
    }

    /// `run_max` links per run (at least 1); the spill file is `spill_path`.
    pub(super) fn new(spill_path: PathBuf, run_max: usize) -> Links {
        Links {
            run: Vec::new(),
            run_max: run_max.max(1),
            spill_path,
            spill: None,
        }
    }

    /// Called before an event's `n` links are pushed: spills the run if they would not fit,
    /// so an event's links stay in one run.
    pub(super) fn make_room(&mut self, n: usize) -> std::io::Result<()> {
        if !self.run.is_empty() && self.run.len() + n > self.run_max {
            self.spill_run()?;
        }
        Ok(())
    }

    pub(super) fn push(&mut self, l: LinkPair) {
        self.run.push(l);
    }

    /// How many runs went to the file.
    #[cfg(test)]
    pub(super) fn spilled_runs(&self) -> usize {
        self.spill.as_ref().map_or(0, Spill::runs)
    }

    fn spill_run(&mut self) -> std::io::Result<()> {
        if self.spill.is_none() {
            self.spill = Some(Spill::create(&self.spill_path)?);
        }
        let Some(spill) = self.spill.as_mut() else {
            return Ok(());
        };
        let run = sort_links(std::mem::take(&mut self.run));
        spill.write_run(run.iter().copied())?;
        // Reuse the run's buffer.
        self.run = run;
        self.run.clear();
        Ok(())
    }

    /// Calls `f` once per subject, in ascending subject order, with the subject's event ids
    /// (ascending, without repeats). `Err(Ok(io))` is a failure to read the spill file back,
    /// `Err(Err(e))` one of `f`.
    pub(super) fn for_each_subject<E>(
        self,
        mut f: impl FnMut(u32, &[u32]) -> Result<(), E>,
    ) -> Result<(), std::result::Result<std::io::Error, E>> {
        let Links { run, spill, .. } = self;
        let last = sort_links(run);
        let mut group: Vec<u32> = Vec::new();
        let mut subject = None;
        let mut take = |l: LinkPair| -> Result<(), E> {
            if subject != Some(l.subject_id) {
                if let Some(s) = subject {
                    f(s, &group)?;
                }
                subject = Some(l.subject_id);
                group.clear();
            }
            if group.last() != Some(&l.event_id) {
                group.push(l.event_id);
            }
            Ok(())
        };
        match spill {
            None => {
                for l in last {
                    take(l).map_err(Err)?;
                }
            }
            Some(spill) => spill.merge(last, take)?,
        }
        if let Some(s) = subject {
            f(s, &group).map_err(Err)?;
        }
        Ok(())
    }
}

/// One sorted run during the merge: the links in `buf` from `pos`, then `left` more in the
/// file from link `next`.
struct Source<T> {
    buf: Vec<T>,
    pos: usize,
    next: u64,
    left: u64,
}

impl<T: Record> Source<T> {
    fn next(&mut self, file: &File, bytes: &mut Vec<u8>) -> std::io::Result<Option<T>> {
        if self.pos == self.buf.len() {
            if self.left == 0 {
                return Ok(None);
            }
            let n = self.left.min((READ_BYTES / T::BYTES) as u64);
            bytes.resize(n as usize * T::BYTES, 0);
            let mut f = file;
            f.seek(SeekFrom::Start(self.next * T::BYTES as u64))?;
            f.read_exact(bytes)?;
            self.buf.clear();
            self.buf.extend(bytes.chunks_exact(T::BYTES).map(T::get));
            self.pos = 0;
            self.next += n;
            self.left -= n;
        }
        let l = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(l))
    }
}

/// The links in (subject, event) order, without repeats. They are gathered in event order, so
/// a stable counting sort by subject (two passes) orders them fully; when subject ids are
/// sparse (far more ids than links) a comparison sort does.
pub(super) fn sort_links(mut links: Vec<LinkPair>) -> Vec<LinkPair> {
    let max = links.iter().map(|l| l.subject_id).max().unwrap_or(0) as usize;
    let in_event_order = links.windows(2).all(|w| w[0].event_id <= w[1].event_id);
    if !in_event_order || max > 4 * links.len() + 1024 {
        links.sort_unstable();
        links.dedup();
        return links;
    }
    // Counting sort in place (American flag): a second buffer for the links would double the
    // run's memory.
    let mut start = vec![0usize; max + 2];
    for l in &links {
        start[l.subject_id as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    for b in 0..=max {
        let end = start[b + 1];
        while next[b] < end {
            let i = next[b];
            let want = links[i].subject_id as usize;
            if want == b {
                next[b] += 1;
            } else {
                let j = next[want];
                links.swap(i, j);
                next[want] += 1;
            }
        }
    }
    drop(next);
    // The swaps lose the event order within a subject; each subject's run is small.
    for w in start.windows(2) {
        links[w[0]..w[1]].sort_unstable_by_key(|l| l.event_id);
    }
    links.dedup();
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(u32, u32)]) -> Vec<LinkPair> {
        v.iter()
            .map(|&(subject_id, event_id)| LinkPair {
                subject_id,
                event_id,
            })
            .collect()
    }

    #[test]
    fn links_come_out_in_subject_then_event_order_either_way() {
        // In event order (the counting sort), with a repeat.
        let got = sort_links(pairs(&[
            (5, 1),
            (2, 1),
            (5, 2),
            (2, 3),
            (2, 3),
            (0, 4),
            (9, 4),
        ]));
        assert_eq!(
            got,
            pairs(&[(0, 4), (2, 1), (2, 3), (5, 1), (5, 2), (9, 4)])
        );
        // Sparse subject ids and events out of order (the comparison sort).
        let got = sort_links(pairs(&[(4_000_000, 2), (7, 9), (7, 1), (4_000_000, 2)]));
        assert_eq!(got, pairs(&[(7, 1), (7, 9), (4_000_000, 2)]));
        assert!(sort_links(Vec::new()).is_empty());
    }

    /// The links of `events` (each a list of subject ids, events numbered from 1), grouped as
    /// `for_each_subject` hands them out, with runs of `run_max` links.
    fn grouped(dir: &Path, events: &[Vec<u32>], run_max: usize) -> (Vec<(u32, Vec<u32>)>, usize) {
        let mut links = Links::new(dir.join(format!("case-{run_max}")), run_max);
        for (i, subjects) in events.iter().enumerate() {
            links.make_room(subjects.len()).unwrap();
            for &s in subjects {
                links.push(LinkPair::new(i64::from(s), i as i64 + 1).unwrap());
            }
        }
        let runs = links.spilled_runs();
        let mut out = Vec::new();
        links
            .for_each_subject(|s, ids| -> Result<(), ()> {
                out.push((s, ids.to_vec()));
                Ok(())
            })
            .unwrap();
        (out, runs)
    }

    #[test]
    fn spilled_runs_merge_into_the_groups_of_one_run() {
        let dir = std::env::temp_dir().join(format!("retrace-links-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A repeated subject within an event, subjects seen in many runs, an event without.
        let mut events: Vec<Vec<u32>> = Vec::new();
        for i in 0..500u32 {
            let mut s = vec![1 + i % 7, 1 + (i * 13) % 101];
            if i % 5 == 0 {
                s.push(1 + i % 7);
            }
            if i % 11 == 0 {
                s.clear();
            }
            events.push(s);
        }
        let (whole, runs) = grouped(&dir, &events, usize::MAX);
        assert_eq!(runs, 0);
        assert_eq!(whole.iter().map(|(s, _)| *s).collect::<Vec<_>>().len(), 101);
        assert!(whole.windows(2).all(|w| w[0].0 < w[1].0));
        for run_max in [1, 2, 3, 64] {
            let (got, runs) = grouped(&dir, &events, run_max);
            assert!(runs > 1, "{run_max}: {runs} runs");
            assert_eq!(got, whole, "runs of {run_max}");
        }
        // Nothing left beside the case.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir(&dir).unwrap();
    }
}
