//! `localService` with a real child process: `python3 -m http.server` on a free loopback port plays
//! the model server (it serves `v1/models` from a temp directory). Real time, short timeouts.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use config::types::LocalService;
use providers::local_service::{LocalServiceError, LocalServiceManager, ServiceOrigin};

/// The real interpreter (not a version-manager shim), so the child is the server itself.
fn python() -> String {
    let out = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A directory whose `v1/models` is the health URL's answer; removed on drop.
struct Site(std::path::PathBuf);

impl Site {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn site() -> Site {
    let dir =
        std::env::temp_dir().join(format!("clawgate-localservice-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(dir.join("v1")).unwrap();
    std::fs::write(dir.join("v1/models"), r#"{"object":"list","data":[]}"#).unwrap();
    Site(dir)
}

/// A spec as it would be written in openclaw.json.
fn spec(value: serde_json::Value) -> LocalService {
    serde_json::from_value(value).unwrap()
}

fn server_spec(port: u16, dir: &Path) -> LocalService {
    spec(serde_json::json!({
        "command": python(),
        "args": ["-m", "http.server", port.to_string(), "--bind", "127.0.0.1"],
        "cwd": dir.display().to_string(),
        "env": {"PYTHONUNBUFFERED": "1"},
        "readyTimeoutMs": 15_000,
    }))
}

fn base_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/v1")
}

async fn answers(url: &str) -> bool {
    reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

fn alive(pid: u32) -> bool {
    // `kill -0` checks existence without signalling; a reaped child no longer exists.
    Command::new("kill").args(["-0", &pid.to_string()]).stderr(Stdio::null()).status().unwrap().success()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_the_server_once_and_shares_it() {
    let dir = site();
    let port = free_port();
    let spec = server_spec(port, dir.path());
    let manager = LocalServiceManager::new();
    assert!(!answers(&format!("{}/models", base_url(port))).await, "nothing should listen yet");

    let first = manager.acquire("llama-cpp", &base_url(port), &spec).await.unwrap();
    assert_eq!(first.origin(), ServiceOrigin::Started);
    assert_eq!(first.health_url(), format!("http://127.0.0.1:{port}/v1/models"));
    let pid = first.child_id().expect("clawgate runs the child");
    assert!(answers(first.health_url()).await);

    let second = manager.acquire("llama-cpp", &base_url(port), &spec).await.unwrap();
    assert_eq!(second.origin(), ServiceOrigin::Running);
    assert_eq!(second.child_id(), Some(pid), "no second server for the same service");

    drop((first, second));
    drop(manager);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!alive(pid), "the manager stops the children it started");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_server_started_elsewhere_is_reused_not_adopted() {
    let dir = site();
    let port = free_port();
    let spec = server_spec(port, dir.path());
    let mut external: Child = Command::new(&spec.command)
        .args(&spec.args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let health = format!("{}/models", base_url(port));
    for _ in 0..100 {
        if answers(&health).await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let manager = LocalServiceManager::new();
    let lease = manager.acquire("llama-cpp", &base_url(port), &spec).await.unwrap();
    assert_eq!(lease.origin(), ServiceOrigin::External);
    assert_eq!(lease.child_id(), None);
    drop(lease);
    drop(manager);
    assert!(answers(&health).await, "a server clawgate did not start is never stopped by it");
    external.kill().unwrap();
    external.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_child_is_stopped_after_idle_stop_ms() {
    let dir = site();
    let port = free_port();
    let spec = LocalService { idle_stop_ms: Some(300), ..server_spec(port, dir.path()) };
    let manager = LocalServiceManager::new();
    let lease = manager.acquire("vllm", &base_url(port), &spec).await.unwrap();
    let pid = lease.child_id().unwrap();
    // Held leases keep it running past the idle time.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(alive(pid), "a leased server must not be stopped");
    drop(lease);
    let mut stopped = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if !alive(pid) {
            stopped = true;
            break;
        }
    }
    assert!(stopped, "the child should stop about 300 ms after the last lease");
    // The next request starts it again.
    let again = manager.acquire("vllm", &base_url(port), &spec).await.unwrap();
    assert_eq!(again.origin(), ServiceOrigin::Started);
    assert_ne!(again.child_id(), Some(pid));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_becomes_ready_is_stopped_and_reported() {
    let port = free_port();
    let spec = spec(serde_json::json!({"command": "/bin/sleep", "args": ["30"], "readyTimeoutMs": 500}));
    let manager = LocalServiceManager::new();
    let started = std::time::Instant::now();
    let err = manager.acquire("box", &base_url(port), &spec).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "bounded by readyTimeoutMs");
    assert!(matches!(err, LocalServiceError::ReadyTimeout { ms: 500, .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("readyTimeoutMs") && text.contains(&format!("127.0.0.1:{port}/v1/models")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_exits_is_reported_with_its_status() {
    let port = free_port();
    let spec = spec(serde_json::json!({
        "command": "/bin/sh", "args": ["-c", "exit 3"],
        "healthUrl": format!("http://127.0.0.1:{port}/health"), "readyTimeoutMs": 10_000,
    }));
    let err = LocalServiceManager::new().acquire("box", &base_url(port), &spec).await.unwrap_err();
    match err {
        LocalServiceError::ExitedEarly { status, health_url, .. } => {
            assert!(status.contains('3'), "{status}");
            assert!(health_url.ends_with("/health"));
        }
        other => panic!("expected ExitedEarly, got {other:?}"),
    }
}

#[tokio::test]
async fn a_bare_command_name_is_refused_without_a_path_lookup() {
    let spec = spec(serde_json::json!({"command": "llama-server", "readyTimeoutMs": 100}));
    let err =
        LocalServiceManager::new().acquire("llama-cpp", "http://127.0.0.1:9/v1", &spec).await.unwrap_err();
    assert!(matches!(err, LocalServiceError::CommandNotAPath { .. }), "{err:?}");
    assert!(err.to_string().contains("models.providers.llama-cpp.localService.command"));
}
