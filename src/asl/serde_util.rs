//! Serde helpers for ASL's fields where `null` means something.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `InputPath`, `OutputPath` and `ResultPath` distinguish absent (the
/// default path `$`) from `null` (discard). `None` is absent, `Some(None)`
/// is `null`, `Some(Some(path))` a path.
pub type NullablePath = Option<Option<String>>;

/// Reads a present field into `Some(...)`, `null` included; with
/// `#[serde(default)]` an absent field stays `None`.
pub fn nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NullablePath, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// A JSON value field where `null` is a value, not an absence: a JSONata
/// `"Output": null` outputs null.
pub fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}
