//! `clawgate-bench`: starts a zero-delay mock upstream (testkit) and the real `clawgate gateway` in
//! front of it on loopback, then measures, side by side in the same run, direct vs through-gateway:
//! latency at concurrency 1, throughput at 16 and 64, time to first token on paced streams, many
//! concurrent paced streams (late / dropped chunks), and the gateway's RSS idle and under load.
//! Writes `bench/results/latest.json` and `bench/results/latest.md`.
//!
//! Run it with `bench/run.sh` (builds the release binaries and raises the open-file limit).

mod load;
mod report;
mod rss;
mod stats;
mod streams;
mod target;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use testkit::{Flavor, MockUpstream, Script};

use report::{Pair, Report};
use stats::Summary;
use target::Endpoint;

#[derive(Parser)]
#[command(about = "Benchmark the clawgate gateway against a zero-delay mock upstream")]
struct Args {
    /// The clawgate binary to benchmark.
    #[arg(long, default_value = "target/release/clawgate")]
    clawgate: PathBuf,
    /// Sequential requests per side for the latency and time-to-first-token runs.
    #[arg(long, default_value_t = 3000)]
    requests: usize,
    /// Seconds per throughput run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent paced streams.
    #[arg(long, default_value_t = 1000)]
    streams: usize,
    /// Where to write latest.json and latest.md.
    #[arg(long, default_value = "bench/results")]
    out: PathBuf,
}

const TOKEN: &str = "bench-token-not-a-secret";
const PACED_CHUNKS: usize = 20;
const PACED_INTERVAL: Duration = Duration::from_millis(50);

struct Gateway(Child);

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.clawgate.exists() {
        bail!("{} not found; build it first: cargo build --release -p clawgate", args.clawgate.display());
    }
    let mock = MockUpstream::start(Flavor::OpenAi).await;
    let model = Flavor::OpenAi.default_model().id.clone();
    let deltas: Vec<String> = (0..PACED_CHUNKS).map(|i| format!("tok{i} ")).collect();
    // Zero-delay answers for the latency and throughput runs (the gateway streams from upstream even
    // for a non-streaming client, so a paced script would time the pacing, not the gateway).
    mock.set_default(Script::text_deltas(["Hello from the mock upstream."]));

    let dir = std::env::temp_dir().join(format!("clawgate-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let config = dir.join("openclaw.json");
    std::fs::write(
        &config,
        format!(
            r#"{{
  models: {{ providers: {{ bench: {{ baseUrl: "{}", api: "openai-completions",
    models: [{{ id: "{model}", name: "bench model", contextWindow: 128000, maxTokens: 1024 }}] }} }} }},
  agents: {{ defaults: {{ model: {{ primary: "bench/{model}" }} }} }},
  gateway: {{ port: {port}, bind: "loopback", auth: {{ mode: "token", token: "{TOKEN}" }} }},
}}"#,
            mock.base_url()
        ),
    )?;

    let spawned = Instant::now();
    let child = Command::new(&args.clawgate)
        .arg("--config")
        .arg(&config)
        .arg("gateway")
        .env("CLAWGATE_STATE_DIR", &dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {}", args.clawgate.display()))?;
    let mut gateway = Gateway(child);
    let pid = gateway.0.id();
    let client = target::client(256);
    wait_ready(&client, port, &mut gateway.0).await?;
    let gateway_ready_ms = spawned.elapsed().as_secs_f64() * 1e3;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle_kib = rss::rss_kib(pid).map_or(0, |(rss, _)| rss);

    let direct = Endpoint {
        name: "direct",
        url: format!("{}/chat/completions", mock.base_url()),
        model: model.clone(),
        token: None,
    };
    let through = Endpoint {
        name: "gateway",
        url: format!("http://127.0.0.1:{port}/v1/chat/completions"),
        model: format!("bench/{model}"),
        token: Some(TOKEN.to_owned()),
    };

    eprintln!("warming up…");
    load::sequential(&client, &direct, 300).await?;
    load::sequential(&client, &through, 300).await?;
    mock.clear_requests();

    eprintln!("latency at concurrency 1 ({} requests each, interleaved)…", args.requests);
    let (mut lat_direct, mut lat_gateway) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        lat_direct.extend(load::sequential(&client, &direct, args.requests / 10).await?);
        lat_gateway.extend(load::sequential(&client, &through, args.requests / 10).await?);
        mock.clear_requests();
    }
    let latency_c1 = Pair { direct: Summary::of(&mut lat_direct), gateway: Summary::of(&mut lat_gateway) };

    let mut throughput = Vec::new();
    for concurrency in [16, 64] {
        eprintln!("throughput at concurrency {concurrency} ({} s each)…", args.seconds);
        let pool = target::client(concurrency);
        let d = load::throughput(&pool, &direct, concurrency, Duration::from_secs(args.seconds)).await;
        mock.clear_requests();
        let g = load::throughput(&pool, &through, concurrency, Duration::from_secs(args.seconds)).await;
        mock.clear_requests();
        throughput.push(Pair { direct: d, gateway: g });
    }

    // Time to first token: the first content delta comes 5 ms after the role chunk; streams are read
    // to their end so connections are reused on both legs, as a real client's would be.
    mock.set_default(Script::text_deltas(["Hello", " there"]).delay_between_chunks(Duration::from_millis(5)));
    eprintln!("time to first token ({} streams each)…", args.requests / 3);
    let (mut ttft_direct, mut ttft_gateway) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        ttft_direct.extend(streams::time_to_first_token(&client, &direct, args.requests / 30).await?);
        ttft_gateway.extend(streams::time_to_first_token(&client, &through, args.requests / 30).await?);
        mock.clear_requests();
    }
    let ttft = Pair { direct: Summary::of(&mut ttft_direct), gateway: Summary::of(&mut ttft_gateway) };
    tokio::time::sleep(Duration::from_secs(2)).await;

    mock.set_default(Script::text_deltas(deltas).delay_between_chunks(PACED_INTERVAL));
    eprintln!("{} concurrent paced streams ({PACED_CHUNKS} chunks, {PACED_INTERVAL:?} apart)…", args.streams);
    let many = target::client(args.streams);
    let paced_direct = streams::paced(&many, &direct, args.streams, PACED_CHUNKS, PACED_INTERVAL).await;
    mock.clear_requests();
    let paced_gateway = streams::paced(&many, &through, args.streams, PACED_CHUNKS, PACED_INTERVAL).await;
    // VmHWM: the peak resident size since start, i.e. under the heaviest load of the run.
    let rss_peak_kib = rss::rss_kib(pid).map_or(0, |(_, hwm)| hwm);
    let metrics = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await?
        .text()
        .await?;
    let own_overhead = stats::histogram_quantiles(&metrics, "clawgate_gateway_overhead_seconds");

    let report = Report {
        machine: machine(),
        gateway_ready_ms,
        added_p50_us: latency_c1.gateway.p50_us - latency_c1.direct.p50_us,
        added_p99_us: latency_c1.gateway.p99_us - latency_c1.direct.p99_us,
        latency_c1,
        throughput,
        added_ttft_p50_us: ttft.gateway.p50_us - ttft.direct.p50_us,
        added_ttft_p99_us: ttft.gateway.p99_us - ttft.direct.p99_us,
        ttft,
        paced: Pair { direct: paced_direct, gateway: paced_gateway },
        rss_idle_kib,
        rss_peak_kib,
        own_overhead_p50_us: own_overhead.map(|(p50, _)| p50 * 1e6),
        own_overhead_p99_us: own_overhead.map(|(_, p99)| p99 * 1e6),
    };
    drop(gateway);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&args.out)?;
    std::fs::write(args.out.join("latest.json"), serde_json::to_string_pretty(&report)?)?;
    let md = report.markdown();
    std::fs::write(args.out.join("latest.md"), &md)?;
    println!("{md}");
    Ok(())
}

async fn wait_ready(client: &reqwest::Client, port: u16, child: &mut Child) -> anyhow::Result<()> {
    let url = format!("http://127.0.0.1:{port}/healthz");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            bail!("the gateway exited ({status}) before it was ready; its error is printed above");
        }
        if client.get(&url).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    bail!("the gateway did not answer {url} within 10 s")
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} cores, {model}; client, mock upstream and gateway share them")
}
