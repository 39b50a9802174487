//! Tool definitions and `tool_choice` in Chat Completions form; parameter schemas go through
//! [`ToolSchemaCleaner`].

use config::types::Compat;
use llm::{ToolChoice, ToolSpec};
use serde_json::{json, Map, Value};

use crate::tool_schema::ToolSchemaCleaner;

/// The `tools` array. `strict: false` is sent only to servers that know the field.
pub(super) fn tool_definitions(
    tools: &[ToolSpec],
    cleaner: &ToolSchemaCleaner,
    compat: &Compat,
) -> Vec<Value> {
    tools
        .iter()
        .map(|tool| {
            let mut function = Map::new();
            function.insert("name".into(), json!(tool.name));
            if let Some(description) = &tool.description {
                function.insert("description".into(), json!(description));
            }
            let mut parameters = parameters_or_empty(&tool.parameters);
            cleaner.clean(&mut parameters);
            function.insert("parameters".into(), parameters);
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
    use config::api::Api;
    use config::registry::ResolvedModel;

    use super::*;

    fn cleaner(provider: &str, compat: Compat) -> ToolSchemaCleaner {
        let mut model = ResolvedModel::new(provider, "m", Api::OpenaiCompletions, "http://127.0.0.1:8000/v1");
        model.compat = compat;
        ToolSchemaCleaner::for_model(&model)
    }

    fn clean_copy(cleaner: &ToolSchemaCleaner, schema: &Value) -> Value {
        let mut schema = schema.clone();
        cleaner.clean(&mut schema);
        schema
    }

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
        let tools = tool_definitions(&[weather()], &cleaner("vllm", Compat::default()), &Compat::default());
        assert_eq!(tools[0]["type"], "function");
        assert_eq!(tools[0]["function"]["name"], "get_weather");
        assert_eq!(tools[0]["function"]["description"], "Weather for a city");
        assert_eq!(tools[0]["function"]["parameters"], weather().parameters);
        assert!(tools[0]["function"].get("strict").is_none());
    }

    #[test]
    fn strict_is_sent_only_when_the_server_supports_it() {
        let compat = Compat { supports_strict_mode: Some(true), ..Compat::default() };
        let tools = tool_definitions(&[weather()], &ToolSchemaCleaner::default(), &compat);
        assert_eq!(tools[0]["function"]["strict"], false);
    }

    #[test]
    fn unsupported_keywords_are_removed_at_every_depth() {
        let compat =
            Compat { unsupported_tool_schema_keywords: Some(vec!["format".into()]), ..Compat::default() };
        let cleaned = clean_copy(&cleaner("vllm", compat), &weather().parameters);
        assert!(cleaned["properties"]["city"].get("format").is_none());
        assert_eq!(cleaned["properties"]["city"]["pattern"], "^[A-Z]");
    }

    #[test]
    fn llamacpp_profile_drops_patterns_and_long_max_lengths() {
        let cleaned = clean_copy(&cleaner("llama-cpp", Compat::default()), &weather().parameters);
        let city = &cleaned["properties"]["city"];
        assert!(city.get("pattern").is_none());
        assert!(city.get("maxLength").is_none());
        assert_eq!(cleaned["properties"]["days"]["maxLength"], 10);
        let off = Compat { tool_schema_profile: Some("none".into()), ..Compat::default() };
        assert_eq!(clean_copy(&cleaner("llama-cpp", off), &weather().parameters), weather().parameters);
    }

    #[test]
    fn a_missing_schema_becomes_an_empty_object_schema() {
        let tool = ToolSpec { name: "now".into(), description: None, parameters: Value::Null };
        let tools = tool_definitions(&[tool], &ToolSchemaCleaner::default(), &Compat::default());
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
