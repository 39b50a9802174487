//! Client requests → [`llm::ModelRequest`]: one module per dialect, plus the checks they share
//! (JSON parsing with the field at fault, numeric ranges, images and their limits — openclaw-behaviour
//! §7.2). Every rejection is an [`ApiError`] naming the field and the fix.

pub mod chat;
pub mod messages;
pub mod responses;

use bytes::Bytes;
use llm::ImageSource;
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;
use crate::settings::RequestLimits;

/// What every dialect's parser hands the handler.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    /// The model as the client wrote it.
    pub model: String,
    pub request: llm::ModelRequest,
    pub stream: bool,
    /// Chat only: `stream_options.include_usage`.
    pub include_usage: bool,
}

/// Parses a JSON body; the error names the line and column serde stopped at.
pub fn parse_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::invalid("body", "the request body is empty; send a JSON object"));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid("body", format!("the request body is not a valid request: {e}")))
}

/// Checks that an optional number lies in `[min, max]`.
pub fn check_range(param: &str, value: Option<f64>, min: f64, max: f64) -> Result<(), ApiError> {
    match value {
        Some(v) if !(min..=max).contains(&v) || v.is_nan() => {
            Err(ApiError::invalid(param, format!("{param} is {v}, but must be between {min} and {max}")))
        }
        _ => Ok(()),
    }
}

/// The model field must name something.
pub fn check_model(model: &str) -> Result<(), ApiError> {
    if model.trim().is_empty() {
        return Err(ApiError::invalid(
            "model",
            "model is empty; name a model ref (\"provider/model\") or an alias — GET /v1/models lists them",
        ));
    }
    Ok(())
}

/// Counts images against the request limits as they are parsed.
#[derive(Debug)]
pub struct ImageBudget<'a> {
    limits: &'a RequestLimits,
    parts: usize,
    bytes: usize,
}

impl<'a> ImageBudget<'a> {
    pub fn new(limits: &'a RequestLimits) -> Self {
        Self { limits, parts: 0, bytes: 0 }
    }

    /// A `data:` or `https:` URL as an image source, counted against the limits.
    pub fn image_url(&mut self, param: &str, url: &str) -> Result<ImageSource, ApiError> {
        if let Some(rest) = url.strip_prefix("data:") {
            let (meta, data) = rest.split_once(',').ok_or_else(|| {
                ApiError::invalid(
                    param,
                    "the image data URL has no ',' before its data; use data:<type>;base64,<data>",
                )
            })?;
            let media_type = meta.strip_suffix(";base64").ok_or_else(|| {
                ApiError::invalid(param, "the image data URL is not base64; use data:<type>;base64,<data>")
            })?;
            return self.base64(param, media_type, data);
        }
        self.count(param, 0)?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(ApiError::invalid(param, "an image URL must be a data: URL or an http(s) URL"));
        }
        if !self.limits.allow_image_urls {
            return Err(ApiError::invalid(
                param,
                "image URLs are disabled on this gateway; send the image inline as a data:<type>;base64 URL",
            ));
        }
        Ok(ImageSource::Url { url: url.to_string() })
    }

    /// Base64 image data, counted against the limits.
    pub fn base64(&mut self, param: &str, media_type: &str, data: &str) -> Result<ImageSource, ApiError> {
        if !media_type.starts_with("image/") {
            return Err(ApiError::invalid(param, format!("{media_type:?} is not an image media type")));
        }
        let decoded = data.len() / 4 * 3;
        if decoded > self.limits.max_image_bytes {
            return Err(ApiError::invalid(
                param,
                format!(
                    "an image is {} bytes decoded, over the {} byte limit per image; send a smaller image",
                    decoded, self.limits.max_image_bytes
                ),
            ));
        }
        self.count(param, decoded)?;
        Ok(ImageSource::Base64 { media_type: media_type.to_string(), data: data.to_string() })
    }

    fn count(&mut self, param: &str, bytes: usize) -> Result<(), ApiError> {
        self.parts += 1;
        self.bytes += bytes;
        if self.parts > self.limits.max_image_parts {
            return Err(ApiError::invalid(
                param,
                format!("the request has more than {} images; send fewer", self.limits.max_image_parts),
            ));
        }
        if self.bytes > self.limits.max_total_image_bytes {
            return Err(ApiError::invalid(
                param,
                format!(
                    "the images add up to more than {} bytes decoded; send fewer or smaller images",
                    self.limits.max_total_image_bytes
                ),
            ));
        }
        Ok(())
    }
}

/// Reasoning effort text (`reasoning_effort`, `reasoning.effort`) as the domain level.
pub fn reasoning_effort(param: &str, raw: Option<&str>) -> Result<Option<llm::ReasoningEffort>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    llm::ReasoningEffort::parse(raw).map(Some).ok_or_else(|| {
        ApiError::invalid(
            param,
            format!("{param} is {raw:?}; use none, minimal, low, medium, high, xhigh or max"),
        )
    })
}

/// Tool-call arguments as the JSON value the model wrote (text that is not JSON stays a string).
pub fn arguments(raw: &str) -> serde_json::Value {
    llm::assemble::parse_arguments(raw)
}

/// An empty object schema for tools declared without parameters.
pub fn empty_schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {}})
}

/// Appends system text, separating parts by a blank line.
pub fn push_system(system: &mut Option<String>, text: &str) {
    if text.is_empty() {
        return;
    }
    match system {
        Some(s) => {
            s.push_str("\n\n");
            s.push_str(text);
        }
        None => *system = Some(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_limits_count_parts_and_bytes() {
        let limits = RequestLimits {
            max_image_parts: 2,
            max_image_bytes: 30,
            max_total_image_bytes: 40,
            ..Default::default()
        };
        let mut budget = ImageBudget::new(&limits);
        let small = "A".repeat(24); // 18 bytes decoded
        assert!(budget.image_url("a", &format!("data:image/png;base64,{small}")).is_ok());
        assert!(budget.image_url("b", &format!("data:image/png;base64,{}", "A".repeat(48))).is_err());
        assert!(budget.image_url("c", &format!("data:image/png;base64,{small}")).is_ok());
        let third = budget.image_url("d", &format!("data:image/png;base64,{small}")).unwrap_err();
        assert!(third.message.contains("more than 2 images"), "{}", third.message);
    }

    #[test]
    fn image_urls_are_off_by_default() {
        let limits = RequestLimits::default();
        let err = ImageBudget::new(&limits).image_url("p", "https://example.com/cat.png").unwrap_err();
        assert!(err.message.contains("disabled"));
        let open = RequestLimits { allow_image_urls: true, ..Default::default() };
        assert!(ImageBudget::new(&open).image_url("p", "https://example.com/cat.png").is_ok());
    }

    #[test]
    fn ranges_include_their_ends() {
        assert!(check_range("t", Some(2.0), 0.0, 2.0).is_ok());
        assert!(check_range("t", Some(2.01), 0.0, 2.0).is_err());
        assert!(check_range("t", None, 0.0, 2.0).is_ok());
    }
}
