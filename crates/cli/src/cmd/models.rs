//! `clawgate models list|status|set|aliases|fallbacks`.

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use config::credentials::Credential;
use config::edit::Segment;
use config::registry::ResolvedModel;
use config::types::AgentModel;
use config::Config;
use serde_json::{json, Value};

use super::probe::{self, ProbeOptions};
use crate::context::Context;
use crate::table;

#[derive(Subcommand)]
pub enum ModelsCmd {
    /// List models: the configured ones, or every known model with --all.
    List {
        /// Every model of every provider (the built-in catalog included).
        #[arg(long)]
        all: bool,
        /// Only models served from a local base URL.
        #[arg(long)]
        local: bool,
        /// Only this provider.
        #[arg(long, value_name = "ID")]
        provider: Option<String>,
        /// JSON output (stable; see README).
        #[arg(long, conflicts_with = "plain")]
        json: bool,
        /// One model ref per line.
        #[arg(long)]
        plain: bool,
    },
    /// Show the primary, fallbacks, aliases and each provider's URL, api and credential state.
    Status {
        #[arg(long)]
        json: bool,
        /// Send a tiny real request to every model in use and report ok / auth / rate_limit /
        /// billing / timeout / format / unknown / no_model with the latency.
        #[arg(long)]
        probe: bool,
        /// Exit code: 0 all fine, 1 a probe failed or a model in the chain has no usable key, 2 the
        /// config is invalid.
        #[arg(long)]
        check: bool,
        /// Probes in flight at once.
        #[arg(long, default_value_t = 4, value_name = "N")]
        concurrency: usize,
        /// Seconds each probe may take.
        #[arg(long, default_value_t = 20.0, value_name = "S")]
        timeout: f64,
        /// Output tokens each probe asks for.
        #[arg(long, default_value_t = 8, value_name = "N")]
        max_tokens: u32,
    },
    /// Find local model servers on their default ports and list their models (`--local`);
    /// `--write` adds them to the config.
    Scan(super::scan::ScanArgs),
    /// Set the primary model (`agents.defaults.model.primary`).
    Set { model: String },
    /// List, add or remove aliases.
    #[command(subcommand)]
    Aliases(AliasCmd),
    /// List, add, remove or clear fallbacks.
    #[command(subcommand)]
    Fallbacks(FallbackCmd),
}

#[derive(Subcommand)]
pub enum AliasCmd {
    List,
    /// `add <alias> <ref>`: an alias of an alias is resolved to its model.
    Add {
        alias: String,
        model: String,
    },
    Remove {
        alias: String,
    },
}

#[derive(Subcommand)]
pub enum FallbackCmd {
    List,
    Add { model: String },
    Remove { model: String },
    Clear,
}

pub fn run(cmd: ModelsCmd, ctx: &Context) -> anyhow::Result<ExitCode> {
    match cmd {
        ModelsCmd::List { all, local, provider, json, plain } => {
            let cfg = ctx.load_or_report()?;
            warn_all(&cfg);
            let rows = list_rows(&cfg, all, local, provider.as_deref());
            if json {
                println!("{}", serde_json::to_string_pretty(&json!({ "models": rows }))?);
            } else if plain {
                for r in &rows {
                    println!("{}", r["key"].as_str().unwrap_or_default());
                }
            } else if rows.is_empty() {
                println!("No models match. Try `clawgate models list --all`.");
            } else {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            r["key"].as_str().unwrap_or_default().to_string(),
                            r["input"]
                                .as_array()
                                .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("+"))
                                .unwrap_or_default(),
                            r["ctx"].as_str().unwrap_or("-").to_string(),
                            if r["local"].as_bool() == Some(true) { "yes" } else { "no" }.to_string(),
                            r["auth"].as_str().unwrap_or_default().to_string(),
                            r["tags"]
                                .as_array()
                                .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","))
                                .unwrap_or_default(),
                        ]
                    })
                    .collect();
                print!("{}", table::render(&["Model", "Input", "Ctx", "Local", "Auth", "Tags"], &cells));
            }
            Ok(ExitCode::SUCCESS)
        }
        ModelsCmd::Status { json, probe, check, concurrency, timeout, max_tokens } => {
            let probe = probe.then_some(ProbeOptions {
                concurrency,
                timeout: std::time::Duration::from_secs_f64(timeout.max(0.05)),
                max_tokens: max_tokens.clamp(1, 64),
            });
            status(ctx, json, probe, check)
        }
        ModelsCmd::Scan(args) => super::scan::run(args, ctx),
        ModelsCmd::Set { model } => {
            let cfg = ctx.load_or_report()?;
            let key = resolve_known_provider(&cfg, &model)?;
            let segs = match &cfg.raw.agents.defaults.model {
                Some(AgentModel::Primary(_)) => path(&["agents", "defaults", "model"]),
                _ => path(&["agents", "defaults", "model", "primary"]),
            };
            let file = super::edit::set_value(ctx, &segs, &Value::String(key.clone()))?;
            println!("primary model is now {key} ({})", file.display());
            Ok(ExitCode::SUCCESS)
        }
        ModelsCmd::Aliases(a) => aliases(ctx, a),
        ModelsCmd::Fallbacks(f) => fallbacks(ctx, f),
    }
}

fn path(keys: &[&str]) -> Vec<Segment> {
    keys.iter().map(|k| Segment::Key(k.to_string())).collect()
}

fn warn_all(cfg: &Config) {
    for w in &cfg.warnings {
        if w.path != "<root>" {
            eprint!("{}", w.render(&cfg.sources));
        }
    }
}

/// Resolves input to a `provider/model` key whose provider exists; unknown models only warn.
fn resolve_known_provider(cfg: &Config, input: &str) -> anyhow::Result<String> {
    let r = cfg.resolve(input)?;
    if let Some(w) = &r.warning {
        eprintln!("warning: {w}");
    }
    let m = &r.model_ref;
    if cfg.registry.provider(&m.provider).is_none() {
        let known: Vec<&str> = cfg.registry.providers.keys().map(String::as_str).collect();
        bail!(
            "unknown provider {:?} in {input:?}. Known providers: {}. Add it under models.providers first",
            m.provider,
            known.join(", ")
        );
    }
    if cfg.model(m).is_none() {
        eprintln!("warning: {} is not in the catalog or config; it will be used as written", m.key());
    }
    Ok(m.key())
}

fn auth_short(c: &Option<Credential>) -> &'static str {
    match c {
        Some(Credential::Key { .. }) => "key",
        Some(Credential::LocalMarker(_)) => "marker",
        Some(Credential::NotRequired) => "none-needed",
        Some(Credential::Missing { .. }) => "missing",
        Some(Credential::Unusable { .. }) => "unusable",
        None => "unknown-provider",
    }
}

fn ctx_label(m: Option<&ResolvedModel>) -> Value {
    let Some(m) = m else { return Value::Null };
    let k = |v: u64| {
        if v >= 1000 && v.is_multiple_of(1000) {
            format!("{}k", v / 1000)
        } else if v >= 1024 {
            format!("{}k", v / 1024)
        } else {
            v.to_string()
        }
    };
    match (m.context_tokens, m.context_window) {
        (Some(t), Some(w)) => json!(format!("{}/{}", k(t), k(w))),
        (None, Some(w)) => json!(k(w)),
        (Some(t), None) => json!(k(t)),
        (None, None) => Value::Null,
    }
}

/// Rows for `models list`: configured models (config providers, the chain, and aliased refs),
/// or everything with `all`.
pub fn list_rows(cfg: &Config, all: bool, local_only: bool, provider: Option<&str>) -> Vec<Value> {
    let primary = cfg.primary().map(|r| r.key());
    let fallbacks: Vec<String> = cfg.fallbacks().iter().map(|r| r.key()).collect();
    let mentioned: Vec<String> = cfg
        .raw
        .agents
        .defaults
        .models
        .keys()
        .filter(|k| !k.ends_with("/*"))
        .filter_map(|k| config::refs::parse_model_ref(k).ok().map(|r| r.key()))
        .collect();
    let mut keys: Vec<(String, String, String)> = Vec::new(); // (key, provider, id)
    let mut push = |p: &str, id: &str| {
        let key = config::refs::model_key(p, id);
        if !keys.iter().any(|(k, _, _)| k.eq_ignore_ascii_case(&key)) {
            keys.push((key, p.to_string(), id.to_string()));
        }
    };
    for r in primary.iter().chain(fallbacks.iter()).chain(mentioned.iter()) {
        if let Ok(r) = config::refs::parse_model_ref(r) {
            push(&r.provider, &r.model);
        }
    }
    for m in cfg.registry.models() {
        if all || m.configured {
            push(&m.provider, &m.id);
        }
    }
    let mut rows = Vec::new();
    for (key, p, id) in keys {
        if provider.is_some_and(|f| !f.eq_ignore_ascii_case(&p)) {
            continue;
        }
        let model = cfg.registry.model(&p, &id);
        let base_url = model
            .map(|m| m.base_url.clone())
            .or_else(|| cfg.registry.provider(&p).and_then(|x| x.base_url.clone()));
        let local = base_url.as_deref().is_some_and(config::local::is_local_base_url);
        if local_only && !local {
            continue;
        }
        let mut tags = Vec::new();
        if primary.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(&key)) {
            tags.push("default".to_string());
        }
        if let Some(i) = fallbacks.iter().position(|f| f.eq_ignore_ascii_case(&key)) {
            tags.push(format!("fallback#{}", i + 1));
        }
        if model.is_some_and(|m| m.configured) || mentioned.iter().any(|m| m.eq_ignore_ascii_case(&key)) {
            tags.push("configured".into());
        }
        for a in cfg.aliases.aliases_of(&key) {
            tags.push(format!("alias:{a}"));
        }
        if model.is_none() {
            tags.push("unknown-model".into());
        }
        let cred = cfg.credential(&p);
        rows.push(json!({
            "key": key,
            "provider": p,
            "id": id,
            "name": model.map(|m| m.name.clone()),
            "api": model.map(|m| m.api.as_str()),
            "baseUrl": base_url,
            "input": model.map(|m| m.input.clone()).unwrap_or_else(|| vec!["text".into()]),
            "contextWindow": model.and_then(|m| m.context_window),
            "contextTokens": model.and_then(|m| m.context_tokens),
            "maxTokens": model.map(|m| m.max_tokens),
            "ctx": ctx_label(model),
            "local": local,
            "auth": auth_short(&cred),
            "tags": tags,
        }));
    }
    rows
}

/// `--check`: a model in the chain whose provider has no usable key.
fn chain_credentials_missing(cfg: &Config) -> bool {
    cfg.primary()
        .into_iter()
        .chain(cfg.fallbacks())
        .any(|r| cfg.credential(&r.provider).is_some_and(|c| !c.is_usable()))
}

fn status(
    ctx: &Context,
    json_out: bool,
    probe: Option<ProbeOptions>,
    check: bool,
) -> anyhow::Result<ExitCode> {
    let cfg = match ctx.load() {
        Ok(cfg) => cfg,
        Err(e) if check => {
            eprintln!("{}", e.render().trim_end());
            return Ok(ExitCode::from(2));
        }
        Err(_) => ctx.load_or_report()?,
    };
    let probes = probe.map(|options| probe::run_probes(&cfg, options)).transpose()?;
    let failed =
        probes.as_ref().is_some_and(|p| p.iter().any(|r| !r.is_ok())) || chain_credentials_missing(&cfg);
    let code = if check && failed { ExitCode::from(1) } else { ExitCode::SUCCESS };
    let primary = cfg.primary().map(|r| r.key());
    let fallbacks: Vec<String> = cfg.fallbacks().iter().map(|r| r.key()).collect();
    let mut used: Vec<String> = primary
        .iter()
        .chain(fallbacks.iter())
        .filter_map(|k| k.split('/').next().map(str::to_string))
        .collect();
    used.extend(cfg.registry.providers.values().filter(|p| p.configured).map(|p| p.id.clone()));
    used.dedup();
    let mut seen = std::collections::HashSet::new();
    let providers: Vec<Value> = used
        .iter()
        .filter(|p| seen.insert(p.to_string()))
        .map(|p| {
            let rp = cfg.registry.provider(p);
            let cred = cfg.credential(p);
            json!({
                "id": p,
                "baseUrl": rp.and_then(|x| x.base_url.clone()),
                "api": rp.map(|x| x.api.as_str()),
                "local": rp.is_some_and(|x| x.local),
                "auth": auth_short(&cred),
                "authDetail": cred.as_ref().map(Credential::describe).unwrap_or_else(|| "provider not configured".into()),
            })
        })
        .collect();
    let aliases: Vec<Value> =
        cfg.aliases.entries().iter().map(|(a, k)| json!({"alias": a, "model": k})).collect();
    let location = cfg.path().map(|p| p.display().to_string());
    if json_out {
        let mut out = json!({
            "config": location,
            "primary": primary,
            "fallbacks": fallbacks,
            "aliases": aliases,
            "providers": providers,
        });
        if let Some(p) = &probes {
            out["probes"] = serde_json::to_value(p)?;
            out["probeSummary"] = json!(probe::summary(p));
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(code);
    }
    println!(
        "Config    : {}",
        location.unwrap_or_else(|| "<built-in defaults> (run `clawgate config init`)".into())
    );
    println!(
        "Primary   : {}",
        primary.as_deref().unwrap_or("(none: set one with `clawgate models set <ref>`)")
    );
    println!(
        "Fallbacks : {}",
        if fallbacks.is_empty() { "(none)".to_string() } else { fallbacks.join(", ") }
    );
    println!(
        "Aliases   : {}",
        if aliases.is_empty() {
            "(none)".to_string()
        } else {
            cfg.aliases.entries().iter().map(|(a, k)| format!("{a} -> {k}")).collect::<Vec<_>>().join(", ")
        }
    );
    println!();
    let rows: Vec<Vec<String>> = providers
        .iter()
        .map(|p| {
            vec![
                p["id"].as_str().unwrap_or_default().into(),
                p["api"].as_str().unwrap_or("-").into(),
                p["baseUrl"].as_str().unwrap_or("-").into(),
                p["authDetail"].as_str().unwrap_or_default().into(),
            ]
        })
        .collect();
    print!("{}", table::render(&["Provider", "Api", "Base URL", "Auth"], &rows));
    if let (Some(results), Some(options)) = (&probes, probe) {
        println!();
        print!("{}", probe::render(results, options));
    }
    Ok(code)
}

fn aliases(ctx: &Context, cmd: AliasCmd) -> anyhow::Result<ExitCode> {
    let cfg = ctx.load_or_report()?;
    match cmd {
        AliasCmd::List => {
            let entries = cfg.aliases.entries();
            if entries.is_empty() {
                println!("No aliases. Add one with `clawgate models aliases add <alias> <provider/model>`.");
            }
            for (a, k) in entries {
                println!("{a} -> {k}");
            }
        }
        AliasCmd::Add { alias, model } => {
            if alias.contains('/') {
                bail!("an alias cannot contain '/' (refs with '/' never go through alias lookup)");
            }
            let key = resolve_known_provider(&cfg, &model)?;
            if let Some(existing) = cfg.aliases.get(&alias) {
                if !existing.eq_ignore_ascii_case(&key) {
                    bail!("alias {alias:?} already points to {existing}; remove it first with `clawgate models aliases remove {alias}`");
                }
            }
            let mut segs = path(&["agents", "defaults", "models"]);
            segs.push(Segment::Key(key.clone()));
            segs.push(Segment::Key("alias".into()));
            super::edit::set_value(ctx, &segs, &Value::String(alias.clone()))?;
            println!("alias {alias} -> {key}");
        }
        AliasCmd::Remove { alias } => {
            let Some(target) = cfg
                .raw
                .agents
                .defaults
                .models
                .iter()
                .find(|(_, e)| e.alias.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(&alias)))
                .map(|(k, _)| k.clone())
            else {
                bail!("there is no alias {alias:?}; see `clawgate models aliases list`");
            };
            let mut segs = path(&["agents", "defaults", "models"]);
            segs.push(Segment::Key(target.clone()));
            segs.push(Segment::Key("alias".into()));
            super::edit::unset_value(ctx, &segs)?;
            println!("removed alias {alias} (was {target})");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn fallbacks(ctx: &Context, cmd: FallbackCmd) -> anyhow::Result<ExitCode> {
    let cfg = ctx.load_or_report()?;
    let current: Vec<String> = cfg.fallbacks_raw().to_vec();
    let new = match cmd {
        FallbackCmd::List => {
            if current.is_empty() {
                println!("No fallbacks. Add one with `clawgate models fallbacks add <provider/model>`.");
            }
            for (i, f) in current.iter().enumerate() {
                println!("{}. {f}", i + 1);
            }
            return Ok(ExitCode::SUCCESS);
        }
        FallbackCmd::Add { model } => {
            let key = resolve_known_provider(&cfg, &model)?;
            if current
                .iter()
                .any(|c| cfg.resolve(c).is_ok_and(|r| r.model_ref.key().eq_ignore_ascii_case(&key)))
            {
                println!("{key} is already a fallback");
                return Ok(ExitCode::SUCCESS);
            }
            let mut v = current.clone();
            v.push(key);
            v
        }
        FallbackCmd::Remove { model } => {
            let key = cfg.resolve(&model)?.model_ref.key();
            let v: Vec<String> = current
                .iter()
                .filter(|c| {
                    !c.eq_ignore_ascii_case(&model)
                        && !cfg.resolve(c).is_ok_and(|r| r.model_ref.key().eq_ignore_ascii_case(&key))
                })
                .cloned()
                .collect();
            if v.len() == current.len() {
                bail!("{model} is not a fallback; see `clawgate models fallbacks list`");
            }
            v
        }
        FallbackCmd::Clear => vec![],
    };
    let value = match &cfg.raw.agents.defaults.model {
        Some(AgentModel::Primary(p)) => json!({ "primary": p, "fallbacks": new }),
        _ => Value::Array(new.iter().cloned().map(Value::String).collect()),
    };
    let segs = match &cfg.raw.agents.defaults.model {
        Some(AgentModel::Primary(_)) => path(&["agents", "defaults", "model"]),
        _ => path(&["agents", "defaults", "model", "fallbacks"]),
    };
    super::edit::set_value(ctx, &segs, &value)?;
    println!("fallbacks: {}", if new.is_empty() { "(none)".to_string() } else { new.join(", ") });
    Ok(ExitCode::SUCCESS)
}
