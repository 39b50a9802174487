//! The test harness: a scripted fake backend (which records what it was asked and notices when its
//! stream is dropped) and a gateway on `127.0.0.1:0` with deterministic ids.

#![allow(dead_code)]

pub mod e2e;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use gateway::{
    AttemptSummary, AuthSettings, Backend, BackendError, BackendRequest, BackendStream, GatewayServer,
    GatewaySettings, ModelInfo, SequentialIds,
};
use llm::{FailoverReason, StopReason, StreamEvent, Usage};
use tokio::sync::Notify;

/// One step of a scripted answer.
#[derive(Debug, Clone)]
pub enum Step {
    Event(StreamEvent),
    Fail(BackendError),
    Wait(Duration),
    /// Never sends anything again (until dropped).
    Hang,
}

/// What the backend does with one request.
#[derive(Debug, Clone)]
pub enum Script {
    Answer { answered_by: String, attempts: Vec<AttemptSummary>, steps: Vec<Step> },
    Refuse(BackendError),
}

/// Counts dropped streams and wakes waiters.
#[derive(Debug, Default)]
pub struct DropProbe {
    pub dropped: AtomicUsize,
    pub notify: Notify,
}

struct DropGuard(Arc<DropProbe>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }
}

/// A backend that plays scripts in order and records the requests.
#[derive(Default)]
pub struct FakeBackend {
    scripts: Mutex<VecDeque<Script>>,
    pub seen: Mutex<Vec<BackendRequest>>,
    pub probe: Arc<DropProbe>,
}

impl FakeBackend {
    pub fn new(scripts: impl IntoIterator<Item = Script>) -> Arc<Self> {
        Arc::new(Self { scripts: Mutex::new(scripts.into_iter().collect()), ..Default::default() })
    }

    pub fn requests(&self) -> Vec<BackendRequest> {
        self.seen.lock().unwrap().clone()
    }

    pub fn dropped(&self) -> usize {
        self.probe.dropped.load(Ordering::SeqCst)
    }
}

impl Backend for FakeBackend {
    fn stream(&self, request: BackendRequest) -> BoxFuture<'static, Result<BackendStream, BackendError>> {
        self.seen.lock().unwrap().push(request);
        let script =
            self.scripts.lock().unwrap().pop_front().expect("the test scripted fewer answers than requests");
        let probe = self.probe.clone();
        Box::pin(async move {
            match script {
                Script::Refuse(error) => Err(error),
                Script::Answer { answered_by, attempts, steps } => {
                    let guard = DropGuard(probe);
                    let events =
                        stream::unfold((VecDeque::from(steps), guard), |(mut steps, guard)| async move {
                            loop {
                                match steps.pop_front()? {
                                    Step::Event(event) => return Some((Ok(event), (steps, guard))),
                                    Step::Fail(error) => return Some((Err(error), (VecDeque::new(), guard))),
                                    Step::Wait(d) => tokio::time::sleep(d).await,
                                    Step::Hang => futures::future::pending::<()>().await,
                                }
                            }
                        })
                        .boxed();
                    Ok(BackendStream { answered_by, attempts, price: None, events })
                }
            }
        })
    }

    fn models(&self) -> Vec<ModelInfo> {
        vec![
            ModelInfo {
                id: "lmstudio/qwen3-30b-a3b".into(),
                owned_by: "lmstudio".into(),
                alias_for: None,
                context_window: Some(32768),
            },
            ModelInfo {
                id: "anthropic/claude-sonnet-4-5".into(),
                owned_by: "anthropic".into(),
                alias_for: None,
                context_window: Some(200000),
            },
            ModelInfo {
                id: "sonnet".into(),
                owned_by: "anthropic".into(),
                alias_for: Some("anthropic/claude-sonnet-4-5".into()),
                context_window: None,
            },
        ]
    }
}

/// The attempts every scripted answer reports: a timed-out local model, then the hosted fallback.
pub fn two_attempts() -> Vec<AttemptSummary> {
    vec![
        AttemptSummary::failed(
            "lmstudio/qwen3-30b-a3b",
            FailoverReason::Timeout,
            Duration::from_millis(1200),
        ),
        AttemptSummary::ok("anthropic/claude-sonnet-4-5", Duration::from_millis(85)),
    ]
}

pub const ANSWERED_BY: &str = "anthropic/claude-sonnet-4-5";

/// An answer with reasoning (and its signature), text, one tool call, usage and a tool-use stop.
pub fn rich_answer() -> Vec<Step> {
    vec![
        Step::Event(StreamEvent::ThinkingDelta { text: "The user wants".into() }),
        Step::Event(StreamEvent::ThinkingDelta { text: " the weather.".into() }),
        Step::Event(StreamEvent::ThinkingSignature { signature: "sig-1".into() }),
        Step::Event(StreamEvent::TextDelta { text: "Let me ".into() }),
        Step::Event(StreamEvent::TextDelta { text: "check.".into() }),
        Step::Event(StreamEvent::ToolCallStart { index: 0, id: "call_1".into(), name: "get_weather".into() }),
        Step::Event(StreamEvent::ToolCallDelta { index: 0, arguments: "{\"city\":".into() }),
        Step::Event(StreamEvent::ToolCallDelta { index: 0, arguments: "\"Paris\"}".into() }),
        Step::Event(StreamEvent::ToolCallEnd { index: 0 }),
        Step::Event(StreamEvent::Usage {
            usage: Usage { input: 12, output: 30, cache_read: 2, reasoning: 8, ..Usage::default() },
        }),
        Step::Event(StreamEvent::Stop { reason: StopReason::ToolUse }),
    ]
}

pub fn answer(steps: Vec<Step>) -> Script {
    Script::Answer { answered_by: ANSWERED_BY.into(), attempts: two_attempts(), steps }
}

pub fn text_answer(text: &str) -> Script {
    answer(vec![
        Step::Event(StreamEvent::TextDelta { text: text.into() }),
        Step::Event(StreamEvent::Usage { usage: Usage { input: 5, output: 2, ..Usage::default() } }),
        Step::Event(StreamEvent::Stop { reason: StopReason::EndTurn }),
    ])
}

/// Settings for tests: loopback port 0, counting ids, a fixed clock.
pub fn settings() -> GatewaySettings {
    GatewaySettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        ids: Arc::new(SequentialIds::new(1_700_000_000)),
        ..GatewaySettings::default()
    }
}

pub fn token_settings(token: &str) -> GatewaySettings {
    GatewaySettings { auth: AuthSettings::Token(config::Secret::new(token)), ..settings() }
}

/// A running gateway; dropping the handle's `stop` sender shuts it down.
pub struct Running {
    pub addr: SocketAddr,
    pub stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: tokio::task::JoinHandle<Result<(), gateway::GatewayError>>,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Starts the shutdown.
    pub fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn start<B: Backend>(settings: GatewaySettings, backend: Arc<B>) -> Running {
    let server = GatewayServer::bind(settings, backend).await.expect("bind");
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(async move {
        let _ = stopped.await;
    }));
    Running { addr, stop: Some(stop), task }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The headers a snapshot shows, in a fixed order.
pub fn shown_headers(response: &reqwest::Response) -> String {
    let mut out = format!("status: {}\n", response.status().as_u16());
    for name in ["content-type", "x-clawgate-model", "x-clawgate-attempts", "retry-after"] {
        if let Some(value) = response.headers().get(name) {
            out.push_str(&format!("{name}: {}\n", value.to_str().unwrap()));
        }
    }
    out
}

/// Status, shown headers and body, as one snapshot text.
pub async fn transcript(response: reqwest::Response) -> String {
    let head = shown_headers(&response);
    let body = response.text().await.unwrap();
    format!("{head}\n{body}")
}
