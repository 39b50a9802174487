//! Parameter counts and quantization read from what servers report (`8.2B`, `270M`, `Q4_K_M`) or,
//! when they report nothing, from the model id (`qwen3-8b`, `Mixtral-8x7B`, `…-q4_k_m.gguf`,
//! `…-4bit`). Used by `doctor`'s small-model warning (openclaw-behaviour §9).

/// `8B` → 8.0, `8.2B` → 8.2, `270M` → 0.27, `1.5T` → 1500.0 (billions).
pub(crate) fn parse_parameter_size(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (number, scale) = match t.chars().last()? {
        'b' => (&t[..t.len() - 1], 1.0),
        'm' => (&t[..t.len() - 1], 0.001),
        't' => (&t[..t.len() - 1], 1000.0),
        _ => return None,
    };
    if let Some((experts, each)) = number.split_once('x') {
        let experts: f64 = experts.parse().ok()?;
        let each: f64 = each.parse().ok()?;
        return Some(experts * each * scale);
    }
    let value: f64 = number.parse().ok()?;
    (value > 0.0).then_some(value * scale)
}

/// `8.2` → `8.2B`, `0.27` → `270M`.
pub(crate) fn format_parameters(billions: f64) -> String {
    if billions < 1.0 {
        format!("{}M", (billions * 1000.0).round())
    } else {
        let rounded = (billions * 10.0).round() / 10.0;
        format!("{rounded}B")
    }
}

/// The parameter count (billions) an id or name states: the largest `<n>b` / `<n>m` / `<e>x<n>b`
/// token (`qwen3-30b-a3b` → 30, `gemma-3-270m-it` → 0.27, `Mixtral-8x7B` → 56).
pub fn parameters_from_name(name: &str) -> Option<f64> {
    name.split(['-', '_', ':', '/', ' '])
        .filter(|token| token.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter_map(parse_parameter_size)
        .fold(None, |best: Option<f64>, b| Some(best.map_or(b, |x| x.max(b))))
}

/// The quantization an id states: llama.cpp's `Q4_K_M` / `Q8_0` / `IQ3_XS`, MLX's `4bit`, or
/// `fp8` / `fp16` / `bf16` / `int4` / `int8` / `awq` / `gptq`; upper-cased for GGUF names.
pub(crate) fn quantization_from_name(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let alnum_at = |j: usize| bytes[j].is_ascii_alphanumeric();
    for (i, _) in lower.match_indices('q') {
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let start = if i >= 1 && bytes[i - 1] == b'i' && (i == 1 || !alnum_at(i - 2)) {
            i - 1 // IQ3_XS
        } else if i == 0 || !alnum_at(i - 1) {
            i
        } else {
            continue;
        };
        let end = lower[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(lower.len(), |n| i + n);
        return Some(lower[start..end].to_ascii_uppercase());
    }
    let tokens = lower.split(['-', '_', ':', '/', ' ', '.']);
    for token in tokens {
        let known = matches!(token, "fp8" | "fp16" | "bf16" | "int4" | "int8" | "awq" | "gptq")
            || token
                .strip_suffix("bit")
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if known {
            return Some(token.to_string());
        }
    }
    None
}

/// Bits per weight of a quantization name: `Q4_K_M` → 4, `IQ3_XS` → 3, `Q8_0` → 8, `4bit` → 4,
/// `fp16`/`bf16` → 16, `fp8`/`int8` → 8, `int4`/`awq`/`gptq` → 4.
pub fn quantization_bits(name: &str) -> Option<f64> {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        "f16" | "fp16" | "bf16" => return Some(16.0),
        "f32" | "fp32" => return Some(32.0),
        "fp8" | "int8" => return Some(8.0),
        "int4" | "awq" | "gptq" => return Some(4.0),
        _ => {}
    }
    if let Some(n) = lower.strip_suffix("bit") {
        return n.parse().ok();
    }
    let rest = lower.strip_prefix("iq").or_else(|| lower.strip_prefix('q'))?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_sizes() {
        for (text, want) in [("8B", 8.0), ("8.2B", 8.2), ("270M", 0.27), ("1.5T", 1500.0), ("8x7B", 56.0)] {
            let got = parse_parameter_size(text).unwrap();
            assert!((got - want).abs() < 1e-9, "{text}: {got}");
        }
        assert_eq!(parse_parameter_size(""), None);
        assert_eq!(parse_parameter_size("latest"), None);
    }

    #[test]
    fn sizes_from_ids() {
        let cases = [
            ("qwen3:8b", Some(8.0)),
            ("Qwen/Qwen3-8B", Some(8.0)),
            ("qwen3-30b-a3b", Some(30.0)),
            ("meta-llama/Llama-3.1-70B-Instruct", Some(70.0)),
            ("lmstudio-community/gemma-3-270m-it-qat", Some(0.27)),
            ("mistralai/Mixtral-8x7B-v0.1", Some(56.0)),
            ("minimax-m2.1", None),
            ("gpt-oss", None),
        ];
        for (id, want) in cases {
            assert_eq!(parameters_from_name(id), want, "{id}");
        }
    }

    #[test]
    fn quantization_from_ids_and_bits() {
        let cases = [
            ("qwen3-8b-q4_k_m.gguf", Some("Q4_K_M"), Some(4.0)),
            ("Llama-3.2-3B-Instruct-IQ3_XS", Some("IQ3_XS"), Some(3.0)),
            ("model-Q8_0.gguf", Some("Q8_0"), Some(8.0)),
            ("mlx-community/Qwen3-8B-4bit", Some("4bit"), Some(4.0)),
            ("Qwen/Qwen3-8B-AWQ", Some("awq"), Some(4.0)),
            ("qwen3:8b", None, None),
            ("Qwen/Qwen3-8B", None, None),
        ];
        for (id, name, bits) in cases {
            let q = quantization_from_name(id);
            assert_eq!(q.as_deref(), name, "{id}");
            assert_eq!(q.as_deref().and_then(quantization_bits), bits, "{id}");
        }
    }
}
