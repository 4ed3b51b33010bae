//! S3, locally, for a Distributed Map's `ItemReader` and `ResultWriter`:
//! `--s3-dir DIR` maps the object `s3://bucket/key` to the file
//! `DIR/bucket/key`. Nothing here talks to a network.

use std::path::{Component, Path, PathBuf};

use serde_json::{Value, json};

use super::failure::Failure;

/// A directory standing in for S3.
#[derive(Debug, Clone)]
pub struct LocalS3 {
    root: PathBuf,
}

impl LocalS3 {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalS3 { root: root.into() }
    }

    /// The file of an object. Bucket and key are refused when they would
    /// leave the directory (`..`, an absolute key), which S3 allows but a
    /// file system mapping cannot.
    fn file(&self, bucket: &str, key: &str) -> Result<PathBuf, String> {
        let relative = Path::new(bucket).join(key);
        let plain = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if bucket.is_empty() || bucket.contains('/') || !plain {
            return Err(format!(
                "s3://{bucket}/{key} cannot be mapped below the --s3-dir directory (an empty or `..` part, or an absolute key)"
            ));
        }
        Ok(self.root.join(relative))
    }

    /// An object's bytes; a missing object is S3's `NoSuchKey`.
    pub fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, String> {
        let file = self.file(bucket, key)?;
        std::fs::read(&file).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey) s3://{bucket}/{key} (looked for {})",
                file.display()
            ),
            _ => format!("s3://{bucket}/{key} could not be read from {}: {e}", file.display()),
        })
    }

    /// The objects of a bucket under `prefix`, in key order, in the shape
    /// of `listObjectsV2`'s `Contents` as the Distributed Map reads them.
    pub fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<Value>, String> {
        let dir = self.file(bucket, "")?;
        if !dir.is_dir() {
            return Err(format!(
                "The specified bucket does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchBucket) {bucket} (looked for {})",
                dir.display()
            ));
        }
        let mut files = Vec::new();
        walk(&dir, &mut files).map_err(|e| format!("listing s3://{bucket}: {e}"))?;
        let mut objects: Vec<(String, PathBuf)> = files
            .into_iter()
            .filter_map(|file| {
                let key = file
                    .strip_prefix(&dir)
                    .ok()?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                key.starts_with(prefix).then_some((key, file))
            })
            .collect();
        // S3 lists keys in the order of their UTF-8 bytes.
        objects.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        objects
            .into_iter()
            .map(|(key, file)| {
                let bytes =
                    std::fs::read(&file).map_err(|e| format!("s3://{bucket}/{key}: {e}"))?;
                let modified = std::fs::metadata(&file)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs());
                use md5::Digest;
                let etag: String = md5::Md5::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                Ok(json!({
                    "Etag": format!("\"{etag}\""),
                    "Key": key,
                    "LastModified": modified,
                    "Size": bytes.len(),
                    "StorageClass": "STANDARD",
                }))
            })
            .collect()
    }

    /// Writes an object whole or not at all (a temporary file renamed into
    /// place), creating the directories on the way.
    pub fn put(&self, bucket: &str, key: &str, bytes: &[u8]) -> Result<(), String> {
        let file = self.file(bucket, key)?;
        let dir = file.parent().unwrap_or(&self.root);
        let failed = |e: std::io::Error| {
            format!(
                "s3://{bucket}/{key} could not be written to {}: {e}",
                file.display()
            )
        };
        std::fs::create_dir_all(dir).map_err(failed)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
        std::io::Write::write_all(&mut temp, bytes).map_err(failed)?;
        temp.persist(&file).map_err(|e| failed(e.error))?;
        Ok(())
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A failure of the reader, as AWS names it.
pub fn reader_failed(cause: String) -> Failure {
    Failure::new(super::failure::ITEM_READER, cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_map_to_files_and_stay_inside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s3 = LocalS3::new(dir.path());
        s3.put("b", "in/a.json", b"[1]").expect("written");
        s3.put("b", "in/b.json", b"[22]").expect("written");
        s3.put("b", "other.txt", b"x").expect("written");
        assert_eq!(s3.get("b", "in/a.json").expect("read"), b"[1]");
        let missing = s3.get("b", "nope").expect_err("missing");
        assert!(missing.contains("NoSuchKey"), "{missing}");
        assert!(s3.get("b", "../etc/passwd").is_err());
        assert!(s3.get("..", "x").is_err());
        let listed = s3.list("b", "in/").expect("listed");
        let keys: Vec<&str> = listed.iter().filter_map(|o| o["Key"].as_str()).collect();
        assert_eq!(keys, ["in/a.json", "in/b.json"]);
        assert_eq!(listed[1]["Size"], 4);
        assert!(
            s3.list("nobucket", "")
                .expect_err("no bucket")
                .contains("NoSuchBucket")
        );
    }
}
