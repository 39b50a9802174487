//! `clawgate doctor`: checks the whole local-model setup and says, for every problem, what is wrong,
//! where (config path, URL) and the exact next step.
//!
//! Checks: the config is valid (the text of `config validate`); each local provider answers its
//! discovery endpoint; each configured model is listed by its server and loaded; the configured
//! context window matches what the server runs the model with; hosted models in the chain have a
//! credential; small or heavily quantized local models in the chain (openclaw-behaviour §9); LM
//! Studio reasoning models on `openai-completions` (the Responses API keeps reasoning apart, §2.3).
//! Hosted APIs are not called: doctor costs nothing. Exit code 1 when any finding is an error.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use config::api::Api;
use config::credentials::{Credential, CredentialSource};
use config::edit::{display_path, Segment};
use config::registry::{ResolvedModel, ResolvedProvider};
use config::Config;
use providers::discovery::{
    DiscoveredModel, Discoverer, DiscoveryError, DiscoveryOptions, ServerKind, ServerReport, ServerStatus,
};
use serde::Serialize;
use serde_json::json;

use crate::context::Context;

#[derive(Args)]
pub struct DoctorArgs {
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
    /// Seconds to wait for each local server.
    #[arg(long, default_value_t = 3.0, value_name = "S")]
    timeout: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warn",
            Severity::Error => "error",
        }
    }
}

/// One result: what was found, where, and the next step.
#[derive(Debug, Serialize)]
struct Finding {
    severity: Severity,
    check: &'static str,
    what: String,
    #[serde(rename = "where")]
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

fn finding(severity: Severity, check: &'static str, what: String, location: String) -> Finding {
    Finding { severity, check, what, location, fix: None }
}

impl Finding {
    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

pub fn run(args: DoctorArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let location = ctx.location();
    let shown = location.path.as_ref().map_or("<built-in defaults>".to_string(), |p| p.display().to_string());
    let mut findings = Vec::new();
    match ctx.load() {
        Err(e) => findings.push(
            finding(Severity::Error, "config", e.render().trim_end().to_string(), shown.clone())
                .fix("fix the problems above, then run `clawgate doctor` again (`clawgate config validate` lists them)"),
        ),
        Ok(cfg) => {
            let providers = cfg.registry.providers.values().filter(|p| p.configured).count();
            let models = cfg.registry.models().filter(|m| m.configured).count();
            findings.push(finding(
                Severity::Ok,
                "config",
                format!("{shown} is valid ({providers} configured provider(s), {models} configured model(s))."),
                shown.clone(),
            ));
            for w in &cfg.warnings {
                let f = finding(Severity::Warning, "config", w.message.clone(), w.path.clone());
                findings.push(match &w.help {
                    Some(help) => f.fix(help.clone()),
                    None => f.fix("see `clawgate config validate`"),
                });
            }
            let timeout = Duration::from_secs_f64(args.timeout.max(0.05));
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let reports = runtime.block_on(discover_local(&cfg, timeout));
            check_models(&cfg, &reports, &mut findings);
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let summary = format!(
        "{} ok, {} info, {} warning(s), {} error(s)",
        count(Severity::Ok),
        count(Severity::Info),
        count(Severity::Warning),
        count(Severity::Error)
    );
    if args.json {
        let out = json!({
            "config": location.path,
            "findings": findings,
            "summary": {
                "ok": count(Severity::Ok), "info": count(Severity::Info),
                "warning": count(Severity::Warning), "error": count(Severity::Error),
            },
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", render(&findings));
        println!("\n{summary}");
    }
    Ok(if count(Severity::Error) > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let label = format!("[{}]", f.severity.label());
        let mut lines = f.what.lines();
        out.push_str(&format!("{label:<8}{}\n", lines.next().unwrap_or_default()));
        for line in lines {
            out.push_str(&format!("        {line}\n"));
        }
        if f.severity != Severity::Ok {
            out.push_str(&format!("        where: {}\n", f.location));
            if let Some(fix) = &f.fix {
                out.push_str(&format!("        fix:   {fix}\n"));
            }
        }
    }
    out
}

/// One model the config uses, with why it is in scope.
pub(crate) struct ScopedModel {
    pub key: String,
    pub provider: String,
    pub id: String,
    /// `primary`, `fallback #n`, or `configured`.
    pub role: String,
}

impl ScopedModel {
    fn in_chain(&self) -> bool {
        self.role != "configured"
    }
}

/// The primary, the fallbacks, then every other configured model (deduplicated, in that order).
pub(crate) fn scoped_models(cfg: &Config) -> Vec<ScopedModel> {
    let mut out: Vec<ScopedModel> = Vec::new();
    let mut push = |provider: &str, id: &str, role: String| {
        let key = config::refs::model_key(provider, id);
        if !out.iter().any(|m| m.key.eq_ignore_ascii_case(&key)) {
            out.push(ScopedModel { key, provider: provider.to_string(), id: id.to_string(), role });
        }
    };
    if let Some(p) = cfg.primary() {
        push(&p.provider, &p.model, "primary".into());
    }
    for (i, f) in cfg.fallbacks().iter().enumerate() {
        push(&f.provider, &f.model, format!("fallback #{}", i + 1));
    }
    for m in cfg.registry.models().filter(|m| m.configured) {
        push(&m.provider, &m.id, "configured".into());
    }
    for key in cfg.raw.agents.defaults.models.keys().filter(|k| !k.ends_with("/*")) {
        if let Ok(r) = config::refs::parse_model_ref(key) {
            push(&r.provider, &r.model, "configured".into());
        }
    }
    out
}

type Reports = BTreeMap<String, Result<ServerReport, DiscoveryError>>;

/// Asks every local provider in scope what it serves, all at once.
async fn discover_local(cfg: &Config, timeout: Duration) -> Reports {
    let discoverer = Discoverer::new(DiscoveryOptions {
        connect_timeout: timeout.min(Duration::from_millis(500)),
        request_timeout: timeout,
    });
    let mut wanted: Vec<&ResolvedProvider> = Vec::new();
    for m in scoped_models(cfg) {
        if let Some(p) = cfg.registry.provider(&m.provider) {
            if p.local && !wanted.iter().any(|w| w.id == p.id) {
                wanted.push(p);
            }
        }
    }
    let calls = wanted.into_iter().filter_map(|p| {
        let kind = Discoverer::kind_of(p)?;
        let base_url = p.base_url.clone()?;
        let bearer = cfg.credential(&p.id).and_then(|c| c.secret().map(|s| s.expose().to_string()));
        let discoverer = discoverer.clone();
        Some(async move {
            let result = discoverer.discover(kind, &base_url, bearer.as_deref()).await;
            (p.id.clone(), result)
        })
    });
    futures::future::join_all(calls).await.into_iter().collect()
}

/// `models.providers.<id>.<field>`; `field` may be dotted (`params.preload`).
fn provider_path(id: &str, field: &str) -> String {
    let mut segs =
        vec![Segment::Key("models".into()), Segment::Key("providers".into()), Segment::Key(id.into())];
    segs.extend(field.split('.').map(|k| Segment::Key(k.into())));
    display_path(&segs)
}

/// `models.providers.<p>.models[<i>]` when the config lists the model, else the provider's list.
fn model_path(cfg: &Config, provider: &str, id: &str) -> (String, bool) {
    let index = cfg
        .raw
        .models
        .providers
        .get(provider)
        .and_then(|p| p.models.as_ref())
        .and_then(|ms| ms.iter().position(|m| m.id == id));
    let mut segs = vec![
        Segment::Key("models".into()),
        Segment::Key("providers".into()),
        Segment::Key(provider.into()),
        Segment::Key("models".into()),
    ];
    match index {
        Some(i) => {
            segs.push(Segment::Index(i));
            (display_path(&segs), true)
        }
        None => (display_path(&segs), false),
    }
}

fn start_hint(provider: &ResolvedProvider, kind: ServerKind) -> String {
    let url = provider.base_url.as_deref().unwrap_or("-");
    let how = match (provider.id.as_str(), kind) {
        ("lmstudio", _) | (_, ServerKind::LmStudio) => {
            "start LM Studio's server (`lms server start`)".to_string()
        }
        ("ollama", _) | (_, ServerKind::Ollama) => "start Ollama (`ollama serve`)".to_string(),
        ("vllm", _) => "start vLLM (`vllm serve <model>`)".to_string(),
        ("llama-cpp", _) => "start llama-server (`llama-server -m <model.gguf>`)".to_string(),
        ("sglang", _) => "start SGLang (`python -m sglang.launch_server --model-path <model>`)".to_string(),
        _ => format!("start the server behind {url}"),
    };
    format!("{how}, or correct {} (now {url})", provider_path(&provider.id, "baseUrl"))
}

fn check_models(cfg: &Config, reports: &Reports, findings: &mut Vec<Finding>) {
    let scoped = scoped_models(cfg);
    // Reachability, once per provider.
    for (id, result) in reports {
        let Some(provider) = cfg.registry.provider(id) else { continue };
        let Some(kind) = Discoverer::kind_of(provider) else { continue };
        let used_in_chain = scoped.iter().any(|m| &m.provider == id && m.in_chain());
        let url = provider.base_url.clone().unwrap_or_default();
        match result {
            Err(e) if provider.config.local_service.is_some() => findings.push(
                finding(
                    Severity::Info,
                    "reachable",
                    format!(
                        "{id} is not running ({}); its localService starts it on the first request",
                        e.label()
                    ),
                    provider_path(id, "localService"),
                )
                .fix("nothing to do; to check the server itself, start it and run `clawgate doctor` again"),
            ),
            Err(e) => findings.push(
                finding(
                    if used_in_chain { Severity::Error } else { Severity::Warning },
                    "reachable",
                    format!("{id}: {e}"),
                    provider_path(id, "baseUrl"),
                )
                .fix(start_hint(provider, kind)),
            ),
            Ok(r) if r.status == ServerStatus::Loading => findings.push(
                finding(
                    Severity::Warning,
                    "reachable",
                    format!("{id} at {url} is up but still loading its model"),
                    provider_path(id, "baseUrl"),
                )
                .fix("wait until it has loaded; until then requests to it fail over to the next model"),
            ),
            Ok(r) => findings.push(finding(
                Severity::Ok,
                "reachable",
                format!("{id} answers at {url} ({} model(s))", r.models.len()),
                provider_path(id, "baseUrl"),
            )),
        }
    }
    for m in &scoped {
        let Some(provider) = cfg.registry.provider(&m.provider) else {
            findings.push(
                finding(
                    Severity::Error,
                    "model",
                    format!("{} ({}) names an unknown provider", m.key, m.role),
                    m.key.clone(),
                )
                .fix(format!(
                    "add models.providers.{} (baseUrl, api, models) or correct the ref",
                    m.provider
                )),
            );
            continue;
        };
        let model = cfg.registry.model(&m.provider, &m.id);
        let discovered = match reports.get(&m.provider) {
            Some(Ok(report)) if report.status == ServerStatus::Ready => {
                check_listed(cfg, provider, m, model, report, findings)
            }
            _ => None,
        };
        if provider.local {
            if m.in_chain() {
                check_small(cfg, m, discovered, findings);
            }
            check_responses_api(cfg, provider, m, model, discovered, findings);
        } else if m.in_chain() {
            check_credential(cfg, m, findings);
        }
    }
}

/// Listed, loaded, and the context window; returns what the server said about the model.
fn check_listed<'r>(
    cfg: &Config,
    provider: &ResolvedProvider,
    m: &ScopedModel,
    model: Option<&ResolvedModel>,
    report: &'r ServerReport,
    findings: &mut Vec<Finding>,
) -> Option<&'r DiscoveredModel> {
    let (path, listed_in_config) = model_path(cfg, &m.provider, &m.id);
    let Some(d) = report.model(&m.id) else {
        let ids: Vec<&str> = report.models.iter().map(|d| d.id.as_str()).collect();
        let get = match report.kind {
            ServerKind::LmStudio => format!("download it (`lms get {}`)", m.id),
            ServerKind::Ollama => format!("pull it (`ollama pull {}`)", m.id),
            ServerKind::OpenAiCompatible => match provider.id.as_str() {
                "vllm" => {
                    format!("vLLM serves the model it was started with: start it with `vllm serve {}`", m.id)
                }
                "llama-cpp" => {
                    "llama-server serves the file it was started with: restart it with `-m <file>`".into()
                }
                _ => format!("start the server with {}", m.id),
            },
        };
        let available = if ids.is_empty() {
            "it lists no models".to_string()
        } else {
            format!("it lists: {}", ids.join(", "))
        };
        findings.push(
            finding(
                if m.in_chain() { Severity::Error } else { Severity::Warning },
                "model-listed",
                format!("{} ({}) is not served by {} ({available})", m.key, m.role, report.base_url),
                if listed_in_config { format!("{path}.id") } else { path.clone() },
            )
            .fix(format!("{get}, or change the id to one the server lists")),
        );
        return None;
    };
    match d.loaded {
        Some(false) => {
            let fix = match report.kind {
                ServerKind::LmStudio => format!(
                    "load it now (`lms load {}`); clawgate preloads LM Studio models before use unless {} is false",
                    d.id,
                    provider_path(&provider.id, "params.preload")
                ),
                ServerKind::Ollama => format!(
                    "warm it up (`ollama run {} \"\"`) and keep it loaded longer with OLLAMA_KEEP_ALIVE (e.g. 1h)",
                    d.id
                ),
                ServerKind::OpenAiCompatible => "load it on the server".to_string(),
            };
            findings.push(
                finding(
                    Severity::Warning,
                    "model-loaded",
                    format!(
                        "{} ({}) is listed but not loaded: the first request waits while the server loads it (cold start)",
                        m.key, m.role
                    ),
                    report.base_url.clone(),
                )
                .fix(fix),
            );
        }
        _ => findings.push(finding(
            Severity::Ok,
            "model-listed",
            format!(
                "{} ({}) is served{}",
                m.key,
                m.role,
                if d.loaded == Some(true) { " and loaded" } else { "" }
            ),
            report.base_url.clone(),
        )),
    }
    check_context(m, model, d, &path, listed_in_config, findings);
    Some(d)
}

fn check_context(
    m: &ScopedModel,
    model: Option<&ResolvedModel>,
    d: &DiscoveredModel,
    path: &str,
    listed_in_config: bool,
    findings: &mut Vec<Finding>,
) {
    let Some(server) = d.context_window else { return };
    let configured = model.and_then(|x| x.context_window);
    let set_path = format!("{path}.contextWindow");
    let set_fix = |value: u64| {
        if listed_in_config {
            format!("set {set_path} to {value} (`clawgate config set {set_path} {value}`)")
        } else {
            format!("add {{ id: \"{}\", name: \"{}\", contextWindow: {value} }} to {path}", m.id, m.id)
        }
    };
    match configured {
        None => findings.push(
            finding(
                Severity::Info,
                "context-window",
                format!("{} has no contextWindow in the config; the server reports {server}, which clawgate uses", m.key),
                path.to_string(),
            )
            .fix(format!("to pin it, {}", set_fix(server))),
        ),
        Some(c) if c > server => {
            let reload = match d.loaded {
                Some(true) if d.max_context_window.is_some_and(|max| max >= c) => {
                    format!(", or reload the model with a {c}-token context")
                }
                _ => String::new(),
            };
            findings.push(
                finding(
                    Severity::Warning,
                    "context-window",
                    format!(
                        "{}: configured contextWindow {c} is larger than the {server} the server runs it with; prompts past {server} tokens fail instead of being compacted",
                        m.key
                    ),
                    set_path.clone(),
                )
                .fix(format!("{}{reload}", set_fix(server))),
            );
        }
        Some(c) if c < server => findings.push(
            finding(
                Severity::Warning,
                "context-window",
                format!(
                    "{}: configured contextWindow {c} is smaller than the {server} the server runs it with; clawgate compacts earlier than it needs to",
                    m.key
                ),
                set_path.clone(),
            )
            .fix(set_fix(server)),
        ),
        Some(_) => findings.push(finding(
            Severity::Ok,
            "context-window",
            format!("{}: contextWindow {server} matches the server", m.key),
            set_path,
        )),
    }
}

fn check_credential(cfg: &Config, m: &ScopedModel, findings: &mut Vec<Finding>) {
    let severity = if m.role == "primary" { Severity::Error } else { Severity::Warning };
    let key_path = provider_path(&m.provider, "apiKey");
    match cfg.credential(&m.provider) {
        Some(Credential::Missing { tried }) => {
            let vars = if tried.is_empty() {
                "the provider's API-key variable".to_string()
            } else {
                tried.join(" or ")
            };
            findings.push(
                finding(
                    severity,
                    "credentials",
                    format!("{} ({}) has no API key", m.key, m.role),
                    key_path.clone(),
                )
                .fix(format!("set {vars} in the environment (or {key_path})")),
            );
        }
        Some(Credential::Unusable { reason }) => findings.push(
            finding(severity, "credentials", format!("{} ({}): {reason}", m.key, m.role), key_path)
                .fix(reason.clone()),
        ),
        Some(Credential::Key { source, .. }) => {
            let from = match source {
                CredentialSource::Config => format!("from {key_path}"),
                CredentialSource::Env(var) => format!("from ${var}"),
            };
            findings.push(finding(
                Severity::Ok,
                "credentials",
                format!("{} ({}) has an API key ({from})", m.key, m.role),
                key_path,
            ));
        }
        _ => {}
    }
}

/// OpenClaw's small-model audit: tiny (≤ 10B) or ≤ 4-bit local models warn; other models up to
/// 300B are noted. A sandboxed setup without web tools turns the warning into a note.
fn check_small(cfg: &Config, m: &ScopedModel, d: Option<&DiscoveredModel>, findings: &mut Vec<Finding>) {
    let inferred = DiscoveredModel::new(&m.id).infer_from_id();
    let d = d.unwrap_or(&inferred);
    let params = d.parameters_b.or(inferred.parameters_b);
    let bits = d.quantization_bits.or(inferred.quantization_bits);
    let tiny = params.is_some_and(|b| b <= 10.0);
    let heavy = bits.is_some_and(|b| b <= 4.0);
    let small = params.is_some_and(|b| b <= 300.0);
    if !(tiny || heavy || small) {
        return;
    }
    let mut facts = Vec::new();
    if let Some(size) = d.parameter_size.clone().or(inferred.parameter_size.clone()) {
        facts.push(format!("{size} parameters"));
    }
    if let Some(q) = d.quantization.clone().or(inferred.quantization.clone()) {
        facts.push(match bits {
            Some(b) => format!("{q}, about {b} bits per weight"),
            None => q,
        });
    }
    let guarded = sandboxed_without_web(cfg);
    let severity = if (tiny || heavy) && !guarded { Severity::Warning } else { Severity::Info };
    let kind = match (tiny, heavy) {
        (true, true) => "small and heavily quantized",
        (true, false) => "small",
        (false, true) => "heavily quantized",
        (false, false) => "smaller than OpenClaw's 300B audit threshold",
    };
    findings.push(
        finding(
            severity,
            "small-model",
            format!(
                "{} ({}) is {kind} ({}): such models lose track of long context and are easier to steer with injected text",
                m.key,
                m.role,
                facts.join("; ")
            ),
            m.key.clone(),
        )
        .fix(if guarded {
            "the sandbox is on and web tools are denied; keep a large hosted model as a fallback".to_string()
        } else {
            "use the largest full-precision variant you can run, keep a large hosted model as a fallback, and for tool-using agents set agents.defaults.sandbox.mode to \"all\" and tools.deny to [\"group:web\", \"browser\"]".to_string()
        }),
    );
}

/// `agents.defaults.sandbox.mode == "all"` and `tools.deny` covers web tools and the browser.
fn sandboxed_without_web(cfg: &Config) -> bool {
    let get = |path: &str| {
        config::edit::parse_path(path)
            .ok()
            .and_then(|s| config::edit::get(&cfg.tree, &s).map(|n| n.to_json()))
    };
    let sandbox_all = get("agents.defaults.sandbox.mode").is_some_and(|v| v == "all");
    let deny: Vec<String> = get("tools.deny")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    sandbox_all && deny.iter().any(|d| d == "group:web") && deny.iter().any(|d| d == "browser")
}

/// LM Studio reasoning models on Chat Completions: suggest the Responses API.
fn check_responses_api(
    cfg: &Config,
    provider: &ResolvedProvider,
    m: &ScopedModel,
    model: Option<&ResolvedModel>,
    d: Option<&DiscoveredModel>,
    findings: &mut Vec<Finding>,
) {
    let is_lmstudio =
        provider.id == "lmstudio" || Discoverer::kind_of(provider) == Some(ServerKind::LmStudio);
    let api = model.map_or(provider.api, |x| x.api);
    let reasoning =
        model.is_some_and(|x| x.reasoning) || d.is_some_and(|d| d.capabilities.reasoning == Some(true));
    if !(is_lmstudio && api == Api::OpenaiCompletions && reasoning) {
        return;
    }
    let (model_path, listed) = model_path(cfg, &m.provider, &m.id);
    let model_has_api = cfg
        .raw
        .models
        .providers
        .get(&m.provider)
        .and_then(|p| p.models.as_ref())
        .and_then(|ms| ms.iter().find(|x| x.id == m.id))
        .is_some_and(|x| x.api.is_some());
    let path =
        if listed && model_has_api { format!("{model_path}.api") } else { provider_path(&m.provider, "api") };
    findings.push(
        finding(
            Severity::Info,
            "api",
            format!(
                "{} is a reasoning model on LM Studio's Chat Completions API: the answer relies on tag stripping to keep reasoning out",
                m.key
            ),
            path.clone(),
        )
        .fix(format!(
            "set {path} to \"openai-responses\" (`clawgate config set {path} openai-responses`): reasoning then arrives as separate items, never inside the answer"
        )),
    );
}
