//! Reading what a client got, per dialect: the SSE frames of a stream (or the whole JSON answer), and
//! from them the visible text, the reasoning, the tool calls, the model, whether the stream completed
//! and the error event if any.

use serde_json::Value;

/// One SSE event: its `event:` name (if any) and its `data:` payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub event: Option<String>,
    pub data: String,
}

/// The events of an SSE body (keep-alive comments skipped).
pub fn frames(body: &str) -> Vec<Frame> {
    body.split("\n\n")
        .filter_map(|block| {
            let mut event = None;
            let mut data = Vec::new();
            for line in block.lines() {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = Some(name.to_owned());
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push(d);
                }
            }
            (event.is_some() || !data.is_empty()).then(|| Frame { event, data: data.join("\n") })
        })
        .collect()
}

/// What a client of one dialect read from one answer.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reading {
    /// Every text/content field, in order (deltas when streamed).
    pub texts: Vec<String>,
    /// Every reasoning field, in order (deltas when streamed).
    pub reasoning: Vec<String>,
    pub tool_calls: Vec<ToolCall>,
    /// Thinking signatures / encrypted reasoning (Messages `signature`, Responses `encrypted_content`).
    pub signatures: Vec<String>,
    /// The `model` the answer names.
    pub model: Option<String>,
    /// The completion marker arrived (`[DONE]`, `message_stop`, `response.completed`), or a whole
    /// answer was read.
    pub completed: bool,
    /// The error event, if one arrived.
    pub error: Option<Value>,
}

/// One tool call as the client read it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// The arguments JSON text (deltas joined).
    pub arguments: String,
}

impl ToolCall {
    fn new(id: &Value, name: &Value, arguments: String) -> Self {
        ToolCall { id: str_of(id).unwrap_or_default(), name: str_of(name).unwrap_or_default(), arguments }
    }
}

impl Reading {
    pub fn text(&self) -> String {
        self.texts.concat()
    }

    pub fn reasoning_text(&self) -> String {
        self.reasoning.concat()
    }
}

/// Reads a body of `dialect` (`chat`, `responses`, `messages`), streamed or whole.
pub fn read(dialect: &str, body: &str, streamed: bool) -> Reading {
    let mut r = Reading::default();
    if !streamed {
        let doc: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
        r.completed = true;
        match dialect {
            "chat" => read_chat_whole(&doc, &mut r),
            "responses" => read_responses_object(&doc, &mut r),
            "messages" => read_messages_whole(&doc, &mut r),
            other => panic!("unknown dialect {other}"),
        }
        return r;
    }
    for frame in frames(body) {
        if frame.data == "[DONE]" {
            r.completed = true;
            continue;
        }
        let doc: Value =
            serde_json::from_str(&frame.data).unwrap_or_else(|e| panic!("not JSON ({e}): {}", frame.data));
        match dialect {
            "chat" => read_chat_chunk(&doc, &mut r),
            "responses" => read_responses_event(&doc, &mut r),
            "messages" => read_messages_event(&doc, &mut r),
            other => panic!("unknown dialect {other}"),
        }
    }
    r
}

fn str_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn read_chat_chunk(doc: &Value, r: &mut Reading) {
    if doc.get("error").is_some() {
        r.error = Some(doc.clone());
        return;
    }
    r.model = r.model.take().or_else(|| str_of(&doc["model"]));
    let Some(choices) = doc["choices"].as_array() else { return };
    for choice in choices {
        let delta = &choice["delta"];
        r.texts.extend(str_of(&delta["content"]));
        r.reasoning.extend(str_of(&delta["reasoning_content"]));
        for call in delta["tool_calls"].as_array().into_iter().flatten() {
            let index = call["index"].as_u64().unwrap_or(0) as usize;
            if call["function"]["name"].is_string() {
                r.tool_calls.push(ToolCall::new(&call["id"], &call["function"]["name"], String::new()));
            }
            if let (Some(args), Some(slot)) =
                (call["function"]["arguments"].as_str(), r.tool_calls.get_mut(index))
            {
                slot.arguments.push_str(args);
            }
        }
    }
}

fn read_chat_whole(doc: &Value, r: &mut Reading) {
    r.model = str_of(&doc["model"]);
    let message = &doc["choices"][0]["message"];
    r.texts.extend(str_of(&message["content"]));
    r.reasoning.extend(str_of(&message["reasoning_content"]));
    for call in message["tool_calls"].as_array().into_iter().flatten() {
        let f = &call["function"];
        r.tool_calls.push(ToolCall::new(
            &call["id"],
            &f["name"],
            str_of(&f["arguments"]).unwrap_or_default(),
        ));
    }
}

fn read_responses_event(doc: &Value, r: &mut Reading) {
    let kind = doc["type"].as_str().unwrap_or_default();
    match kind {
        "response.created" => r.model = str_of(&doc["response"]["model"]),
        "response.output_text.delta" => r.texts.extend(str_of(&doc["delta"])),
        "response.reasoning_summary_text.delta" | "response.reasoning_text.delta" => {
            r.reasoning.extend(str_of(&doc["delta"]))
        }
        "response.output_item.added" if doc["item"]["type"] == "function_call" => {
            r.tool_calls.push(ToolCall::new(&doc["item"]["call_id"], &doc["item"]["name"], String::new()))
        }
        "response.function_call_arguments.delta" => {
            if let (Some(d), Some(last)) = (doc["delta"].as_str(), r.tool_calls.last_mut()) {
                last.arguments.push_str(d);
            }
        }
        "response.output_item.done" if doc["item"]["type"] == "reasoning" => {
            r.signatures.extend(str_of(&doc["item"]["encrypted_content"]))
        }
        "response.completed" | "response.incomplete" => r.completed = true,
        "error" | "response.failed" => r.error = Some(doc.clone()),
        _ => {}
    }
}

fn read_responses_object(doc: &Value, r: &mut Reading) {
    r.model = str_of(&doc["model"]);
    for item in doc["output"].as_array().into_iter().flatten() {
        match item["type"].as_str().unwrap_or_default() {
            "message" => {
                for part in item["content"].as_array().into_iter().flatten() {
                    r.texts.extend(str_of(&part["text"]));
                }
            }
            "reasoning" => {
                for part in item["summary"].as_array().into_iter().flatten() {
                    r.reasoning.extend(str_of(&part["text"]));
                }
                r.signatures.extend(str_of(&item["encrypted_content"]));
            }
            "function_call" => r.tool_calls.push(ToolCall::new(
                &item["call_id"],
                &item["name"],
                str_of(&item["arguments"]).unwrap_or_default(),
            )),
            _ => {}
        }
    }
}

fn read_messages_event(doc: &Value, r: &mut Reading) {
    match doc["type"].as_str().unwrap_or_default() {
        "message_start" => r.model = str_of(&doc["message"]["model"]),
        "content_block_start" if doc["content_block"]["type"] == "tool_use" => {
            let block = &doc["content_block"];
            r.tool_calls.push(ToolCall::new(&block["id"], &block["name"], String::new()))
        }
        "content_block_delta" => {
            let delta = &doc["delta"];
            match delta["type"].as_str().unwrap_or_default() {
                "text_delta" => r.texts.extend(str_of(&delta["text"])),
                "thinking_delta" => r.reasoning.extend(str_of(&delta["thinking"])),
                "signature_delta" => r.signatures.extend(str_of(&delta["signature"])),
                "input_json_delta" => {
                    if let (Some(d), Some(last)) = (delta["partial_json"].as_str(), r.tool_calls.last_mut()) {
                        last.arguments.push_str(d);
                    }
                }
                _ => {}
            }
        }
        "message_stop" => r.completed = true,
        "error" => r.error = Some(doc.clone()),
        _ => {}
    }
}

fn read_messages_whole(doc: &Value, r: &mut Reading) {
    r.model = str_of(&doc["model"]);
    for block in doc["content"].as_array().into_iter().flatten() {
        match block["type"].as_str().unwrap_or_default() {
            "text" => r.texts.extend(str_of(&block["text"])),
            "thinking" => {
                r.reasoning.extend(str_of(&block["thinking"]));
                r.signatures.extend(str_of(&block["signature"]));
            }
            "tool_use" => {
                r.tool_calls.push(ToolCall::new(&block["id"], &block["name"], block["input"].to_string()))
            }
            _ => {}
        }
    }
}

/// Every JSON document of a body with its reasoning-bearing parts removed (`reasoning_content`,
/// `thinking` blocks and deltas, reasoning items, `response.reasoning_*` events): what is left must
/// not contain any reasoning.
pub fn without_reasoning(body: &str) -> String {
    let docs: Vec<Value> = match serde_json::from_str::<Value>(body) {
        Ok(whole) => vec![whole],
        Err(_) => frames(body).into_iter().filter_map(|f| serde_json::from_str(&f.data).ok()).collect(),
    };
    docs.into_iter()
        .filter(|d| !d["type"].as_str().unwrap_or_default().starts_with("response.reasoning"))
        .map(|mut d| {
            strip(&mut d);
            d.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("reasoning_content");
            let kind = map.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
            if matches!(kind.as_str(), "thinking" | "thinking_delta") {
                map.remove("thinking");
            }
            if kind == "reasoning" {
                map.clear();
            }
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// The transcript with what a mock upstream made up at random replaced: its tool-call ids and its
/// thinking signatures (Anthropic's opaque `signature`, passed through as Responses
/// `encrypted_content`). Chat Completions' signature is the reasoning field's name: kept.
pub fn without_upstream_randomness(mut transcript: String, reading: &Reading) -> String {
    for call in reading.tool_calls.iter().filter(|c| !c.id.is_empty()) {
        transcript = transcript.replace(call.id.as_str(), "<upstream-tool-call-id>");
    }
    for signature in &reading.signatures {
        if !signature.is_empty() && !["reasoning_content", "reasoning"].contains(&signature.as_str()) {
            transcript = transcript.replace(signature.as_str(), "<upstream-signature>");
        }
    }
    transcript
}
