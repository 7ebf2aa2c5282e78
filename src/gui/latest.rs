//! The app's one worker loop: a named thread with state of its own (its own connection to the
//! case) that answers the UI thread's requests in turn. Requests wait in a queue that each
//! request type shapes ([`Queued::queue`]): a newer request replaces an older one of its kind
//! that has not run yet, so the last request wins. Each answer wakes the UI with
//! `ctx.request_repaint()`; the app drains answers in `App::logic`.

use std::sync::mpsc::{Receiver, Sender, TryRecvError};

/// A request to a [`LatestWorker`]: how it joins the requests still waiting.
pub trait Queued: Sized + Send + 'static {
    /// Adds `self` to the waiting requests, dropping those it supersedes.
    fn queue(self, waiting: &mut Vec<Self>);

    /// Which waiting request runs next (`waiting` is never empty); the oldest by default.
    fn next(waiting: &[Self]) -> usize {
        let _ = waiting;
        0
    }
}

/// The sending end of a worker thread.
pub struct LatestWorker<R> {
    tx: Sender<R>,
}

impl<R: Queued> LatestWorker<R> {
    /// Starts a thread named `name`. `open` makes the thread's state (an error answer ends the
    /// thread after sending it); `handle` answers one request, or nothing.
    pub fn start<S, A, O, H>(
        name: &str,
        ctx: egui::Context,
        answers: Sender<A>,
        open: O,
        mut handle: H,
    ) -> std::io::Result<LatestWorker<R>>
    where
        A: Send + 'static,
        O: FnOnce() -> Result<S, A> + Send + 'static,
        H: FnMut(&mut S, R) -> Option<A> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let mut state = match open() {
                    Ok(s) => s,
                    Err(a) => {
                        let _ = answers.send(a);
                        ctx.request_repaint();
                        return;
                    }
                };
                serve(&rx, |r| match handle(&mut state, r) {
                    None => true,
                    Some(a) => {
                        let sent = answers.send(a).is_ok();
                        ctx.request_repaint();
                        sent
                    }
                });
            })?;
        Ok(LatestWorker { tx })
    }

    /// Queues a request; false when the worker has ended (after reporting its error).
    pub fn send(&self, request: R) -> bool {
        self.tx.send(request).is_ok()
    }
}

/// Runs requests until the app hangs up or `run` says the answers are no longer read.
fn serve<R: Queued>(rx: &Receiver<R>, mut run: impl FnMut(R) -> bool) {
    let mut waiting: Vec<R> = Vec::new();
    loop {
        // Take everything queued first, so that newer requests replace older ones.
        loop {
            match rx.try_recv() {
                Ok(r) => r.queue(&mut waiting),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        if waiting.is_empty() {
            match rx.recv() {
                Ok(r) => r.queue(&mut waiting),
                Err(_) => return,
            }
            continue;
        }
        let next = R::next(&waiting).min(waiting.len() - 1);
        let request = waiting.remove(next);
        if !run(request) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request of a kind (`.0`) with a number; a newer one of a kind replaces the waiting one.
    struct Kinded(u8, u32);

    impl Queued for Kinded {
        fn queue(self, waiting: &mut Vec<Kinded>) {
            waiting.retain(|w| w.0 != self.0);
            waiting.push(self);
        }
        fn next(waiting: &[Kinded]) -> usize {
            waiting
                .iter()
                .enumerate()
                .min_by_key(|(_, w)| w.0)
                .map_or(0, |(i, _)| i)
        }
    }

    #[test]
    fn the_last_request_of_a_kind_wins_and_the_first_kind_runs_first() {
        let (tx, rx) = std::sync::mpsc::channel();
        for r in [Kinded(2, 1), Kinded(1, 2), Kinded(2, 3), Kinded(1, 4)] {
            tx.send(r).unwrap();
        }
        drop(tx);
        let mut ran = Vec::new();
        // Everything queued is taken before the first request runs; the hang-up ends it.
        serve(&rx, |r| {
            ran.push((r.0, r.1));
            true
        });
        assert!(ran.is_empty(), "a hang-up drops what waits: {ran:?}");

        let (tx, rx) = std::sync::mpsc::channel();
        for r in [Kinded(2, 1), Kinded(1, 2), Kinded(2, 3), Kinded(1, 4)] {
            tx.send(r).unwrap();
        }
        let mut ran = Vec::new();
        // Stop after two answers (as when the app no longer reads them).
        serve(&rx, |r| {
            ran.push((r.0, r.1));
            ran.len() < 2
        });
        assert_eq!(ran, vec![(1, 4), (2, 3)]);
        drop(tx);
    }

    #[test]
    fn a_worker_whose_state_does_not_open_answers_its_error_and_ends() {
        let (answers, rx) = std::sync::mpsc::channel();
        let worker: LatestWorker<Kinded> = LatestWorker::start(
            "retrace-test-worker",
            egui::Context::default(),
            answers,
            || Err::<(), _>("no case".to_string()),
            |_, _| None,
        )
        .unwrap();
        assert_eq!(rx.recv().unwrap(), "no case");
        // The thread has ended: its end of the channel is gone.
        while worker.send(Kinded(1, 1)) {
            std::thread::yield_now();
        }
    }
}
