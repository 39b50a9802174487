//! The credential part of a cooldown key: a short fingerprint of the key in use (never the key
//! itself, so `state.db` holds no secret), or the `@profile` the ref named.

use providers::Auth;

/// `profile:<name>`, `key:<16 hex>`, `none` or `unusable`.
pub fn credential_id(auth: &Auth, profile: Option<&str>) -> String {
    if let Some(profile) = profile {
        return format!("profile:{profile}");
    }
    match auth {
        Auth::None => "none".to_owned(),
        Auth::Bearer(key) => format!("key:{:016x}", fnv1a(key.expose().as_bytes())),
        Auth::Header { name, value } => {
            format!("key:{:016x}", fnv1a(format!("{name}\n{}", value.expose()).as_bytes()))
        }
        Auth::Unusable(_) => "unusable".to_owned(),
    }
}

/// FNV-1a, 64 bit: stable across runs and builds (std's hasher is not), which persistence needs.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::Secret;

    #[test]
    fn fingerprints_are_stable_distinct_and_hide_the_key() {
        let a = credential_id(&Auth::Bearer(Secret::new("sk-secret-a")), None);
        let b = credential_id(&Auth::Bearer(Secret::new("sk-secret-b")), None);
        assert_ne!(a, b);
        assert_eq!(a, credential_id(&Auth::Bearer(Secret::new("sk-secret-a")), None));
        assert!(!a.contains("secret"));
        assert_eq!(credential_id(&Auth::None, None), "none");
        assert_eq!(credential_id(&Auth::None, Some("work")), "profile:work");
    }
}
