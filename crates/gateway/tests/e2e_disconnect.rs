//! A client that disconnects mid-stream stops the upstream request: the gateway drops the router's
//! stream, the transport drops its response, and the upstream connection is closed — seen here by a
//! TCP relay between the gateway and the mock (the upstream would otherwise stream for 10 s more).

mod common;

use std::time::Duration;

use common::client;
use common::e2e::tap::Tap;
use common::e2e::{hello_request, ConfigDoc, Provider, Stack, INGRESS, UPSTREAMS};
use futures::StreamExt;
use testkit::{Flavor, MockUpstream, Script};

/// Within this (real) time of the client leaving, the upstream connection must be closed.
const PROMPTLY: Duration = Duration::from_secs(2);

/// 200 words, 50 ms apart: a 10-second answer.
fn long_answer() -> Script {
    let words: Vec<String> = (1..=200).map(|i| format!("w{i}")).collect();
    Script::reasoning_then_text("plan", words.join(" ")).delay_between_chunks(Duration::from_millis(50))
}

async fn disconnect(dialect: &str, path: &str, api: &'static str, flavor: Flavor) {
    let label = format!("{dialect} ← {api}");
    let mock = MockUpstream::start(flavor).await;
    mock.set_default(long_answer());
    let tap = Tap::start(mock.addr()).await;
    let provider =
        Provider { id: "up".into(), api, model: "m1".into(), base_url: tap.url(flavor.base_path()) };
    let stack = Stack::start(ConfigDoc::new(vec![provider], "up/m1").load()).await;

    let http = client();
    let response =
        http.post(stack.url(path)).json(&hello_request(dialect, "up/m1", true)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{label}");
    let mut body = response.bytes_stream();
    body.next().await.expect("a first chunk").unwrap();
    assert_eq!(tap.opened(), 1, "{label}: one upstream connection");
    // Control: while the client reads, the upstream connection stays open.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(tap.closed_by_gateway() + tap.closed_by_upstream(), 0, "{label}: still streaming");

    drop(body);
    drop(http);
    tokio::time::timeout(PROMPTLY, tap.wait_closed_by_gateway(1)).await.unwrap_or_else(|_| {
        panic!("{label}: the upstream connection was still open {PROMPTLY:?} after the client left")
    });
    assert_eq!(tap.closed_by_upstream(), 0, "{label}: the gateway closed it, not the upstream");

    let relayed = tap.downstream_bytes();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(tap.downstream_bytes(), relayed, "{label}: nothing more was streamed after the close");
    assert_eq!(mock.requests().len(), 1, "{label}: no retry, no other call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_disconnect_closes_the_upstream_connection_in_every_dialect() {
    for (dialect, path) in INGRESS {
        for (api, flavor) in UPSTREAMS {
            disconnect(dialect, path, api, flavor).await;
        }
    }
}
