//! `clawgate gateway`: the OpenAI / Anthropic-compatible endpoint in front of the configured models,
//! with failover, the usage ledger and hot reload of the config.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use config::watch::{ConfigWatcher, WatchEvent};
use gateway::{GatewayServer, GatewaySettings, ListenOverrides, RouterBackend};
use ledger::{Ledger, LedgerWriter};
use router::{Router, StateStore};

use crate::context::Context;

/// How often the config files are checked for changes.
const RELOAD_POLL: Duration = Duration::from_secs(1);
/// Ledger records queued before new ones are dropped (never blocks a request).
const LEDGER_QUEUE: usize = 8192;

#[derive(Args)]
pub struct GatewayArgs {
    /// Port to listen on (default: gateway.port, $CLAWGATE_GATEWAY_PORT, 18789).
    #[arg(long)]
    port: Option<u16>,
    /// Where to listen: loopback (default), lan, custom (gateway.customBindHost) or an IP address.
    /// Anything but loopback requires gateway.auth.
    #[arg(long)]
    bind: Option<String>,
    /// Log as JSON lines (default: human-readable). Filter with RUST_LOG (default: info).
    #[arg(long)]
    log_json: bool,
}

pub fn run(args: GatewayArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    init_logging(args.log_json);
    let cfg = ctx.load_or_report()?;
    for warning in cfg.warnings.iter().filter(|w| w.path != "<root>") {
        tracing::warn!("{}", warning.render(&cfg.sources).trim_end());
    }
    let settings = GatewaySettings::from_config(
        &cfg.raw.gateway,
        &cfg.env,
        &ListenOverrides { port: args.port, bind: args.bind.clone() },
    )?;
    let state_dir = config::loader::state_dir(&ctx.env);
    let db = state_dir.join("state.db");
    std::fs::create_dir_all(&state_dir)
        .with_context(|| format!("cannot create the state directory {}", state_dir.display()))?;
    let state = StateStore::open(&db)?;
    let ledger = LedgerWriter::start(Ledger::open(&db)?, LEDGER_QUEUE);

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(async {
        let mut watcher = ConfigWatcher::new(&cfg, ctx.env.clone());
        let mut listening = cfg.raw.gateway.clone();
        let summary = chain_summary(&cfg);
        let router = Router::new(Arc::new(cfg), providers::Client::default(), state);
        let backend = Arc::new(RouterBackend::new(router, Some(ledger.sender())));
        let server = GatewayServer::bind(settings, backend.clone()).await?;
        let addr = server.local_addr();
        println!("clawgate gateway listening on http://{addr}  ({summary})");
        println!("  OpenAI:    POST http://{addr}/v1/chat/completions, /v1/responses");
        println!("  Anthropic: POST http://{addr}/v1/messages");
        println!("  Usage ledger: {}   Stop with Ctrl-C.", db.display());

        let reload = tokio::spawn(async move {
            let mut tick = tokio::time::interval(RELOAD_POLL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tick.tick().await;
                let (back, event) = match tokio::task::spawn_blocking(move || {
                    let event = watcher.poll();
                    (watcher, event)
                })
                .await
                {
                    Ok(pair) => pair,
                    Err(_) => break,
                };
                watcher = back;
                match event {
                    Some(WatchEvent::Reloaded(config)) => {
                        for warning in config.warnings.iter().filter(|w| w.path != "<root>") {
                            tracing::warn!("{}", warning.render(&config.sources).trim_end());
                        }
                        if config.raw.gateway != listening {
                            tracing::warn!(
                                "the `gateway` section changed (port, bind, auth or http); models and routing \
                                 are reloaded now, the listener and its auth only on a restart of `clawgate gateway`"
                            );
                            listening = config.raw.gateway.clone();
                        }
                        let summary = chain_summary(&config);
                        backend.swap(backend.current().with_config(Arc::new(*config)));
                        tracing::info!(
                            "config reloaded ({summary}); requests in flight finish on the old one"
                        );
                    }
                    Some(WatchEvent::Rejected(error)) => {
                        tracing::error!(
                            "config change rejected, still serving the last good config:\n{}",
                            error.render().trim_end()
                        );
                    }
                    None => {}
                }
            }
        });
        let served = server.serve(shutdown_signal()).await;
        reload.abort();
        served
    });
    ledger.close();
    result?;
    Ok(ExitCode::SUCCESS)
}

fn chain_summary(cfg: &config::Config) -> String {
    let primary = cfg.primary_raw().unwrap_or("none");
    let fallbacks = cfg.fallbacks_raw();
    if fallbacks.is_empty() {
        format!("primary {primary}, no fallbacks")
    } else {
        format!("primary {primary}, fallbacks {}", fallbacks.join(", "))
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
