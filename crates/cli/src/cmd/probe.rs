//! `clawgate models status --probe`: a real, tiny request ("Reply with OK", a few output tokens) to
//! every model the config uses, in parallel under a concurrency cap, each bounded by a timeout.
//! Results land in OpenClaw's buckets: `ok | auth | rate_limit | billing | timeout | format |
//! unknown | no_model`, with the failover reason, the latency and the next step.
//!
//! Bucketing follows OpenClaw's `mapFailoverReasonToProbeStatus` (overloaded counts as rate_limit,
//! auth_permanent as auth); two choices of ours: a model the server does not know lands in
//! `no_model` (nothing to probe), and a model the server is still loading in `timeout` (reason
//! `model_loading`). A provider with no usable key is not called: `unknown` with reason
//! `missing_credential`, as OpenClaw reports it.

use std::time::{Duration, Instant};

use config::registry::ResolvedModel;
use config::Config;
use futures::StreamExt;
use llm::{FailoverReason, Message, ModelRequest};
use providers::{Auth, Client, Target};
use serde::Serialize;

use super::doctor::{scoped_models, ScopedModel};
use crate::table;

/// What to probe and how.
#[derive(Debug, Clone, Copy)]
pub struct ProbeOptions {
    pub concurrency: usize,
    pub timeout: Duration,
    pub max_tokens: u32,
}

/// One probe's outcome.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeResult {
    pub model: String,
    pub role: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl ProbeResult {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

const PROMPT: &str = "Reply with OK. Do not use tools.";

/// OpenClaw's probe bucket of a failover reason.
pub fn bucket(reason: FailoverReason) -> &'static str {
    use FailoverReason as R;
    match reason {
        R::Auth | R::AuthPermanent => "auth",
        R::RateLimit | R::Overloaded => "rate_limit",
        R::Billing => "billing",
        R::Timeout | R::ModelLoading => "timeout",
        R::Format => "format",
        R::ModelNotFound => "no_model",
        _ => "unknown",
    }
}

/// Probes every model in scope; results in scope order.
pub fn run_probes(cfg: &Config, options: ProbeOptions) -> anyhow::Result<Vec<ProbeResult>> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let client = Client::default();
    let scoped = scoped_models(cfg);
    let results = runtime.block_on(async {
        let mut indexed: Vec<(usize, ProbeResult)> = futures::stream::iter(scoped.iter().enumerate())
            .map(|(i, m)| {
                let client = &client;
                async move { (i, probe_one(cfg, client, m, options).await) }
            })
            .buffer_unordered(options.concurrency.max(1))
            .collect()
            .await;
        indexed.sort_by_key(|(i, _)| *i);
        indexed.into_iter().map(|(_, r)| r).collect::<Vec<_>>()
    });
    Ok(results)
}

fn result(m: &ScopedModel, status: &'static str) -> ProbeResult {
    ProbeResult {
        model: m.key.clone(),
        role: m.role.clone(),
        status,
        reason: None,
        latency_ms: None,
        error: None,
        hint: None,
    }
}

/// The registry entry, or — for a known provider — its defaults with this id.
fn model_for(cfg: &Config, m: &ScopedModel) -> Option<ResolvedModel> {
    if let Some(model) = cfg.registry.model(&m.provider, &m.id) {
        return Some(model.clone());
    }
    let provider = cfg.registry.provider(&m.provider)?;
    let mut model = ResolvedModel::new(&provider.id, &m.id, provider.api, provider.base_url.clone()?);
    model.params = provider.config.params.clone();
    Some(model)
}

async fn probe_one(cfg: &Config, client: &Client, m: &ScopedModel, options: ProbeOptions) -> ProbeResult {
    let Some(model) = model_for(cfg, m) else {
        return ProbeResult {
            reason: Some("no_model".into()),
            error: Some(format!("provider `{}` is not configured and has no base URL", m.provider)),
            hint: Some(format!("add models.providers.{} with baseUrl, api and models", m.provider)),
            ..result(m, "no_model")
        };
    };
    let target = Target::from_config(cfg, &model);
    if let Auth::Unusable(detail) = &target.auth {
        return ProbeResult {
            reason: Some("missing_credential".into()),
            error: Some(detail.clone()),
            hint: Some("set the key, then probe again; no request was sent".into()),
            ..result(m, "unknown")
        };
    }
    let request = ModelRequest {
        model: model.id.clone(),
        messages: vec![Message::user(PROMPT)],
        max_tokens: Some(options.max_tokens),
        params: model.params.clone(),
        stream: false,
        ..ModelRequest::default()
    };
    let started = Instant::now();
    let outcome = tokio::time::timeout(options.timeout, client.complete(&target, &request)).await;
    let latency = Some(started.elapsed().as_millis() as u64);
    match outcome {
        Ok(Ok(_)) => ProbeResult { latency_ms: latency, ..result(m, "ok") },
        Ok(Err(e)) => ProbeResult {
            reason: Some(e.reason.as_str().to_string()),
            latency_ms: latency,
            error: Some(match e.retry_after {
                Some(wait) => format!("{} ({}; retry after {} s)", e.kind, e.url, wait.as_secs()),
                None => format!("{} ({})", e.kind, e.url),
            }),
            hint: Some(e.hint().to_string()),
            ..result(m, bucket(e.reason))
        },
        Err(_) => ProbeResult {
            reason: Some("timeout".into()),
            latency_ms: latency,
            error: Some(format!(
                "no answer within {} s from {}",
                options.timeout.as_secs_f64(),
                model.base_url
            )),
            hint: Some(
                "check that the server is running and the model loads; raise --timeout for a cold start"
                    .into(),
            ),
            ..result(m, "timeout")
        },
    }
}

/// The results as a table plus a one-line summary.
pub fn render(results: &[ProbeResult], options: ProbeOptions) -> String {
    let mut out = format!(
        "Probes (\"{PROMPT}\", max {} tokens, timeout {} s, {} at a time):\n",
        options.max_tokens,
        options.timeout.as_secs_f64(),
        options.concurrency
    );
    if results.is_empty() {
        out.push_str("No models to probe: set a primary with `clawgate models set <ref>`.\n");
        return out;
    }
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let detail = match (&r.reason, &r.error) {
                (Some(reason), Some(error)) => format!("{reason}: {error}"),
                (None, Some(error)) => error.clone(),
                _ => String::new(),
            };
            vec![
                r.model.clone(),
                r.role.clone(),
                r.status.to_string(),
                r.latency_ms.map_or("-".into(), |ms| format!("{ms} ms")),
                detail,
            ]
        })
        .collect();
    out.push_str(&table::render(&["Model", "Role", "Status", "Latency", "Detail"], &rows));
    for r in results.iter().filter(|r| !r.is_ok()) {
        if let Some(hint) = &r.hint {
            out.push_str(&format!("next step for {}: {hint}\n", r.model));
        }
    }
    out.push_str(&format!("{}\n", summary(results)));
    out
}

/// `3 probed: 2 ok, 1 timeout`.
pub fn summary(results: &[ProbeResult]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for r in results {
        match counts.iter_mut().find(|(s, _)| *s == r.status) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.status, 1)),
        }
    }
    let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    format!("{} probed: {}", results.len(), parts.join(", "))
}
