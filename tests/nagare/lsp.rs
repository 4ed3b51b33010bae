//! `nagare lsp` driven over stdio as an editor drives it: Content-Length
//! framing, requests and notifications, a timeout on every answer so a
//! hung server fails the test instead of hanging CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::binary;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(binary())
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nagare lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap_or(0)];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result (or error), skipping the
    /// notifications that arrive meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
        }
    }

    fn receive(&self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(10))
            .expect("the server answered within 10 s")
    }

    /// The next diagnostics published.
    fn diagnostics(&self) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }
}

const URI: &str = "file:///work/pipeline.flow";

const BROKEN: &str = "flow pipeline {\n  collect load {\n    run lambda \"f\"\n    catch States.ALL -> alert\n  }\n  transform shape after laod {\n    run athena { query: \"SELECT 1\" }\n  }\n  handler alert {\n    run sns { topic: \"t\", message: \"m\" }\n  }\n}\n";

fn position(text: &str, needle: &str, plus: usize) -> Value {
    let offset = text.find(needle).expect("needle") + plus;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}

fn at(text: &str, needle: &str, plus: usize) -> Value {
    json!({"textDocument": {"uri": URI}, "position": position(text, needle, plus)})
}

#[test]
fn an_editor_session_from_initialize_to_exit() {
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"], 1, "{init}");
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "renameProvider",
    ] {
        assert_eq!(caps[provider], true, "{provider}");
    }
    assert_eq!(init["result"]["serverInfo"]["name"], "nagare");
    client.notify("initialized", json!({}));

    // Diagnostics as you type: the same code and help as `nagare check`.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "flow", "version": 1, "text": BROKEN}}),
    );
    let published = client.diagnostics();
    let diags = published["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{published}");
    assert_eq!(diags[0]["code"], "nagare::E021");
    assert_eq!(diags[0]["range"]["start"], position(BROKEN, "laod", 0));
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `load`"),
        "{published}"
    );

    // Fixed: the diagnostics clear.
    let text = BROKEN.replace("laod", "load");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));

    let hover = client.request("textDocument/hover", at(&text, "after load", 7));
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(shown.contains("**collect** `load`"), "{hover}");
    assert!(shown.contains("catches States.ALL → `alert`"), "{hover}");

    let definition = client.request("textDocument/definition", at(&text, "-> alert", 4));
    assert_eq!(
        definition["result"]["range"]["start"],
        position(&text, "handler alert", 8)
    );

    let mut references = at(&text, "collect load", 9);
    references["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", references);
    assert_eq!(
        references["result"].as_array().map(Vec::len),
        Some(2),
        "{references}"
    );

    let completion = client.request("textDocument/completion", at(&text, "-> ", 3));
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["alert"]);

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let flow = &symbols["result"][0];
    assert_eq!(flow["name"], "pipeline");
    let children: Vec<&str> = flow["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(children, ["load", "shape", "alert"]);

    let mut rename = at(&text, "collect load", 9);
    rename["newName"] = json!("extract");
    let rename = client.request("textDocument/rename", rename);
    let edits = rename["result"]["changes"][URI].as_array().expect("edits");
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "extract"));
    let mut bad = at(&text, "collect load", 9);
    bad["newName"] = json!("not a name");
    assert!(client.request("textDocument/rename", bad)["error"].is_object());

    let messy = "flow x{collect a{run lambda \"f\"}}";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": messy}]}),
    );
    client.diagnostics();
    let formatting = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(
        formatting["result"][0]["newText"],
        "flow x {\n  collect a {\n    run lambda \"f\"\n  }\n}\n"
    );

    let shutdown = client.request("shutdown", Value::Null);
    assert!(shutdown["result"].is_null(), "{shutdown}");
    client.notify("exit", Value::Null);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            assert!(status.success(), "lsp exited with {status}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "lsp did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn garbage_on_stdin_ends_the_server_with_an_error_not_a_hang() {
    let mut client = Client::start();
    client
        .stdin
        .write_all(b"Content-Length: 5\r\n\r\n{not}")
        .expect("write");
    let _ = client.stdin.flush();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            assert!(!status.success());
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "lsp hung on bad input"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
