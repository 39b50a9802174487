//! Running the real `clawgate gateway` binary in a test: a free loopback port, a state directory in
//! a tempdir, stderr collected as it arrives, `/healthz` waited for, and a minimal HTTP/1.1 client
//! (one request per connection) to talk to it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A port that was free a moment ago (bind `127.0.0.1:0`, read the port, release it).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A running `clawgate gateway`; killed when dropped.
pub struct GatewayProcess {
    child: Child,
    pub port: u16,
    stderr: Arc<Mutex<String>>,
}

impl GatewayProcess {
    /// Starts `clawgate --config <config> gateway --port <free port>` with a clean environment plus
    /// `env`, and waits until `/healthz` answers.
    pub async fn start(config: &Path, state_dir: &Path, env: &[(&str, &str)]) -> GatewayProcess {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_clawgate"))
            .arg("--config")
            .arg(config)
            .args(["gateway", "--port", &port.to_string()])
            .env_clear()
            .env("HOME", "/nonexistent")
            .env("CLAWGATE_STATE_DIR", state_dir)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start clawgate gateway");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let mut gateway = GatewayProcess { child, port, stderr };
        gateway.wait_healthy().await;
        gateway
    }

    async fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("clawgate gateway exited ({status}) before serving:\n{}", self.stderr());
            }
            if let Ok(r) = self.request("GET", "/healthz", &[], None).await {
                if r.status == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "no /healthz within 20 s:\n{}", self.stderr());
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Everything the process wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (real time, up to `limit`) until stderr contains `needle`.
    pub async fn wait_for_stderr(&self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let all = self.stderr();
            if all.contains(needle) {
                return all;
            }
            assert!(Instant::now() < deadline, "stderr never said {needle:?} within {limit:?}:\n{all}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// One request on a fresh connection.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> std::io::Result<Reply> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        Ok(Reply::parse(&raw))
    }

    pub async fn post(&self, path: &str, headers: &[(&str, &str)], body: &serde_json::Value) -> Reply {
        self.request("POST", path, headers, Some(body)).await.expect("the gateway answers")
    }
}

impl Drop for GatewayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status, headers (lower-cased names) and the body (de-chunked).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..split]);
        let body = raw.get(split + 4..).unwrap_or_default();
        let mut lines = head.split("\r\n");
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked { dechunk(body) } else { body.to_vec() };
        Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The payload of a chunked body.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..line_end]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        let rest = &body[line_end + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
