//! The hash algorithms Step Functions offers, shared by the intrinsic
//! `States.Hash` and JSONata's `$hash`.

/// The names AWS accepts, in the order its documentation lists them.
pub const ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// The lowercase hexadecimal digest of `data`, or `None` for an algorithm
/// AWS does not offer.
pub fn hex(algorithm: &str, data: &[u8]) -> Option<String> {
    use sha2::Digest;
    let bytes: Vec<u8> = match algorithm {
        "MD5" => md5::Md5::digest(data).to_vec(),
        "SHA-1" => sha1::Sha1::digest(data).to_vec(),
        "SHA-256" => sha2::Sha256::digest(data).to_vec(),
        "SHA-384" => sha2::Sha384::digest(data).to_vec(),
        "SHA-512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    };
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
