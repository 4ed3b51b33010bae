//! `nagare lsp`: a language server over stdio (lsp-server, lsp-types; no
//! async runtime). Documents are re-checked whole on every change, which a
//! file of this language makes cheap; everything an editor asks is answered
//! from that `Analysis`.

mod analysis;

use std::collections::HashMap;
use std::error::Error;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References,
    Rename, Request as _,
};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams,
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, MarkupContent, MarkupKind,
    NumberOrString, OneOf, PublishDiagnosticsParams, ReferenceParams, RenameParams,
    ServerCapabilities, SymbolKind, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit,
    Uri, WorkspaceEdit,
};
use miette::Diagnostic as _;

pub use analysis::{Analysis, Occurrence, describe_error};

use crate::check::integrations::INTEGRATIONS;
use crate::syntax::ast::Clause;

type BoxError = Box<dyn Error + Send + Sync>;

/// Serves one client on stdin/stdout until it says `exit`.
pub fn serve() -> Result<(), BoxError> {
    let (connection, threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), ",".into(), ">".into(), "{".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    let (id, _params) = connection.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "nagare", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        connection: &connection,
        documents: HashMap::new(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    break;
                }
                server.request(request)?;
            }
            Message::Notification(notification) => server.notification(notification)?,
            Message::Response(_) => {}
        }
    }
    drop(server);
    drop(connection);
    threads.join()?;
    Ok(())
}

struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<String, (Uri, Analysis)>,
}

impl Server<'_> {
    fn send(&self, message: Message) -> Result<(), BoxError> {
        self.connection.sender.send(message).map_err(Into::into)
    }

    fn notification(&mut self, n: Notification) -> Result<(), BoxError> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                self.update(
                    p.text_document.uri,
                    p.text_document.text,
                    Some(p.text_document.version),
                )
            }
            DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                // Full sync: the last change holds the whole text.
                match p.content_changes.into_iter().last() {
                    Some(change) => self.update(
                        p.text_document.uri,
                        change.text,
                        Some(p.text_document.version),
                    ),
                    None => Ok(()),
                }
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                self.documents.remove(p.text_document.uri.as_str());
                self.publish(&p.text_document.uri, Vec::new(), None)
            }
            _ => Ok(()),
        }
    }

    fn update(&mut self, uri: Uri, text: String, version: Option<i32>) -> Result<(), BoxError> {
        let analysis = Analysis::new(text);
        let diagnostics = diagnostics(&uri, &analysis);
        self.documents
            .insert(uri.as_str().to_string(), (uri.clone(), analysis));
        self.publish(&uri, diagnostics, version)
    }

    fn publish(
        &self,
        uri: &Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), BoxError> {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.into(),
            params,
        )))
    }

    fn request(&mut self, r: Request) -> Result<(), BoxError> {
        let id = r.id.clone();
        let result = match r.method.as_str() {
            HoverRequest::METHOD => self.hover(serde_json::from_value(r.params)?),
            GotoDefinition::METHOD => self.definition(serde_json::from_value(r.params)?),
            References::METHOD => self.references(serde_json::from_value(r.params)?),
            Rename::METHOD => self.rename(serde_json::from_value(r.params)?),
            Completion::METHOD => self.completion(serde_json::from_value(r.params)?),
            DocumentSymbolRequest::METHOD => self.symbols(serde_json::from_value(r.params)?),
            Formatting::METHOD => self.format(serde_json::from_value(r.params)?),
            _ => {
                return self.send(Message::Response(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("nagare lsp does not handle {}", r.method),
                )));
            }
        };
        self.respond(id, result)
    }

    fn respond(
        &self,
        id: RequestId,
        result: Result<serde_json::Value, String>,
    ) -> Result<(), BoxError> {
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        };
        self.send(Message::Response(response))
    }

    fn document(&self, uri: &Uri) -> Result<&Analysis, String> {
        self.documents
            .get(uri.as_str())
            .map(|(_, a)| a)
            .ok_or_else(|| format!("{} is not open", uri.as_str()))
    }

    fn hover(&self, p: HoverParams) -> Result<serde_json::Value, String> {
        let doc = &p.text_document_position_params;
        let a = self.document(&doc.text_document.uri)?;
        let offset = a.offset(doc.position);
        let found = hover_text(a, offset);
        Ok(match found {
            Some((text, span)) => serde_json::to_value(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: text,
                }),
                range: Some(a.range(span)),
            })
            .map_err(|e| e.to_string())?,
            None => serde_json::Value::Null,
        })
    }

    fn definition(&self, p: GotoDefinitionParams) -> Result<serde_json::Value, String> {
        let doc = &p.text_document_position_params;
        let a = self.document(&doc.text_document.uri)?;
        let Some(at) = a.occurrence_at(a.offset(doc.position)) else {
            return Ok(serde_json::Value::Null);
        };
        let Some(stage) = a.stage(&at.name) else {
            return Ok(serde_json::Value::Null);
        };
        let location = Location::new(doc.text_document.uri.clone(), a.range(stage.name.span));
        serde_json::to_value(GotoDefinitionResponse::Scalar(location)).map_err(|e| e.to_string())
    }

    fn references(&self, p: ReferenceParams) -> Result<serde_json::Value, String> {
        let doc = &p.text_document_position;
        let a = self.document(&doc.text_document.uri)?;
        let Some(at) = a.occurrence_at(a.offset(doc.position)) else {
            return Ok(serde_json::Value::Null);
        };
        let locations: Vec<Location> = a
            .occurrences()
            .into_iter()
            .filter(|o| o.name == at.name && (p.context.include_declaration || !o.definition))
            .map(|o| Location::new(doc.text_document.uri.clone(), a.range(o.span)))
            .collect();
        serde_json::to_value(locations).map_err(|e| e.to_string())
    }

    // lsp-types keys WorkspaceEdit's changes by Uri, whose cached parts
    // clippy counts as interior mutability; the key is never mutated.
    #[allow(clippy::mutable_key_type)]
    fn rename(&self, p: RenameParams) -> Result<serde_json::Value, String> {
        let doc = &p.text_document_position;
        let a = self.document(&doc.text_document.uri)?;
        let Some(at) = a.occurrence_at(a.offset(doc.position)) else {
            return Err("rename a stage or handler name".into());
        };
        let new = p.new_name;
        let mut chars = new.chars();
        let valid = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !new.contains("->");
        if !valid {
            return Err(format!(
                "`{new}` is not a stage name: a letter or `_`, then letters, digits, `_` and `-`"
            ));
        }
        if new != at.name && a.stage(&new).is_some() {
            return Err(format!("a stage named `{new}` already exists"));
        }
        let edits: Vec<TextEdit> = a
            .occurrences()
            .into_iter()
            .filter(|o| o.name == at.name)
            .map(|o| TextEdit::new(a.range(o.span), new.clone()))
            .collect();
        let mut changes = HashMap::new();
        changes.insert(doc.text_document.uri.clone(), edits);
        serde_json::to_value(WorkspaceEdit::new(changes)).map_err(|e| e.to_string())
    }

    fn symbols(&self, p: DocumentSymbolParams) -> Result<serde_json::Value, String> {
        let a = self.document(&p.text_document.uri)?;
        let mut symbols = Vec::new();
        if let Some(file) = &a.checked.file {
            for flow in &file.flows {
                let children = flow
                    .stages()
                    .map(|s| {
                        symbol(
                            a,
                            &s.name.name,
                            s.kind.node.keyword(),
                            if s.is_handler() {
                                SymbolKind::EVENT
                            } else {
                                SymbolKind::FUNCTION
                            },
                            s.span,
                            s.name.span,
                            None,
                        )
                    })
                    .collect();
                symbols.push(symbol(
                    a,
                    &flow.name.name,
                    "flow",
                    SymbolKind::MODULE,
                    flow.span,
                    flow.name.span,
                    Some(children),
                ));
            }
            for test in &file.tests {
                symbols.push(symbol(
                    a,
                    &test.name.node,
                    "test",
                    SymbolKind::METHOD,
                    test.span,
                    test.name.span,
                    None,
                ));
            }
        }
        serde_json::to_value(DocumentSymbolResponse::Nested(symbols)).map_err(|e| e.to_string())
    }

    fn format(&self, p: DocumentFormattingParams) -> Result<serde_json::Value, String> {
        let a = self.document(&p.text_document.uri)?;
        match crate::fmt::format(&a.text) {
            Ok(text) if text != a.text => {
                let whole = a.range(crate::source::Span::new(0, a.text.len()));
                serde_json::to_value(vec![TextEdit::new(whole, text)]).map_err(|e| e.to_string())
            }
            Ok(_) => Ok(serde_json::json!([])),
            // A file that does not parse is not formatted; its errors are
            // already shown as diagnostics.
            Err(_) => Ok(serde_json::Value::Null),
        }
    }

    fn completion(&self, p: CompletionParams) -> Result<serde_json::Value, String> {
        let doc = &p.text_document_position;
        let a = self.document(&doc.text_document.uri)?;
        let offset = a.offset(doc.position);
        let items = completions(a, offset);
        serde_json::to_value(items).map_err(|e| e.to_string())
    }
}

#[allow(deprecated)] // DocumentSymbol's `deprecated` field must be written.
fn symbol(
    a: &Analysis,
    name: &str,
    detail: &str,
    kind: SymbolKind,
    span: crate::source::Span,
    name_span: crate::source::Span,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: name.to_string(),
        detail: Some(detail.to_string()),
        kind,
        tags: None,
        deprecated: None,
        range: a.range(span),
        selection_range: a.range(name_span),
        children,
    }
}

/// The same diagnostics, codes and help as `nagare check`.
fn diagnostics(uri: &Uri, a: &Analysis) -> Vec<Diagnostic> {
    a.checked
        .diags
        .iter()
        .map(|d| {
            let mut message = d.to_string();
            if let Some(help) = d.help() {
                message += &format!("\nhelp: {help}");
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .labels()
                .into_iter()
                .flatten()
                .skip(1)
                .map(|l| DiagnosticRelatedInformation {
                    location: Location::new(
                        uri.clone(),
                        a.range(crate::source::Span::new(l.offset(), l.offset() + l.len())),
                    ),
                    message: l.label().unwrap_or_default().to_string(),
                })
                .collect();
            Diagnostic {
                range: a.range(d.primary_span()),
                severity: Some(if d.is_error() {
                    DiagnosticSeverity::ERROR
                } else {
                    DiagnosticSeverity::WARNING
                }),
                code: Some(NumberOrString::String(d.code_str())),
                source: Some("nagare".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Diagnostic::default()
            }
        })
        .collect()
}

/// Hover: a stage name, an integration after `run`, or an error name.
fn hover_text(a: &Analysis, offset: usize) -> Option<(String, crate::source::Span)> {
    if let Some(at) = a.occurrence_at(offset) {
        let stage = a.stage(&at.name)?;
        return Some((a.describe_stage(stage), at.span));
    }
    for stage in a.stages() {
        if let Some(run) = stage.run()
            && run.integration.span.start <= offset
            && offset <= run.integration.span.end
        {
            let i = crate::check::integrations::find(&run.integration.name)?;
            let mut text = format!("**{}**: `{}`", i.name, i.resource);
            if let Some((what, example)) = i.target {
                text += &format!("\n\ntarget: {what} (e.g. `{example}`)");
            }
            for arg in i.args {
                let required = if arg.required { ", required" } else { "" };
                text += &format!("\n- `{}`: {}{required}", arg.name, arg.ty.describe());
            }
            return Some((text, run.integration.span));
        }
    }
    let (word, span) = a.word_at(offset)?;
    if word.contains('.') && !word.starts_with('.') {
        return describe_error(&word).map(|t| (t, span));
    }
    None
}

const KEYWORDS: &[&str] = &[
    "flow",
    "test",
    "collect",
    "transform",
    "visualize",
    "task",
    "handler",
    "defaults",
    "comment",
    "schedule",
    "timeout",
    "heartbeat",
    "output",
    "after",
    "when",
    "foreach",
    "concurrency",
    "run",
    "retry",
    "catch",
    "result",
    "then",
    "fail",
    "succeed",
    "max",
    "interval",
    "backoff",
    "max_delay",
    "jitter",
    "input",
    "mock",
    "return",
    "throw",
    "expect",
    "succeeded",
    "failed",
    "ran",
    "skipped",
    "attempts",
];

const ERRORS: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.DataLimitExceeded",
    "States.ResultPathMatchFailure",
    "States.IntrinsicFailure",
    "Lambda.ServiceException",
    "Lambda.TooManyRequestsException",
    "Lambda.Unknown",
];

/// What may be written at `offset`, judged from the text before it.
fn completions(a: &Analysis, offset: usize) -> Vec<CompletionItem> {
    let line_start = a.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &a.text[line_start..offset];
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let typing = !before.ends_with([' ', ',', '\t']);
    // The word before the one being typed decides.
    let context = if typing {
        words.iter().rev().nth(1)
    } else {
        words.last()
    }
    .copied()
    .unwrap_or_default();
    let item = |label: &str, kind: CompletionItemKind, detail: &str| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        ..CompletionItem::default()
    };
    let stages = |handlers_only: bool| -> Vec<CompletionItem> {
        a.stages()
            .into_iter()
            .filter(|s| !handlers_only || s.is_handler())
            .map(|s| {
                item(
                    &s.name.name,
                    CompletionItemKind::FUNCTION,
                    s.kind.node.keyword(),
                )
            })
            .collect()
    };
    let in_after = words.iter().rposition(|w| *w == "after").is_some_and(|i| {
        words[i + 1..]
            .iter()
            .all(|w| !KEYWORDS.contains(w) && !w.contains('{'))
    });
    match context {
        "->" => return stages(true),
        "mock" | "ran" | "skipped" | "attempts" => return stages(false),
        "run" => {
            return INTEGRATIONS
                .iter()
                .map(|i| item(i.name, CompletionItemKind::MODULE, i.resource))
                .collect();
        }
        "retry" | "catch" | "throw" | "failed" => return error_items(a, &item),
        _ if in_after => return stages(false),
        _ => {}
    }
    // Inside a run block: the integration's arguments not yet written.
    for stage in a.stages() {
        for clause in &stage.clauses {
            if let Clause::Run(run) = clause
                && let Some(args) = &run.args
                && args.span.start < offset
                && offset < args.span.end
                && let Some(i) = crate::check::integrations::find(&run.integration.name)
            {
                return i
                    .args
                    .iter()
                    .filter(|arg| args.get(arg.name).is_none())
                    .map(|arg| {
                        let mut c = item(arg.name, CompletionItemKind::FIELD, arg.ty.describe());
                        c.insert_text = Some(format!("{}: ", arg.name));
                        c
                    })
                    .collect();
            }
        }
    }
    // After an error list's comma, more error names.
    if words
        .first()
        .is_some_and(|w| *w == "retry" || *w == "catch")
        && !words
            .iter()
            .any(|w| KEYWORDS[25..].contains(w) || *w == "->")
    {
        return error_items(a, &item);
    }
    KEYWORDS
        .iter()
        .map(|k| item(k, CompletionItemKind::KEYWORD, ""))
        .collect()
}

fn error_items(
    a: &Analysis,
    item: &dyn Fn(&str, CompletionItemKind, &str) -> CompletionItem,
) -> Vec<CompletionItem> {
    let mut names: Vec<String> = ERRORS.iter().map(|e| e.to_string()).collect();
    // Error names the file already uses (a service's own, say).
    for stage in a.stages() {
        for clause in &stage.clauses {
            let errors = match clause {
                Clause::Retry(r) => &r.errors,
                Clause::Catch(c) => &c.errors,
                _ => continue,
            };
            names.extend(errors.iter().map(|e| e.name.clone()));
        }
    }
    names.sort();
    names.dedup();
    names
        .iter()
        .map(|n| item(n, CompletionItemKind::CONSTANT, "error name"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOW: &str = "flow f {\n  collect load {\n    run lambda \"x\" { payload: {} }\n    catch States.ALL -> h\n  }\n  transform b after load {\n    run athena { query: \"q\" }\n  }\n  handler h { run sns { topic: \"t\", message: \"m\" } }\n}\n";

    fn labels(text: &str, at: &str) -> Vec<String> {
        let a = Analysis::new(text.into());
        let offset = text.find(at).unwrap() + at.len();
        completions(&a, offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn completes_by_context() {
        assert!(labels(FLOW, "after ").contains(&"load".to_string()));
        assert_eq!(labels(FLOW, "-> "), ["h"]);
        assert!(labels(FLOW, "run ").contains(&"glue.crawler".to_string()));
        assert!(labels(FLOW, "catch ").contains(&"States.TaskFailed".to_string()));
        // Inside athena's run block: its arguments not yet written.
        let inside = labels(FLOW, "query: \"q\" ");
        assert!(inside.contains(&"workgroup".to_string()), "{inside:?}");
        assert!(!inside.contains(&"query".to_string()));
    }

    #[test]
    fn hovers_on_integrations_and_errors() {
        let a = Analysis::new(FLOW.into());
        let at = FLOW.find("athena").unwrap() + 2;
        let (text, _) = hover_text(&a, at).unwrap();
        assert!(text.contains("startQueryExecution"), "{text}");
        let at = FLOW.find("States.ALL").unwrap() + 3;
        let (text, _) = hover_text(&a, at).unwrap();
        assert!(text.contains("matches every error"), "{text}");
    }
}
