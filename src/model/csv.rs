//! The one CSV writer of the project: every CSV Retrace writes (the export's `events.csv`,
//! `subject --out`, the app's saved lookups) goes through [`CsvWriter`], so every text cell
//! is neutralised against spreadsheet formulas the same way. No other module may build a
//! `csv::Writer` (a test checks the source).
//!
//! A text cell that a spreadsheet would run as a formula — one beginning with `=`, `+`, `-`,
//! `@`, a tab or a carriage return, or with the full-width `＝ ＋ － ＠` some spreadsheets also
//! accept — gets a leading `'`, which spreadsheets show as text and do not evaluate. Numbers
//! the writer produces itself ([`CsvWriter::number`]) are written as they are, so `-3` stays a
//! number.
//!
//! The writer formats into the `impl Write` it is given; the caller owns the IO.

use std::borrow::Cow;
use std::io::{self, Write};

/// The characters that make a cell a formula when they come first.
const FORMULA_FIRST: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
];

/// `cell`, with a leading `'` if a spreadsheet would run it as a formula (see the module docs).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_FIRST.contains(&c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Writes CSV records (RFC 4180 quoting) with every text cell neutralised.
pub struct CsvWriter<W: Write> {
    w: ::csv::Writer<W>,
    itoa: [u8; 20],
}

fn csv_io(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> CsvWriter<W> {
    /// With the `csv` crate's default buffer (8 KiB).
    pub fn new(out: W) -> CsvWriter<W> {
        Self::with_capacity(out, 8 << 10)
    }

    /// With a buffer of `bytes` (large writes: the export).
    pub fn with_capacity(out: W, bytes: usize) -> CsvWriter<W> {
        CsvWriter {
            w: ::csv::WriterBuilder::new()
                .buffer_capacity(bytes)
                .from_writer(out),
            itoa: [0u8; 20],
        }
    }

    /// A text cell, neutralised.
    pub fn text(&mut self, cell: &str) -> io::Result<()> {
        self.w
            .write_field(neutralise(cell).as_bytes())
            .map_err(csv_io)
    }

    /// An integer cell, as digits.
    pub fn number(&mut self, v: i64) -> io::Result<()> {
        let digits = super::itoa_i64(v, &mut self.itoa);
        self.w.write_field(digits).map_err(csv_io)
    }

    /// Ends the current record.
    pub fn end_row(&mut self) -> io::Result<()> {
        self.w.write_record(None::<&[u8]>).map_err(csv_io)
    }

    /// A whole record of text cells.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        for c in cells {
            self.text(c)?;
        }
        self.end_row()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// Flushes and returns the output.
    pub fn into_inner(self) -> io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_numbers_are_not() {
        for c in [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@SUM(1)",
            "\tx",
            "\rx",
            "＝1+1",
            "＋SUM(A1)",
            "－1",
            "＠SUM(1)",
        ] {
            assert_eq!(neutralise(c), format!("'{c}"), "{c:?}");
        }
        for c in ["plain", "", "1=1", " =1", "'=1", "a-b"] {
            assert_eq!(neutralise(c), c, "{c:?}");
        }
        let mut w = CsvWriter::new(Vec::new());
        w.row(["=1+1", "a,b"]).unwrap();
        w.number(-3).unwrap();
        w.text("-3").unwrap();
        w.end_row().unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(out, "'=1+1,\"a,b\"\n-3,'-3\n");
    }
}
