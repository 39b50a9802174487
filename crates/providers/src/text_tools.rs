//! Holding back streamed text that may be a tool call printed as text (Hermes / Qwen `<tool_call>`,
//! Qwen3-Coder `<function=…>`, LM Studio `[TOOL_REQUEST]`, OpenClaw's `[tool_name]{…}`), so a
//! streaming client never sees the raw call: from the first marker on, text is kept until the end of
//! the stream, when `llm::reasoning` promotes the calls whose names were declared and the rest is
//! released as text. Only active when the request declared tools.

use llm::ToolSpec;

/// Splits streamed text into "safe to forward now" and "held until the end".
#[derive(Debug, Default)]
pub struct TextToolGate {
    /// Lowercase markers that start a text tool call.
    markers: Vec<String>,
    /// Text not yet forwarded: a possible marker prefix, or everything since a marker.
    pending: String,
    holding: bool,
}

impl TextToolGate {
    /// A gate for these declared tools; with none, every push passes straight through.
    pub fn new(tools: &[ToolSpec]) -> Self {
        let mut markers = Vec::new();
        if !tools.is_empty() {
            markers.extend(["<tool_call", "<function=", "[tool_request]"].map(String::from));
            markers.extend(tools.iter().map(|t| format!("[{}]", t.name.to_ascii_lowercase())));
        }
        TextToolGate { markers, pending: String::new(), holding: false }
    }

    /// Whether a marker was seen and text is being held until the end.
    pub fn is_holding(&self) -> bool {
        self.holding
    }

    /// Feeds text; returns the part that can be forwarded now (possibly empty). Without declared
    /// tools the text is handed back as it came, without a copy.
    pub fn push(&mut self, text: String) -> String {
        if self.markers.is_empty() {
            return text;
        }
        self.pending.push_str(&text);
        if self.holding {
            return String::new();
        }
        if let Some(pos) = self.earliest_marker() {
            self.holding = true;
            return self.pending.drain(..pos).collect();
        }
        let keep = self.marker_prefix_suffix();
        let cut = self.pending.len() - keep;
        self.pending.drain(..cut).collect()
    }

    /// The stream ended: everything still held (empty when nothing was).
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.pending)
    }

    fn earliest_marker(&self) -> Option<usize> {
        let lower = self.pending.to_ascii_lowercase();
        self.markers.iter().filter_map(|m| lower.find(m.as_str())).min()
    }

    /// Length of the longest suffix of `pending` that is a proper prefix of some marker. Markers are
    /// ASCII and start with `<` or `[`, so the cut is always on a character boundary.
    fn marker_prefix_suffix(&self) -> usize {
        let bytes = self.pending.as_bytes();
        let longest = self.markers.iter().map(String::len).max().unwrap_or(0);
        let from = bytes.len().saturating_sub(longest);
        (from..bytes.len())
            .find(|&start| {
                let tail = &bytes[start..];
                self.markers
                    .iter()
                    .any(|m| m.len() > tail.len() && m.as_bytes()[..tail.len()].eq_ignore_ascii_case(tail))
            })
            .map_or(0, |start| bytes.len() - start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool(name: &str) -> ToolSpec {
        ToolSpec { name: name.into(), description: None, parameters: json!({"type": "object"}) }
    }

    #[test]
    fn without_tools_everything_passes() {
        let mut gate = TextToolGate::new(&[]);
        assert_eq!(gate.push("a <tool_call>{}".into()), "a <tool_call>{}");
        assert_eq!(gate.finish(), "");
    }

    #[test]
    fn holds_from_a_marker_split_across_pushes() {
        let mut gate = TextToolGate::new(&[tool("get_weather")]);
        assert_eq!(gate.push("Let me check. <tool".into()), "Let me check. ");
        assert_eq!(gate.push("_call>{\"name\":".into()), "");
        assert!(gate.is_holding());
        assert_eq!(gate.push("\"get_weather\"}</tool_call>".into()), "");
        assert_eq!(gate.finish(), "<tool_call>{\"name\":\"get_weather\"}</tool_call>");
    }

    #[test]
    fn a_false_start_is_released() {
        let mut gate = TextToolGate::new(&[tool("search")]);
        assert_eq!(gate.push("x <to".into()), "x ");
        assert_eq!(gate.push("day> is fine".into()), "<today> is fine");
        assert!(!gate.is_holding());
    }

    #[test]
    fn bracketed_declared_name_is_a_marker() {
        let mut gate = TextToolGate::new(&[tool("search")]);
        assert_eq!(gate.push("ok [sear".into()), "ok ");
        assert_eq!(gate.push("ch]{\"q\":1}".into()), "");
        assert!(gate.is_holding());
    }
}
