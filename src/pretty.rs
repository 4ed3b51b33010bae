//! Pretty JSON, byte for byte as `serde_json::to_writer_pretty` writes it
//! (two-space indent), but faster: serde_json's pretty printer writes an
//! indent two spaces at a time, one call each, and a long run's history is
//! mostly indentation. This one writes a line break and its whole indent in
//! one call.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// A line break then the deepest indent written in one piece; deeper
/// levels fall back to a loop.
const DEEPEST: usize = 64;
const LINE: [u8; 1 + 2 * DEEPEST] = {
    let mut line = [b' '; 1 + 2 * DEEPEST];
    line[0] = b'\n';
    line
};

#[derive(Default)]
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let width = 1 + 2 * self.level;
        if width <= LINE.len() {
            return w.write_all(&LINE[..width]);
        }
        w.write_all(&LINE)?;
        for _ in 0..(width - LINE.len()) {
            w.write_all(b" ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON.
pub fn to_writer<W: Write, T: ?Sized + Serialize>(writer: W, value: &T) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, Indented::default());
    value.serialize(&mut serializer)
}

/// `value` as pretty JSON text.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256);
    to_writer(&mut out, value)?;
    // serde_json writes only UTF-8.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_writes() {
        let mut deep = json!("bottom");
        for i in 0..80 {
            deep = json!({ format!("k{i}"): [deep, {}, [], i] });
        }
        for value in [
            json!(null),
            json!({}),
            json!([]),
            json!({"a": [1, {"b": {}}, []], "c": "x\n\"y\"", "d": {"e": null}}),
            json!([[[]], [{}], [1, 2]]),
            deep,
        ] {
            let ours = to_string(&value).expect("written");
            let theirs = serde_json::to_string_pretty(&value).expect("written");
            assert_eq!(ours, theirs);
        }
    }
}
