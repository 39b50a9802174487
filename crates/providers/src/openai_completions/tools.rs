//! Tool definitions and `tool_choice` in Chat Completions form, with the schema clean-up some
//! servers need: `compat.unsupportedToolSchemaKeywords` are removed everywhere in a schema, and the
//! `llamacpp` tool-schema profile (applied by default for llama.cpp, Ollama and LM Studio) drops
//! `pattern` and any `maxLength` of 2000 or more, which llama.cpp's grammar builder chokes on.

use config::types::Compat;
use llm::{ToolChoice, ToolSpec};
use serde_json::{json, Map, Value};

/// `maxLength` values from this size up are dropped by the `llamacpp` profile.
const LLAMACPP_MAX_LENGTH_LIMIT: u64 = 2000;

/// Providers whose tool schemas get the `llamacpp` profile unless `compat.toolSchemaProfile` says
/// otherwise.
const LLAMACPP_PROFILE_PROVIDERS: &[&str] = &["llama-cpp", "llamacpp", "ollama", "lmstudio"];

/// How tool schemas are cleaned for one model.
#[derive(Debug, Default)]
pub(super) struct SchemaPolicy {
    removed_keywords: Vec<String>,
    llamacpp: bool,
}

impl SchemaPolicy {
    pub(super) fn new(provider: &str, compat: &Compat) -> Self {
        let llamacpp = match compat.tool_schema_profile.as_deref() {
            Some(profile) => profile.eq_ignore_ascii_case("llamacpp"),
            None => LLAMACPP_PROFILE_PROVIDERS.contains(&provider),
        };
        SchemaPolicy {
            removed_keywords: compat.unsupported_tool_schema_keywords.clone().unwrap_or_default(),
            llamacpp,
        }
    }

    /// A copy of `schema` with the keywords this server rejects removed, at every depth.
    pub(super) fn clean(&self, schema: &Value) -> Value {
        let mut schema = schema.clone();
        if self.llamacpp || !self.removed_keywords.is_empty() {
            self.clean_in_place(&mut schema);
        }
        schema
    }

    fn clean_in_place(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, v| !self.drops(key, v));
                for v in map.values_mut() {
                    self.clean_in_place(v);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.clean_in_place(v)),
            _ => {}
        }
    }

    fn drops(&self, key: &str, value: &Value) -> bool {
        if self.removed_keywords.iter().any(|k| k == key) {
            return true;
        }
        self.llamacpp
            && (key == "pattern" && value.is_string()
                || key == "maxLength" && value.as_u64().is_some_and(|n| n >= LLAMACPP_MAX_LENGTH_LIMIT))
    }
}

/// The `tools` array. `strict: false` is sent only to servers that know the field.
pub(super) fn tool_definitions(tools: &[ToolSpec], policy: &SchemaPolicy, compat: &Compat) -> Vec<Value> {
    tools
        .iter()
        .map(|tool| {
            let mut function = Map::new();
            function.insert("name".into(), json!(tool.name));
            if let Some(description) = &tool.description {
                function.insert("description".into(), json!(description));
            }
            function.insert("parameters".into(), policy.clean(&parameters_or_empty(&tool.parameters)));
            if compat.supports_strict_mode == Some(true) {
                function.insert("strict".into(), Value::Bool(false));
            }
            json!({"type": "function", "function": function})
        })
        .collect()
}

/// An object schema: servers reject a tool whose `parameters` is missing or not an object.
fn parameters_or_empty(parameters: &Value) -> Value {
    if parameters.is_object() {
        parameters.clone()
    } else {
        json!({"type": "object", "properties": {}})
    }
}

/// `tool_choice` on the wire.
pub(super) fn tool_choice(choice: &ToolChoice) -> Value {
    match choice {
        ToolChoice::Auto => json!("auto"),
        ToolChoice::None => json!("none"),
        ToolChoice::Required => json!("required"),
        ToolChoice::Tool(name) => json!({"type": "function", "function": {"name": name}}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weather() -> ToolSpec {
        ToolSpec {
            name: "get_weather".into(),
            description: Some("Weather for a city".into()),
            parameters: json!({"type": "object", "properties": {
                "city": {"type": "string", "pattern": "^[A-Z]", "maxLength": 4000, "format": "city"},
                "days": {"type": "integer", "maxLength": 10}
            }, "required": ["city"]}),
        }
    }

    #[test]
    fn tools_become_functions_with_their_schema() {
        let policy = SchemaPolicy::new("vllm", &Compat::default());
        let tools = tool_definitions(&[weather()], &policy, &Compat::default());
        assert_eq!(tools[0]["type"], "function");
        assert_eq!(tools[0]["function"]["name"], "get_weather");
        assert_eq!(tools[0]["function"]["description"], "Weather for a city");
        assert_eq!(tools[0]["function"]["parameters"], weather().parameters);
        assert!(tools[0]["function"].get("strict").is_none());
    }

    #[test]
    fn strict_is_sent_only_when_the_server_supports_it() {
        let compat = Compat { supports_strict_mode: Some(true), ..Compat::default() };
        let tools = tool_definitions(&[weather()], &SchemaPolicy::default(), &compat);
        assert_eq!(tools[0]["function"]["strict"], false);
    }

    #[test]
    fn unsupported_keywords_are_removed_at_every_depth() {
        let compat =
            Compat { unsupported_tool_schema_keywords: Some(vec!["format".into()]), ..Compat::default() };
        let cleaned = SchemaPolicy::new("vllm", &compat).clean(&weather().parameters);
        assert!(cleaned["properties"]["city"].get("format").is_none());
        assert_eq!(cleaned["properties"]["city"]["pattern"], "^[A-Z]");
    }

    #[test]
    fn llamacpp_profile_drops_patterns_and_long_max_lengths() {
        let cleaned = SchemaPolicy::new("llama-cpp", &Compat::default()).clean(&weather().parameters);
        let city = &cleaned["properties"]["city"];
        assert!(city.get("pattern").is_none());
        assert!(city.get("maxLength").is_none());
        assert_eq!(cleaned["properties"]["days"]["maxLength"], 10);
        let off = Compat { tool_schema_profile: Some("none".into()), ..Compat::default() };
        assert_eq!(SchemaPolicy::new("llama-cpp", &off).clean(&weather().parameters), weather().parameters);
    }

    #[test]
    fn a_missing_schema_becomes_an_empty_object_schema() {
        let tool = ToolSpec { name: "now".into(), description: None, parameters: Value::Null };
        let tools = tool_definitions(&[tool], &SchemaPolicy::default(), &Compat::default());
        assert_eq!(tools[0]["function"]["parameters"], json!({"type": "object", "properties": {}}));
        assert!(tools[0]["function"].get("description").is_none());
    }

    #[test]
    fn tool_choice_modes_and_named_tools() {
        assert_eq!(tool_choice(&ToolChoice::Auto), json!("auto"));
        assert_eq!(tool_choice(&ToolChoice::None), json!("none"));
        assert_eq!(tool_choice(&ToolChoice::Required), json!("required"));
        assert_eq!(
            tool_choice(&ToolChoice::Tool("get_weather".into())),
            json!({"type": "function", "function": {"name": "get_weather"}})
        );
    }
}
