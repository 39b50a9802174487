//! `clawgate`: the command-line entry point. Clap definitions and thin glue over the library crates;
//! the only place that uses `anyhow`.

mod cmd;
mod context;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// OpenClaw's local-model system in one binary: reads openclaw.json, talks to LM Studio, vLLM,
/// Ollama, llama.cpp and any /v1 server, with hosted models as fallbacks.
#[derive(Parser)]
#[command(name = "clawgate", version, about, propagate_version = true)]
struct Cli {
    /// Config file (default: $CLAWGATE_CONFIG, $OPENCLAW_CONFIG_PATH, ~/.clawgate/openclaw.json,
    /// then ~/.openclaw/openclaw.json).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check, read and edit the config file.
    #[command(subcommand)]
    Config(cmd::config::ConfigCmd),
    /// List models, show the model setup, and change primary, fallbacks and aliases.
    #[command(subcommand)]
    Models(cmd::models::ModelsCmd),
    /// Serve the OpenAI and Anthropic APIs on loopback, in front of the configured models with failover.
    Gateway(cmd::gateway::GatewayArgs),
    /// Send one prompt to one model (no failover) and print the answer, usage and cost.
    Infer(cmd::infer::InferArgs),
    /// Requests, tokens and cost recorded by the gateway (from state.db).
    Usage(cmd::usage::UsageArgs),
    /// Check the setup: config, local servers, models, context windows, credentials; each finding
    /// with the exact fix. Exit code 1 when any finding is an error.
    Doctor(cmd::doctor::DoctorArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = context::Context::new(cli.config);
    let result = match cli.command {
        Command::Config(c) => cmd::config::run(c, &ctx),
        Command::Models(c) => cmd::models::run(c, &ctx),
        Command::Gateway(a) => cmd::gateway::run(a, &ctx),
        Command::Infer(a) => cmd::infer::run(a, &ctx),
        Command::Usage(a) => cmd::usage::run(a, &ctx),
        Command::Doctor(a) => cmd::doctor::run(a, &ctx),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A config report is already rendered ("error: … --> file:line:col").
            if let Some(report) = e.downcast_ref::<context::Reported>() {
                eprintln!("{report}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(1)
        }
    }
}
