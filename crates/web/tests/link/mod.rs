//! A TCP relay in front of a server, standing for the network path to a receiving access
//! point, that can fail the way that path fails: the receiver is down (a connection is cut
//! before any answer), or an answer is lost (the request arrives, the answer never reaches
//! the sender). Each failure is armed for a number of connections, so a test decides exactly
//! which attempts fail instead of racing a timer.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A relay listening on a loopback port.
pub struct Link {
    listener: Option<TcpListener>,
    /// `http://127.0.0.1:PORT` of the relay.
    pub base: String,
    state: Arc<Failures>,
    task: Option<tokio::task::JoinHandle<()>>,
}

#[derive(Default)]
struct Failures {
    /// Connections still to cut at once, as a receiver that is down.
    down: AtomicUsize,
    /// Connections whose answer is still to drop after the request went through.
    lose_answer: AtomicUsize,
    /// Connections cut so far, either way.
    cut: AtomicUsize,
}

impl Link {
    /// Binds the relay; it relays once [`Link::relay_to`] says where.
    pub async fn bind() -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        Link {
            listener: Some(listener),
            base,
            state: Arc::default(),
            task: None,
        }
    }

    /// Starts relaying every connection to `target` (`http://HOST:PORT`).
    pub fn relay_to(&mut self, target: &str) {
        let target: SocketAddr = target
            .trim_start_matches("http://")
            .parse()
            .expect("a socket address");
        let listener = self.listener.take().expect("relaying already");
        let state = self.state.clone();
        self.task = Some(tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, target, state.clone()));
            }
        }));
    }

    /// The next `n` connections are cut before any answer, as when the receiver is down.
    pub fn down_for(&self, n: usize) {
        self.state.down.store(n, Ordering::SeqCst);
    }

    /// The next `n` connections carry the request to the receiver, but its answer is lost.
    pub fn lose_answers(&self, n: usize) {
        self.state.lose_answer.store(n, Ordering::SeqCst);
    }

    /// How many connections were cut so far.
    pub fn cut(&self) -> usize {
        self.state.cut.load(Ordering::SeqCst)
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// Takes one from `counter` if it is above zero.
fn take(counter: &AtomicUsize) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

async fn relay(mut client: TcpStream, target: SocketAddr, state: Arc<Failures>) {
    if take(&state.down) {
        state.cut.fetch_add(1, Ordering::SeqCst);
        return;
    }
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    if !take(&state.lose_answer) {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        return;
    }
    // The request goes through; the first byte of the answer ends the connection for both.
    let (mut server_read, mut server_write) = server.split();
    let (mut client_read, _client_write) = client.split();
    let forward = tokio::io::copy(&mut client_read, &mut server_write);
    let mut first = [0u8; 1];
    tokio::select! {
        _ = forward => {}
        _ = server_read.read(&mut first) => {}
    }
    let _ = server_write.shutdown().await;
    state.cut.fetch_add(1, Ordering::SeqCst);
}
