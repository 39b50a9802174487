//! The three client dialects the gateway speaks.

/// A client-facing API dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// OpenAI Chat Completions (`/v1/chat/completions`).
    Chat,
    /// OpenAI Responses (`/v1/responses`).
    Responses,
    /// Anthropic Messages (`/v1/messages`).
    Messages,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Chat, Dialect::Responses, Dialect::Messages];

    /// A dense index for per-dialect tables.
    pub fn index(self) -> usize {
        match self {
            Dialect::Chat => 0,
            Dialect::Responses => 1,
            Dialect::Messages => 2,
        }
    }

    /// The metric label.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Chat => "chat",
            Dialect::Responses => "responses",
            Dialect::Messages => "messages",
        }
    }

    /// The dialect whose error shape a request to `path` expects: Anthropic's under `/v1/messages`,
    /// OpenAI's everywhere else.
    pub fn for_path(path: &str) -> Dialect {
        if path.starts_with("/v1/messages") {
            Dialect::Messages
        } else if path.starts_with("/v1/responses") {
            Dialect::Responses
        } else {
            Dialect::Chat
        }
    }

    /// Whether errors are written in Anthropic's shape.
    pub fn is_anthropic(self) -> bool {
        self == Dialect::Messages
    }
}
