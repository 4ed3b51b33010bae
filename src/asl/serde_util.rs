//! Serde helpers for ASL's tri-state path fields.

use serde::{Deserialize, Deserializer};

/// `InputPath`, `OutputPath` and `ResultPath` distinguish absent (the
/// default path `$`) from `null` (discard). `None` is absent, `Some(None)`
/// is `null`, `Some(Some(path))` a path.
pub type NullablePath = Option<Option<String>>;

/// Reads a present field into `Some(...)`, `null` included; with
/// `#[serde(default)]` an absent field stays `None`.
pub fn nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NullablePath, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}
