//! `tools` of an `/api/chat` request: `[{type: "function", function: {name, description, parameters}}]`.
//!
//! Ollama has no `tool_choice`, so the choice is expressed through the tool list: `none` sends no
//! tools, a named tool sends only that one, `auto` and `required` send them all (Ollama cannot force
//! a call).
//!
//! Parameter schemas go through [`ToolSchemaCleaner`] (the `llamacpp` profile by default).

use llm::{ModelRequest, ToolChoice, ToolSpec};
use wire::ollama::Tool;
use wire::openai_chat::FunctionDefinition;

use crate::request::RequestError;
use crate::target::Target;
use crate::tool_schema::ToolSchemaCleaner;

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
    let cleaner = ToolSchemaCleaner::for_model(&target.model);
    Ok(Some(selected.into_iter().map(|spec| tool(spec, &cleaner)).collect()))
}

fn tool(spec: &ToolSpec, cleaner: &ToolSchemaCleaner) -> Tool {
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
