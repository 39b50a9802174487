//! Operations endpoints: `/healthz` (the process answers), `/readyz` (accepting work; 503 while
//! draining for shutdown), `/metrics` (Prometheus text).

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};

use crate::state::AppState;

pub async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.lifecycle.draining.is_cancelled() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining\n").into_response()
    } else {
        (StatusCode::OK, "ready\n").into_response()
    }
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let mut text = state.metrics.render();
    render_cooldowns(&mut text, &state.backend.cooldowns());
    let mut response = (StatusCode::OK, text).into_response();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// `clawgate_cooldown_remaining_seconds` and `clawgate_cooldown_failures`, one series per cooling
/// model (label values escaped as Prometheus requires).
fn render_cooldowns(out: &mut String, cooldowns: &[crate::backend::CooldownInfo]) {
    use std::fmt::Write;
    let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    out.push_str("# HELP clawgate_cooldown_remaining_seconds Seconds until a cooling model (or provider/*) is tried again.\n");
    out.push_str("# TYPE clawgate_cooldown_remaining_seconds gauge\n");
    for c in cooldowns {
        let _ = writeln!(
            out,
            "clawgate_cooldown_remaining_seconds{{model=\"{}\",reason=\"{}\"}} {:.3}",
            escape(&c.target),
            escape(&c.reason),
            c.remaining.as_secs_f64()
        );
    }
    out.push_str("# HELP clawgate_cooldown_failures Failures counted in the current cooldown window.\n");
    out.push_str("# TYPE clawgate_cooldown_failures gauge\n");
    for c in cooldowns {
        let _ = writeln!(out, "clawgate_cooldown_failures{{model=\"{}\"}} {}", escape(&c.target), c.failures);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::render_cooldowns;
    use crate::backend::CooldownInfo;

    #[test]
    fn cooldowns_render_as_gauges() {
        let mut out = String::new();
        let c = CooldownInfo {
            target: "lmstudio/qwen3".into(),
            reason: "timeout".into(),
            remaining: Duration::from_millis(29_500),
            failures: 2,
        };
        render_cooldowns(&mut out, &[c]);
        assert!(
            out.contains(
                "clawgate_cooldown_remaining_seconds{model=\"lmstudio/qwen3\",reason=\"timeout\"} 29.500\n"
            ),
            "{out}"
        );
        assert!(out.contains("clawgate_cooldown_failures{model=\"lmstudio/qwen3\"} 2\n"), "{out}");
    }
}
