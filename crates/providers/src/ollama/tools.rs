//! `tools` of an `/api/chat` request: `[{type: "function", function: {name, description, parameters}}]`.
//!
//! Ollama has no `tool_choice`, so the choice is expressed through the tool list: `none` sends no
//! tools, a named tool sends only that one, `auto` and `required` send them all (Ollama cannot force
//! a call).
//!
//! Parameter schemas are cleaned for llama.cpp-style grammar builders, as OpenClaw's `llamacpp`
//! tool-schema profile does for its built-in Ollama provider: `pattern` and a `maxLength` of 2000 or
//! more are removed. `compat.toolSchemaProfile` set to another profile turns that off;
//! `compat.unsupportedToolSchemaKeywords` are removed in every case.

use llm::{ModelRequest, ToolChoice, ToolSpec};
use serde_json::{Map, Value};
use wire::ollama::Tool;
use wire::openai_chat::FunctionDefinition;

use crate::request::RequestError;
use crate::target::Target;

/// `maxLength` values from this size on are removed by the `llamacpp` profile.
const LONG_MAX_LENGTH: u64 = 2000;

/// The tools to declare, or `None` when none are to be sent.
pub(crate) fn chat_tools(target: &Target, request: &ModelRequest) -> Result<Option<Vec<Tool>>, RequestError> {
    if request.tools.is_empty() {
        return Ok(None);
    }
    let selected: Vec<&ToolSpec> = match &request.tool_choice {
        Some(ToolChoice::None) => return Ok(None),
        Some(ToolChoice::Tool(name)) => {
            let named: Vec<&ToolSpec> = request.tools.iter().filter(|t| &t.name == name).collect();
            if named.is_empty() {
                return Err(RequestError(format!(
                    "tool_choice names the tool `{name}`, which the request does not declare"
                )));
            }
            named
        }
        Some(ToolChoice::Auto | ToolChoice::Required) | None => request.tools.iter().collect(),
    };
    let cleaner = SchemaCleaner::for_target(target);
    Ok(Some(selected.into_iter().map(|spec| tool(spec, &cleaner)).collect()))
}

fn tool(spec: &ToolSpec, cleaner: &SchemaCleaner) -> Tool {
    let mut parameters = spec.parameters.clone();
    cleaner.clean(&mut parameters);
    Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: spec.name.clone(),
            description: spec.description.clone(),
            parameters: Some(parameters),
            strict: None,
        },
    }
}

/// Removes schema keywords the server's grammar builder cannot handle.
struct SchemaCleaner {
    llamacpp: bool,
    unsupported: Vec<String>,
}

impl SchemaCleaner {
    fn for_target(target: &Target) -> Self {
        let compat = &target.model.compat;
        let llamacpp = compat
            .tool_schema_profile
            .as_deref()
            .is_none_or(|profile| profile.eq_ignore_ascii_case("llamacpp"));
        SchemaCleaner {
            llamacpp,
            unsupported: compat.unsupported_tool_schema_keywords.clone().unwrap_or_default(),
        }
    }

    /// Cleans a schema and every schema nested in it (property names are never touched).
    fn clean(&self, schema: &mut Value) {
        let Value::Object(object) = schema else {
            return;
        };
        self.strip_keywords(object);
        for (key, value) in object.iter_mut() {
            match key.as_str() {
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                    if let Value::Object(named) = value {
                        named.values_mut().for_each(|s| self.clean(s));
                    }
                }
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "unevaluatedItems"
                | "unevaluatedProperties" => self.clean(value),
                "anyOf" | "oneOf" | "allOf" | "prefixItems" => {
                    if let Value::Array(list) = value {
                        list.iter_mut().for_each(|s| self.clean(s));
                    } else {
                        self.clean(value);
                    }
                }
                _ => {}
            }
        }
    }

    fn strip_keywords(&self, object: &mut Map<String, Value>) {
        if self.llamacpp {
            if object.get("pattern").is_some_and(Value::is_string) {
                object.remove("pattern");
            }
            if object.get("maxLength").and_then(Value::as_u64).is_some_and(|n| n >= LONG_MAX_LENGTH) {
                object.remove("maxLength");
            }
        }
        for keyword in &self.unsupported {
            object.remove(keyword);
        }
    }
}

#[cfg(test)]
mod tests {
    use config::api::Api;
    use config::registry::ResolvedModel;
    use serde_json::json;

    use super::*;

    fn target() -> Target {
        Target::new(ResolvedModel::new("ollama", "qwen3:8b", Api::Ollama, "http://127.0.0.1:11434"))
    }

    #[test]
    fn llamacpp_profile_strips_patterns_and_long_max_lengths_but_not_property_names() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 64},
                "body": {"type": "string", "maxLength": 100000},
                "tags": {"type": "array", "items": {"type": "string", "pattern": "x"}},
                "either": {"anyOf": [{"type": "string", "pattern": "y"}, {"type": "null"}]}
            },
            "required": ["pattern"]
        });
        SchemaCleaner::for_target(&target()).clean(&mut schema);
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "pattern": {"type": "string", "maxLength": 64},
                    "body": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "either": {"anyOf": [{"type": "string"}, {"type": "null"}]}
                },
                "required": ["pattern"]
            })
        );
    }

    #[test]
    fn another_profile_keeps_patterns_and_unsupported_keywords_always_go() {
        let mut target = target();
        target.model.compat.tool_schema_profile = Some("none".into());
        target.model.compat.unsupported_tool_schema_keywords = Some(vec!["format".into()]);
        let mut schema = json!({"type": "object", "properties": {"when": {"type": "string", "format": "date", "pattern": "p"}}});
        SchemaCleaner::for_target(&target).clean(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {"when": {"type": "string", "pattern": "p"}}})
        );
    }
}
