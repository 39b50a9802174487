//! `clawgate models scan --local`: finds model servers on this machine's default ports (each local
//! catalog provider's `defaultPort`: LM Studio 1234, Ollama 11434, vLLM 8000, llama.cpp 8080,
//! SGLang 30000, LiteLLM 4000), lists their models with context window and loaded state, and with
//! `--write` merges them into `models.providers` — by id, existing entries untouched, comments
//! elsewhere kept, the old file kept as `.bak`, nothing written if the result would be invalid.
//!
//! `CLAWGATE_SCAN_HOST` (default 127.0.0.1) and `CLAWGATE_SCAN_PORTS` (`lmstudio=1234,ollama=11434`:
//! only these providers, on these ports) redirect the scan, for tests and unusual setups.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context as _};
use clap::Args;
use config::catalog::Catalog;
use config::edit::{display_path, Segment};
use providers::discovery::{
    DiscoveredModel, Discoverer, DiscoveryOptions, ServerKind, ServerReport, ServerStatus,
};
use serde_json::{json, Map, Value};

use crate::context::{write_atomic, Context, Reported};
use crate::table;

#[derive(Args)]
pub struct ScanArgs {
    /// Scan the default ports of local servers on this machine (the only scan clawgate does).
    #[arg(long)]
    local: bool,
    /// Add the models found to models.providers in the config file.
    #[arg(long)]
    write: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Seconds to wait for each server.
    #[arg(long, default_value_t = 2.0, value_name = "S")]
    timeout: f64,
}

/// One place to look.
struct Target {
    provider: String,
    kind: ServerKind,
    api: String,
    base_url: String,
}

struct Outcome {
    target: Target,
    result: Result<ServerReport, String>,
}

pub fn run(args: ScanArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if !args.local {
        bail!("only local scanning is supported: run `clawgate models scan --local`");
    }
    let host = ctx.env.get("CLAWGATE_SCAN_HOST").unwrap_or("127.0.0.1").to_string();
    let targets = targets(&host, ctx.env.get("CLAWGATE_SCAN_PORTS"))?;
    let timeout = Duration::from_secs_f64(args.timeout.max(0.05));
    let discoverer = Discoverer::new(DiscoveryOptions {
        connect_timeout: timeout.min(Duration::from_millis(500)),
        request_timeout: timeout,
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let outcomes: Vec<Outcome> =
        runtime.block_on(futures::future::join_all(targets.into_iter().map(|target| {
            let discoverer = discoverer.clone();
            async move {
                let result =
                    discoverer.discover(target.kind, &target.base_url, None).await.map_err(|e| e.label());
                Outcome { target, result }
            }
        })));
    let written = if args.write { write(ctx, &outcomes)? } else { Vec::new() };
    if args.json {
        let servers: Vec<Value> = outcomes.iter().map(server_json).collect();
        let out = json!({ "host": host, "servers": servers, "written": written });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_text(&host, &outcomes);
        for line in &written {
            println!("{line}");
        }
        if !args.write && outcomes.iter().any(|o| o.result.as_ref().is_ok_and(|r| !r.models.is_empty())) {
            println!("\nAdd them to the config with `clawgate models scan --local --write`.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The catalog's local providers with a default port, or the `CLAWGATE_SCAN_PORTS` list.
fn targets(host: &str, ports: Option<&str>) -> anyhow::Result<Vec<Target>> {
    let catalog = Catalog::builtin();
    let overrides: Option<Vec<(String, u16)>> = ports
        .map(|list| {
            list.split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|pair| {
                    let (id, port) = pair.trim().split_once('=').with_context(|| {
                        format!(
                            "CLAWGATE_SCAN_PORTS entry {pair:?} is not provider=port (e.g. lmstudio=1234)"
                        )
                    })?;
                    let port =
                        port.parse::<u16>().with_context(|| format!("{port:?} is not a port number"))?;
                    Ok((id.to_string(), port))
                })
                .collect::<anyhow::Result<_>>()
        })
        .transpose()?;
    let wanted: Vec<(String, u16)> = match overrides {
        Some(list) => list,
        None => catalog
            .providers
            .iter()
            .filter(|(_, p)| p.local)
            .filter_map(|(id, p)| Some((id.clone(), p.default_port?)))
            .collect(),
    };
    wanted
        .into_iter()
        .map(|(id, port)| {
            let p =
                catalog.get(&id).with_context(|| format!("{id:?} is not a local provider of the catalog"))?;
            let kind = ServerKind::from_discovery(p.discovery)
                .with_context(|| format!("provider {id:?} has no discovery endpoint"))?;
            let catalog_url = p.config.base_url.clone().unwrap_or_default();
            Ok(Target {
                provider: id,
                kind,
                api: p.config.api.clone().unwrap_or_else(|| "openai-completions".into()),
                base_url: format!("http://{host}:{port}{}", url_path(&catalog_url)),
            })
        })
        .collect()
}

/// `http://localhost:1234/v1` → `/v1`.
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("", |i| rest[i..].trim_end_matches('/'))
}

fn ctx_text(m: &DiscoveredModel) -> String {
    match (m.context_window, m.max_context_window) {
        (Some(c), Some(max)) if max != c => format!("{c} (max {max})"),
        (Some(c), _) => c.to_string(),
        (None, Some(max)) => format!("max {max}"),
        (None, None) => "-".into(),
    }
}

fn loaded_text(m: &DiscoveredModel) -> &'static str {
    match m.loaded {
        Some(true) => "loaded",
        Some(false) => "not loaded",
        None => "-",
    }
}

fn print_text(host: &str, outcomes: &[Outcome]) {
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    for o in outcomes {
        match &o.result {
            Ok(r) if r.status == ServerStatus::Loading => rows.push(vec![
                o.target.provider.clone(),
                o.target.base_url.clone(),
                "(loading a model)".into(),
            ]),
            Ok(r) if r.models.is_empty() => {
                rows.push(vec![o.target.provider.clone(), o.target.base_url.clone(), "(no models)".into()])
            }
            Ok(r) => {
                for m in &r.models {
                    rows.push(vec![
                        o.target.provider.clone(),
                        o.target.base_url.clone(),
                        m.id.clone(),
                        ctx_text(m),
                        loaded_text(m).into(),
                    ]);
                }
            }
            Err(label) => missing.push(format!("{} ({label})", o.target.base_url)),
        }
    }
    if rows.is_empty() {
        println!("No local model server found on {host}.");
    } else {
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|mut r| {
                r.resize(5, String::new());
                r
            })
            .collect();
        print!("{}", table::render(&["Server", "URL", "Model", "Context", "Loaded"], &rows));
    }
    if !missing.is_empty() {
        println!("Nothing at: {}", missing.join(", "));
    }
}

fn server_json(o: &Outcome) -> Value {
    let (found, status, error, models) = match &o.result {
        Ok(r) => (
            true,
            Some(if r.status == ServerStatus::Loading { "loading" } else { "ready" }),
            None,
            r.models.iter().map(model_json).collect::<Vec<_>>(),
        ),
        Err(label) => (false, None, Some(label.clone()), Vec::new()),
    };
    json!({
        "provider": o.target.provider, "url": o.target.base_url, "found": found,
        "status": status, "error": error, "models": models,
    })
}

fn model_json(m: &DiscoveredModel) -> Value {
    json!({
        "id": m.id, "contextWindow": m.context_window, "maxContextWindow": m.max_context_window,
        "loaded": m.loaded, "reasoning": m.capabilities.reasoning, "tools": m.capabilities.tools,
        "vision": m.capabilities.vision, "quantization": m.quantization, "parameterSize": m.parameter_size,
    })
}

/// A config entry for a discovered model: id, name, and what the server told.
fn model_entry(m: &DiscoveredModel) -> Value {
    let mut entry = Map::new();
    entry.insert("id".into(), json!(m.id));
    entry.insert("name".into(), json!(m.id));
    if let Some(ctx) = m.context_window {
        entry.insert("contextWindow".into(), json!(ctx));
    }
    if m.capabilities.reasoning == Some(true) {
        entry.insert("reasoning".into(), json!(true));
    }
    if m.capabilities.vision == Some(true) {
        entry.insert("input".into(), json!(["text", "image"]));
    }
    Value::Object(entry)
}

/// Merges every found server's models into the file; returns one line per provider changed.
fn write(ctx: &Context, outcomes: &[Outcome]) -> anyhow::Result<Vec<String>> {
    let path = ctx.writable_path()?;
    let mut text =
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = Vec::new();
    for o in outcomes {
        let Ok(report) = &o.result else { continue };
        if report.models.is_empty() {
            continue;
        }
        let provider = &o.target.provider;
        let provider_segs = vec![
            Segment::Key("models".into()),
            Segment::Key("providers".into()),
            Segment::Key(provider.clone()),
        ];
        // The file as written (no ${VAR} substitution), so nothing resolved is written back.
        let tree = config::node::parse(&text, 0).map_err(|e| {
            anyhow::anyhow!("{} is not valid JSON5 ({}); fix it first", path.display(), e.message)
        })?;
        let existing = config::edit::get(&tree, &provider_segs).map(|n| n.to_json());
        let (segs, value, added) = match existing {
            Some(Value::Object(p)) => {
                let mut models: Vec<Value> =
                    p.get("models").and_then(Value::as_array).cloned().unwrap_or_default();
                let known: Vec<String> =
                    models.iter().filter_map(|m| m.get("id")?.as_str().map(str::to_string)).collect();
                let new: Vec<&DiscoveredModel> =
                    report.models.iter().filter(|m| !known.contains(&m.id)).collect();
                if new.is_empty() {
                    lines.push(format!(
                        "{provider}: every model is already in {}",
                        display_path(&provider_segs)
                    ));
                    continue;
                }
                models.extend(new.iter().map(|m| model_entry(m)));
                let mut segs = provider_segs.clone();
                segs.push(Segment::Key("models".into()));
                (segs, Value::Array(models), new.len())
            }
            Some(_) => bail!("{} is not an object; fix it first", display_path(&provider_segs)),
            None => {
                let models: Vec<Value> = report.models.iter().map(model_entry).collect();
                let value = json!({ "baseUrl": o.target.base_url, "api": o.target.api, "models": models });
                (provider_segs.clone(), value, report.models.len())
            }
        };
        text = config::edit::set(&text, &segs, &value)?;
        lines.push(format!("{provider}: added {added} model(s) to {}", display_path(&segs)));
    }
    if lines.iter().any(|l| l.contains(": added ")) {
        config::load_text(&path, &text, ctx.location(), ctx.env.clone()).map_err(|e| {
            anyhow::Error::new(Reported(format!(
                "{}\nthe change was not written: the result would be invalid",
                e.render().trim_end()
            )))
        })?;
        write_atomic(&path, &text)?;
        lines.push(format!("wrote {} (previous version kept as .bak)", path.display()));
    }
    Ok(lines)
}
