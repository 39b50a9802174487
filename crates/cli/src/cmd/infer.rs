//! `clawgate infer`: one model call through the transport of that model (no failover), printing the
//! final text, and on request the reasoning (separately), with usage and cost.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;
use config::registry::ResolvedModel;
use config::Config;
use futures::StreamExt;
use llm::{ContentBlock, Message, ModelRequest, ReasoningEffort, StreamEvent};
use providers::{Client, Completion, ProviderError, Target};
use serde_json::json;

use crate::context::Context;

#[derive(Args)]
pub struct InferArgs {
    /// Model ref (`provider/model`) or alias.
    #[arg(long)]
    model: String,
    /// The user message.
    #[arg(long)]
    prompt: String,
    /// Optional system prompt.
    #[arg(long)]
    system: Option<String>,
    /// Print the answer as it streams.
    #[arg(long)]
    stream: bool,
    /// Print one JSON object (model, text, reasoning, tool calls, usage, cost, stop) instead of text.
    #[arg(long)]
    json: bool,
    /// Also show the model's reasoning (on stderr, apart from the answer); in --json it is included.
    #[arg(long)]
    reasoning: bool,
    /// Reasoning effort to request (off, minimal, low, medium, high, xhigh, max).
    #[arg(long, value_name = "LEVEL")]
    effort: Option<String>,
    /// Output token cap.
    #[arg(long)]
    max_tokens: Option<u32>,
}

pub fn run(args: InferArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let cfg = ctx.load_or_report()?;
    let model = model_for(&cfg, &args.model)?;
    let target = Target::from_config(&cfg, &model);
    let reasoning = match args.effort.as_deref() {
        None => None,
        Some(s) => Some(ReasoningEffort::parse(s).with_context(|| {
            format!("--effort {s:?} is not a level; use off, minimal, low, medium, high, xhigh or max")
        })?),
    };
    let request = ModelRequest {
        model: model.id.clone(),
        system: args.system.clone(),
        messages: vec![Message::user(args.prompt.clone())],
        max_tokens: args.max_tokens,
        reasoning,
        params: model.params.clone(),
        stream: args.stream,
        ..ModelRequest::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let client = Client::default();
    let outcome = runtime.block_on(async {
        if args.stream {
            stream_call(&client, &target, &request, &args).await
        } else {
            client.complete(&target, &request).await
        }
    });
    match outcome {
        Ok(completion) => {
            report(&model, &completion, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            report_error(&error, args.json);
            Ok(ExitCode::from(1))
        }
    }
}

/// The registry entry of `input`, or — for a model of a known provider that is not listed — the
/// provider's defaults with that id (OpenClaw uses such a ref as written).
fn model_for(cfg: &Config, input: &str) -> anyhow::Result<ResolvedModel> {
    let resolved = cfg.resolve(input)?;
    let r = &resolved.model_ref;
    if let Some(model) = cfg.model(r) {
        return Ok(model.clone());
    }
    let Some(provider) = cfg.registry.provider(&r.provider) else {
        let known: Vec<&str> = cfg.registry.providers.keys().map(String::as_str).collect();
        bail!(
            "unknown provider {:?} in {input:?}. Known providers: {}. Add it under models.providers, or run `clawgate models list --all`",
            r.provider,
            known.join(", ")
        );
    };
    let Some(base_url) = provider.base_url.clone() else {
        bail!("provider {:?} has no baseUrl; set models.providers.{}.baseUrl", provider.id, provider.id);
    };
    eprintln!(
        "note: {} is not listed in the config or catalog; calling it with the provider's defaults",
        r.key()
    );
    let mut model = ResolvedModel::new(&provider.id, &r.model, provider.api, base_url);
    model.params = provider.config.params.clone();
    Ok(model)
}

async fn stream_call(
    client: &Client,
    target: &Target,
    request: &ModelRequest,
    args: &InferArgs,
) -> Result<Completion, ProviderError> {
    let mut stream = client.stream(target, request).await?;
    let mut events = Vec::new();
    let live = !args.json;
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    while let Some(event) = stream.next().await {
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                if live {
                    let _ = writeln!(stdout);
                }
                return Err(error);
            }
        };
        if live {
            match &event {
                StreamEvent::TextDelta { text } => {
                    let _ = write!(stdout, "{text}");
                    let _ = stdout.flush();
                }
                StreamEvent::ThinkingDelta { text } if args.reasoning => {
                    let _ = write!(stderr, "{text}");
                }
                _ => {}
            }
        }
        events.push(event);
    }
    if live {
        let _ = writeln!(stdout);
    }
    Ok(providers::completion(target, &events))
}

fn report(model: &ResolvedModel, completion: &Completion, args: &InferArgs) -> anyhow::Result<()> {
    let message = &completion.response.message;
    let raw_text = blocks_text(message, false);
    let text = llm::final_text(&raw_text).unwrap_or_default();
    let reasoning = blocks_text(message, true);
    let tool_calls: Vec<_> = message
        .content
        .iter()
        .filter_map(|b| match b {
            ContentBlock::ToolCall { id, name, arguments } => {
                Some(json!({"id": id, "name": name, "arguments": arguments}))
            }
            _ => None,
        })
        .collect();
    let usage = completion.usage;
    let stop = completion.response.stop.map(|s| s.as_str());
    if args.json {
        let out = json!({
            "model": model.key(),
            "text": text,
            "reasoning": if reasoning.is_empty() { None } else { Some(&reasoning) },
            "tool_calls": tool_calls,
            "usage": usage,
            "cost_usd": completion.cost,
            "stop": stop,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if !args.stream {
        if args.reasoning && !reasoning.is_empty() {
            eprintln!("── reasoning ──\n{}\n── answer ──", reasoning.trim());
        }
        println!("{text}");
    }
    for call in &tool_calls {
        eprintln!("tool call: {} {}", call["name"].as_str().unwrap_or("?"), call["arguments"]);
    }
    eprintln!(
        "── {} · {} in{} / {} out{} tokens{} · ${:.6} · stop: {}",
        model.key(),
        usage.total_input(),
        if usage.cache_read > 0 { format!(" ({} cached)", usage.cache_read) } else { String::new() },
        usage.output,
        if usage.reasoning > 0 { format!(" ({} reasoning)", usage.reasoning) } else { String::new() },
        if usage.estimated { " (estimated: the server sent no usage)" } else { "" },
        completion.cost,
        stop.unwrap_or("none")
    );
    Ok(())
}

fn blocks_text(message: &Message, thinking: bool) -> String {
    message
        .content
        .iter()
        .filter_map(|b| match b {
            ContentBlock::Text { text } if !thinking => Some(text.as_str()),
            ContentBlock::Thinking { thinking: t, .. } if thinking => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn report_error(error: &ProviderError, json: bool) {
    if json {
        let out = json!({
            "error": {
                "provider": error.provider,
                "model": error.model,
                "url": error.url,
                "reason": error.reason.as_str(),
                "status": error.status(),
                "message": error.kind.to_string(),
                "hint": error.hint(),
            }
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return;
    }
    eprintln!("error: {}/{} at {}", error.provider, error.model, error.url);
    eprintln!("  {}", error.kind);
    if let Some(wait) = error.retry_after {
        eprintln!("  the server asked to retry after {} s", wait.as_secs());
    }
    eprintln!("  reason: {}", error.reason.as_str());
    eprintln!("  next step: {}", error.hint());
}
