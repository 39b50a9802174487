//! `GatewaySettings`: everything the server needs, resolved once from `gateway.*` of the config, the
//! environment snapshot and command-line overrides. Nothing below this module reads the process
//! environment.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use config::types::{GatewayAuthMode, GatewayConfig, SecretInput, SecretSource};
use config::{Env, Secret};

use crate::error::GatewayError;
use crate::ids::{IdSource, RandomIds};
use crate::Dialect;

/// OpenClaw's gateway port.
pub const DEFAULT_PORT: u16 = 18789;

/// How clients prove who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSettings {
    /// No check (loopback only).
    None,
    /// `Authorization: Bearer <token>` or `x-api-key: <token>`.
    Token(Secret),
    /// The same headers, carrying the password.
    Password(Secret),
}

impl AuthSettings {
    pub fn is_none(&self) -> bool {
        matches!(self, AuthSettings::None)
    }

    /// The shared secret clients must send, if any.
    pub fn secret(&self) -> Option<&Secret> {
        match self {
            AuthSettings::None => None,
            AuthSettings::Token(secret) | AuthSettings::Password(secret) => Some(secret),
        }
    }
}

/// Failed-auth rate limit per client IP (`gateway.auth.rateLimit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub max_attempts: u32,
    pub window: Duration,
    pub lockout: Duration,
    pub exempt_loopback: bool,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            window: Duration::from_secs(60),
            lockout: Duration::from_secs(300),
            exempt_loopback: true,
        }
    }
}

/// Request limits of openclaw-behaviour §7.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// Per dialect, in [`Dialect::index`] order.
    pub max_body_bytes: [usize; 3],
    pub max_image_parts: usize,
    pub max_image_bytes: usize,
    pub max_total_image_bytes: usize,
    /// Whether `https:` image URLs are accepted (off by default, as in OpenClaw).
    pub allow_image_urls: bool,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: [20 * 1024 * 1024; 3],
            max_image_parts: 8,
            max_image_bytes: 10 * 1024 * 1024,
            max_total_image_bytes: 20 * 1024 * 1024,
            allow_image_urls: false,
        }
    }
}

impl RequestLimits {
    pub fn body_limit(&self, dialect: Dialect) -> usize {
        self.max_body_bytes[dialect.index()]
    }
}

/// The resolved settings of one gateway.
#[derive(Clone)]
pub struct GatewaySettings {
    pub listen: SocketAddr,
    pub auth: AuthSettings,
    pub rate_limit: RateLimitSettings,
    pub limits: RequestLimits,
    /// Which ingress endpoints answer, in [`Dialect::index`] order.
    pub endpoints_enabled: [bool; 3],
    /// A keep-alive comment is sent after this much silence on a stream.
    pub keep_alive: Duration,
    /// How long streams in flight may run on after shutdown starts.
    pub shutdown_grace: Duration,
    pub ids: Arc<dyn IdSource>,
}

impl std::fmt::Debug for GatewaySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewaySettings")
            .field("listen", &self.listen)
            .field("auth", &self.auth)
            .field("rate_limit", &self.rate_limit)
            .field("limits", &self.limits)
            .field("keep_alive", &self.keep_alive)
            .field("shutdown_grace", &self.shutdown_grace)
            .finish_non_exhaustive()
    }
}

impl Default for GatewaySettings {
    /// Loopback on the default port, no auth, default limits.
    fn default() -> Self {
        Self {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            auth: AuthSettings::None,
            rate_limit: RateLimitSettings::default(),
            limits: RequestLimits::default(),
            endpoints_enabled: [true; 3],
            keep_alive: Duration::from_secs(15),
            shutdown_grace: Duration::from_secs(10),
            ids: Arc::new(RandomIds),
        }
    }
}

/// Command-line values that win over the config (`--port`, `--bind`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListenOverrides {
    pub port: Option<u16>,
    pub bind: Option<String>,
}

impl GatewaySettings {
    /// Resolves `gateway.*` against `env` (the config's environment snapshot). Port precedence:
    /// `--port` > `CLAWGATE_GATEWAY_PORT` / `OPENCLAW_GATEWAY_PORT` > `gateway.port` > 18789.
    pub fn from_config(
        gateway: &GatewayConfig,
        env: &Env,
        overrides: &ListenOverrides,
    ) -> Result<Self, GatewayError> {
        let env_port = ["CLAWGATE_GATEWAY_PORT", "OPENCLAW_GATEWAY_PORT"]
            .iter()
            .find_map(|var| env.get(var).and_then(|v| v.trim().parse::<u16>().ok()));
        let port = overrides.port.or(env_port).or(gateway.port).unwrap_or(DEFAULT_PORT);
        let bind = overrides.bind.as_deref().or(gateway.bind.as_deref()).unwrap_or("loopback");
        let ip = bind_ip(bind, gateway.custom_bind_host.as_deref())?;

        let mut settings = GatewaySettings {
            listen: SocketAddr::new(ip, port),
            auth: resolve_auth(gateway, env)?,
            rate_limit: rate_limit(gateway.auth.rate_limit.as_ref()),
            ..GatewaySettings::default()
        };
        if let Some(http) = &gateway.http {
            let endpoints = [
                http.endpoints.chat_completions.as_ref(),
                http.endpoints.responses.as_ref(),
                http.endpoints.messages.as_ref(),
            ];
            for (i, toggle) in endpoints.into_iter().enumerate() {
                let Some(toggle) = toggle else { continue };
                settings.endpoints_enabled[i] = toggle.enabled != Some(false);
                if let Some(max) = toggle.max_body_bytes {
                    settings.limits.max_body_bytes[i] = usize::try_from(max).unwrap_or(usize::MAX);
                }
            }
        }
        Ok(settings)
    }
}

fn bind_ip(bind: &str, custom_host: Option<&str>) -> Result<IpAddr, GatewayError> {
    match bind {
        "loopback" | "auto" => Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        "lan" => Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        "tailnet" => Err(GatewayError::TailnetUnsupported),
        "custom" => match custom_host.map(str::trim) {
            None | Some("") => Err(GatewayError::CustomBindHost { problem: "is not set".into() }),
            Some(host) => host.parse().map_err(|_| GatewayError::CustomBindHost {
                problem: format!("is {host:?}, which is not an IP address"),
            }),
        },
        other => Err(GatewayError::UnknownBind { value: other.to_string() }),
    }
}

fn resolve_auth(gateway: &GatewayConfig, env: &Env) -> Result<AuthSettings, GatewayError> {
    let auth = &gateway.auth;
    let token = match &auth.token {
        Some(input) => Some(read_secret("token", input, env)?),
        None => ["CLAWGATE_GATEWAY_TOKEN", "OPENCLAW_GATEWAY_TOKEN"]
            .iter()
            .find_map(|v| env.get(v))
            .map(Secret::new),
    };
    let password = match &auth.password {
        Some(input) => Some(read_secret("password", input, env)?),
        None => ["CLAWGATE_GATEWAY_PASSWORD", "OPENCLAW_GATEWAY_PASSWORD"]
            .iter()
            .find_map(|v| env.get(v))
            .map(Secret::new),
    };
    match auth.mode {
        Some(GatewayAuthMode::None) => Ok(AuthSettings::None),
        Some(GatewayAuthMode::Token) => token
            .map(AuthSettings::Token)
            .ok_or(GatewayError::MissingSecret { mode: "token", env: "CLAWGATE_GATEWAY_TOKEN" }),
        Some(GatewayAuthMode::Password) => password
            .map(AuthSettings::Password)
            .ok_or(GatewayError::MissingSecret { mode: "password", env: "CLAWGATE_GATEWAY_PASSWORD" }),
        Some(GatewayAuthMode::TrustedProxy) => Err(GatewayError::TrustedProxyUnsupported),
        None => match (token, password) {
            (Some(_), Some(_)) => Err(GatewayError::AmbiguousAuth),
            (Some(token), None) => Ok(AuthSettings::Token(token)),
            (None, Some(password)) => Ok(AuthSettings::Password(password)),
            (None, None) => Ok(AuthSettings::None),
        },
    }
}

fn read_secret(field: &'static str, input: &SecretInput, env: &Env) -> Result<Secret, GatewayError> {
    let unusable = |reason: String| GatewayError::UnusableSecret { field, reason };
    match input {
        SecretInput::Literal(raw) => {
            let raw = raw.trim();
            if let Some(var) = config::credentials::unresolved_var(raw) {
                return Err(unusable(format!("it uses ${{{var}}}, which is not set; export {var}")));
            }
            if raw.is_empty() {
                return Err(unusable("it is empty; set a value or remove the key".into()));
            }
            Ok(Secret::new(raw))
        }
        SecretInput::Ref(r) if r.source == SecretSource::Env => {
            env.get(&r.id).map(Secret::new).ok_or_else(|| {
                unusable(format!("the SecretRef reads env var {}, which is not set; export it", r.id))
            })
        }
        SecretInput::Ref(_) => Err(unusable(
            "only SecretRef source \"env\" is supported; use { source: \"env\", id: \"VAR\" } or \"${VAR}\""
                .into(),
        )),
    }
}

fn rate_limit(raw: Option<&serde_json::Value>) -> RateLimitSettings {
    let mut limit = RateLimitSettings::default();
    let Some(raw) = raw else { return limit };
    let ms = |key: &str| raw.get(key).and_then(serde_json::Value::as_u64).map(Duration::from_millis);
    if let Some(max) = raw.get("maxAttempts").and_then(serde_json::Value::as_u64) {
        limit.max_attempts = u32::try_from(max).unwrap_or(u32::MAX).max(1);
    }
    limit.window = ms("windowMs").unwrap_or(limit.window);
    limit.lockout = ms("lockoutMs").unwrap_or(limit.lockout);
    if let Some(exempt) = raw.get("exemptLoopback").and_then(serde_json::Value::as_bool) {
        limit.exempt_loopback = exempt;
    }
    limit
}
