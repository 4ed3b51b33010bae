//! A builder that runs the real `nagare` binary in a scratch directory:
//! `Test::new().file("a.flow", SRC).args(["check", "a.flow"]).run().code(1)`.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// Set (`Some`) or removed (`None`), applied in order.
    envs: Vec<(String, Option<String>)>,
}

pub struct Output {
    /// The scratch directory, kept alive so a test can inspect what the run wrote.
    pub dir: tempfile::TempDir,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
            stdin: None,
            envs: Vec::new(),
        }
    }

    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(path, contents).expect("write file");
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// The scratch directory the binary runs in.
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.into(), Some(value.into())));
        self
    }

    /// Runs without `key` in the environment.
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub fn env_remove(mut self, key: &str) -> Self {
        self.envs.push((key.into(), None));
        self
    }

    pub fn run(self) -> Output {
        let mut command = Command::new(binary());
        command
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            match v {
                Some(v) => command.env(k, v),
                None => command.env_remove(k),
            };
        }
        let mut child = command.spawn().expect("spawn nagare");
        let input = self.stdin.unwrap_or_default();
        let mut stdin = child.stdin.take().expect("stdin");
        // The binary may exit before reading everything; that is fine.
        let writer = std::thread::spawn(move || drop(stdin.write_all(&input)));
        let stdout = drain(child.stdout.take().expect("stdout"));
        let stderr = drain(child.stderr.take().expect("stderr"));
        // A hang is a bug to report, not a reason to stall the suite.
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for nagare") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("nagare {:?} did not finish within {TIMEOUT:?}", self.args);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let _ = writer.join();
        let output = Output {
            dir: self.dir,
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout.join().expect("stdout reader")).into_owned(),
            stderr: String::from_utf8_lossy(&stderr.join().expect("stderr reader")).into_owned(),
        };
        assert!(
            !output.stderr.contains("panicked"),
            "nagare panicked:\n{}",
            output.stderr
        );
        output
    }
}

const TIMEOUT: Duration = Duration::from_secs(120);

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

impl Output {
    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn success(self) -> Self {
        self.code(0)
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub fn stdout_lacks(self, needle: &str) -> Self {
        assert!(
            !self.stdout.contains(needle),
            "stdout has {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_nagare"))
}

/// The repository root, for examples and fixtures.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `examples/*.flow`, sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "flow"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "expected at least five examples");
    files
}

/// A small valid flow for tests that need one.
pub const VALID: &str = r#"flow ok {
  collect fetch {
    run lambda "fetch" { payload: { date: $.input.date } }
  }
  transform shape after fetch {
    run athena { query: "SELECT 1" }
  }
}
"#;
