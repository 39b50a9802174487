//! [`Tap`]: a TCP relay between the gateway and a mock upstream that notes which side closed each
//! connection first. A client disconnect must make the gateway close its upstream connection; the
//! tap sees that as `closed_by_gateway`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[derive(Debug, Default)]
struct Counts {
    opened: AtomicUsize,
    closed_by_gateway: AtomicUsize,
    closed_by_upstream: AtomicUsize,
    /// Bytes relayed from the upstream to the gateway.
    downstream_bytes: AtomicUsize,
    changed: Notify,
}

/// A running relay on `127.0.0.1:0` in front of `target`.
pub struct Tap {
    addr: SocketAddr,
    counts: Arc<Counts>,
    task: JoinHandle<()>,
}

impl Tap {
    pub async fn start(target: SocketAddr) -> Tap {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let counts = Arc::new(Counts::default());
        let shared = counts.clone();
        let task = tokio::spawn(async move {
            while let Ok((gateway_side, _)) = listener.accept().await {
                let counts = shared.clone();
                tokio::spawn(relay(gateway_side, target, counts));
            }
        });
        Tap { addr, counts, task }
    }

    /// `http://127.0.0.1:PORT` + `path`: the base URL to configure instead of the mock's.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn opened(&self) -> usize {
        self.counts.opened.load(Ordering::SeqCst)
    }

    pub fn closed_by_gateway(&self) -> usize {
        self.counts.closed_by_gateway.load(Ordering::SeqCst)
    }

    pub fn closed_by_upstream(&self) -> usize {
        self.counts.closed_by_upstream.load(Ordering::SeqCst)
    }

    pub fn downstream_bytes(&self) -> usize {
        self.counts.downstream_bytes.load(Ordering::SeqCst)
    }

    /// Waits until the gateway has closed `n` upstream connections (wrap it in a timeout).
    pub async fn wait_closed_by_gateway(&self, n: usize) {
        loop {
            let changed = self.counts.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.closed_by_gateway() >= n {
                return;
            }
            changed.await;
        }
    }
}

impl Drop for Tap {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Which end of a relayed connection went away first.
enum Side {
    Gateway,
    Upstream,
}

async fn relay(gateway_side: TcpStream, target: SocketAddr, counts: Arc<Counts>) {
    let Ok(upstream_side) = TcpStream::connect(target).await else { return };
    let _ = gateway_side.set_nodelay(true);
    let _ = upstream_side.set_nodelay(true);
    counts.opened.fetch_add(1, Ordering::SeqCst);
    counts.changed.notify_waiters();
    let (mut from_gateway, mut to_gateway) = gateway_side.into_split();
    let (mut from_upstream, mut to_upstream) = upstream_side.into_split();
    let down_counts = counts.clone();
    let down = async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from_upstream.read(&mut buf).await {
                Ok(0) | Err(_) => return Side::Upstream,
                Ok(n) => {
                    if to_gateway.write_all(&buf[..n]).await.is_err() {
                        return Side::Gateway;
                    }
                    down_counts.downstream_bytes.fetch_add(n, Ordering::SeqCst);
                }
            }
        }
    };
    let up = tokio::io::copy(&mut from_gateway, &mut to_upstream);
    // Whichever direction ends first tells who closed; both halves are then dropped, which closes
    // the other side too (the mock's next write fails).
    let closer = tokio::select! {
        _ = up => Side::Gateway,
        side = down => side,
    };
    match closer {
        Side::Gateway => counts.closed_by_gateway.fetch_add(1, Ordering::SeqCst),
        Side::Upstream => counts.closed_by_upstream.fetch_add(1, Ordering::SeqCst),
    };
    counts.changed.notify_waiters();
}
