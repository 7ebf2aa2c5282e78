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
