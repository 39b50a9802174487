//! How Responses identities travel inside clawgate's domain types.
//!
//! - A tool call is announced with its `call_id` (what a `function_call_output` refers to). Transcripts
//!   written by OpenClaw store `"<call_id>|<item_id>"`; [`split_tool_call_id`] reads both forms.
//! - A reasoning item's replay state is its `encrypted_content`. Replaying it needs the item id too
//!   (the API rejects a reasoning input item without one), so the thinking signature is written as
//!   `"<item_id>|<encrypted_content>"` ([`reasoning_state`]) and read back by [`parse_reasoning_state`].
//!   Encrypted content is base64, so it never holds a `|`.

/// `(call_id, item_id)` of a tool-call id; `item_id` only for the `"<call_id>|<item_id>"` form.
pub fn split_tool_call_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('|') {
        Some((call, item)) if !call.is_empty() => (call, Some(item).filter(|i| !i.is_empty())),
        _ => (id, None),
    }
}

/// The thinking signature of a reasoning item: `"<item_id>|<encrypted_content>"`, or the encrypted
/// content alone when the item had no id.
pub fn reasoning_state(item_id: &str, encrypted: &str) -> String {
    if item_id.is_empty() {
        encrypted.to_owned()
    } else {
        format!("{item_id}|{encrypted}")
    }
}

/// Reads a replay state written by [`reasoning_state`]: `(item_id, encrypted_content)`. A value with no
/// `rs`-prefixed id before a `|` is taken as bare encrypted content.
pub fn parse_reasoning_state(state: &str) -> (Option<&str>, &str) {
    match state.split_once('|') {
        Some((id, encrypted)) if id.starts_with("rs") && !encrypted.is_empty() => (Some(id), encrypted),
        _ => (None, state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_call_ids_split_on_the_bar() {
        assert_eq!(split_tool_call_id("call_abc|fc_123"), ("call_abc", Some("fc_123")));
        assert_eq!(split_tool_call_id("call_abc"), ("call_abc", None));
        assert_eq!(split_tool_call_id("call_abc|"), ("call_abc", None));
        assert_eq!(split_tool_call_id("|fc_1"), ("|fc_1", None));
    }

    #[test]
    fn reasoning_state_round_trips() {
        let state = reasoning_state("rs_01", "gAAAAB==");
        assert_eq!(state, "rs_01|gAAAAB==");
        assert_eq!(parse_reasoning_state(&state), (Some("rs_01"), "gAAAAB=="));
        assert_eq!(parse_reasoning_state("gAAAAB=="), (None, "gAAAAB=="));
        assert_eq!(reasoning_state("", "gAAAAB=="), "gAAAAB==");
    }
}
