//! Tool parameter schemas cleaned for servers that cannot take every JSON Schema keyword:
//! `compat.unsupportedToolSchemaKeywords` are removed everywhere, and OpenClaw's `llamacpp`
//! tool-schema profile (default for llama.cpp, Ollama and LM Studio) drops `pattern` and any
//! `maxLength` of 2000 or more, which llama.cpp's grammar builder chokes on. The walk follows the
//! schema's structure, so a property *named* like a keyword (`"pattern": {…}`) is kept.

use config::api::Api;
use config::registry::ResolvedModel;
use serde_json::{Map, Value};

/// `maxLength` values from this size up are dropped by the `llamacpp` profile.
const LLAMACPP_MAX_LENGTH_LIMIT: u64 = 2000;

/// Providers whose tool schemas get the `llamacpp` profile unless `compat.toolSchemaProfile` says
/// otherwise.
const LLAMACPP_PROFILE_PROVIDERS: &[&str] = &["llama-cpp", "llamacpp", "ollama", "lmstudio"];

/// Removes schema keywords the server's grammar builder cannot handle.
#[derive(Debug, Default)]
pub struct ToolSchemaCleaner {
    llamacpp: bool,
    unsupported: Vec<String>,
}

impl ToolSchemaCleaner {
    /// The cleaner for a model: `compat.toolSchemaProfile` decides; without one, the `llamacpp`
    /// profile applies to llama.cpp, Ollama (any provider on the native api) and LM Studio.
    pub fn for_model(model: &ResolvedModel) -> Self {
        let compat = &model.compat;
        let llamacpp = match compat.tool_schema_profile.as_deref() {
            Some(profile) => profile.eq_ignore_ascii_case("llamacpp"),
            None => model.api == Api::Ollama || LLAMACPP_PROFILE_PROVIDERS.contains(&model.provider.as_str()),
        };
        ToolSchemaCleaner {
            llamacpp,
            unsupported: compat.unsupported_tool_schema_keywords.clone().unwrap_or_default(),
        }
    }

    /// Cleans a schema and every schema nested in it (property names are never touched).
    pub fn clean(&self, schema: &mut Value) {
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
            if object.get("maxLength").and_then(Value::as_u64).is_some_and(|n| n >= LLAMACPP_MAX_LENGTH_LIMIT)
            {
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
    use serde_json::json;

    use super::*;

    fn model() -> ResolvedModel {
        ResolvedModel::new("ollama", "qwen3:8b", Api::Ollama, "http://127.0.0.1:11434")
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
        ToolSchemaCleaner::for_model(&model()).clean(&mut schema);
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
        let mut model = model();
        model.compat.tool_schema_profile = Some("none".into());
        model.compat.unsupported_tool_schema_keywords = Some(vec!["format".into()]);
        let mut schema = json!({"type": "object", "properties": {"when": {"type": "string", "format": "date", "pattern": "p"}}});
        ToolSchemaCleaner::for_model(&model).clean(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {"when": {"type": "string", "pattern": "p"}}})
        );
    }
}
