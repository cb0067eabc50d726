//! The CSV files of the evaluation contract (issue 4): history and queries in, predictions out.
//! RFC 4180, UTF-8, a header row, extra columns ignored; gzipped files are recognised by their
//! magic bytes, so the dev data can be read as it is shipped.

use std::io::{BufReader, Read, Write};
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::date::Day;
use crate::engine::LinePrediction;
use crate::error::Error;
use crate::invoice::{LineInput, Party, Posting};

/// One line of `QUERIES.csv`: a line to predict, with its caller's id.
#[derive(Debug, Clone)]
pub struct QueryRow {
    /// The caller's id, echoed in the prediction.
    pub id: String,
    /// The line, with an empty account.
    pub posting: Posting,
}

fn decompressed<'a>(reader: impl Read + 'a) -> Result<Box<dyn Read + 'a>, Error> {
    let mut reader = BufReader::new(reader);
    let head = std::io::BufRead::fill_buf(&mut reader)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(reader)))
    } else {
        Ok(Box::new(reader))
    }
}

struct Columns {
    indices: Vec<usize>,
}

impl Columns {
    fn find(
        file: &'static str,
        header: &csv::StringRecord,
        names: &[&'static str],
    ) -> Result<Columns, Error> {
        let indices = names
            .iter()
            .map(|&name| {
                header
                    .iter()
                    .position(|h| {
                        h.trim()
                            .trim_start_matches('\u{feff}')
                            .eq_ignore_ascii_case(name)
                    })
                    .ok_or(Error::MissingColumn { file, column: name })
            })
            .collect::<Result<_, _>>()?;
        Ok(Columns { indices })
    }
    fn get<'r>(&self, record: &'r csv::StringRecord, i: usize) -> &'r str {
        self.indices
            .get(i)
            .and_then(|&c| record.get(c))
            .unwrap_or("")
    }
}

fn rows(
    file: &'static str,
    reader: impl Read,
    names: &[&'static str],
    mut each: impl FnMut(&Columns, &csv::StringRecord, u64) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(decompressed(reader)?);
    let header = csv.headers().map_err(|e| bad(file, 1, &e))?.clone();
    let columns = Columns::find(file, &header, names)?;
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(true) => each(&columns, &record, line)?,
            Ok(false) => return Ok(()),
            Err(e) => return Err(bad(file, line, &e)),
        }
    }
}

fn bad(file: &'static str, line: u64, reason: &dyn std::fmt::Display) -> Error {
    Error::BadRow {
        file,
        line,
        reason: reason.to_string(),
    }
}

fn posting(
    file: &'static str,
    c: &Columns,
    r: &csv::StringRecord,
    line: u64,
    first: usize,
) -> Result<Posting, Error> {
    let date_text = c.get(r, first + 1);
    let date = Day::parse(date_text)
        .ok_or_else(|| bad(file, line, &format!("date `{date_text}` is not YYYY-MM-DD")))?;
    let amount_text = c.get(r, first + 5).trim();
    let amount = if amount_text.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(amount_text)
            .or_else(|_| Decimal::from_scientific(amount_text))
            .map_err(|_| {
                bad(
                    file,
                    line,
                    &format!("amount `{amount_text}` is not a decimal number"),
                )
            })?
    };
    let id = c.get(r, first + 3).trim();
    Ok(Posting {
        administration: c.get(r, first).to_owned(),
        date,
        supplier: Party {
            name: c.get(r, first + 2).to_owned(),
            id: (!id.is_empty()).then(|| id.to_owned()),
            ..Party::default()
        },
        line: LineInput {
            description: c.get(r, first + 4).to_owned(),
            amount,
            ..LineInput::default()
        },
        account: String::new(),
        cost_centre: None,
    })
}

const POSTING_COLUMNS: [&str; 6] = [
    "administration",
    "date",
    "supplier",
    "supplier_id",
    "description",
    "amount",
];

/// Reads `HISTORY.csv` (or `POSTINGS.csv`): `administration,date,supplier,supplier_id,description,amount,account`.
pub fn read_history(file: &'static str, reader: impl Read) -> Result<Vec<Posting>, Error> {
    let mut names = POSTING_COLUMNS.to_vec();
    names.push("account");
    let mut out = Vec::new();
    rows(file, reader, &names, |c, r, line| {
        let mut p = posting(file, c, r, line, 0)?;
        p.account = c.get(r, 6).trim().to_owned();
        if p.account.is_empty() {
            return Err(bad(file, line, &"the account is empty"));
        }
        out.push(p);
        Ok(())
    })?;
    Ok(out)
}

/// Reads `QUERIES.csv`: `id,administration,date,supplier,supplier_id,description,amount`.
pub fn read_queries(reader: impl Read) -> Result<Vec<QueryRow>, Error> {
    let mut names = vec!["id"];
    names.extend(POSTING_COLUMNS);
    let mut out = Vec::new();
    rows("queries", reader, &names, |c, r, line| {
        out.push(QueryRow {
            id: c.get(r, 0).to_owned(),
            posting: posting("queries", c, r, line, 1)?,
        });
        Ok(())
    })?;
    Ok(out)
}

/// Writes `PREDICTIONS.csv`: `id,account,confidence,auto,top3`.
pub fn write_predictions<'a>(
    writer: impl Write,
    predictions: impl IntoIterator<Item = (&'a str, &'a LinePrediction)>,
) -> Result<(), Error> {
    let mut csv = csv::Writer::from_writer(writer);
    let io = |e: csv::Error| Error::Io(std::io::Error::other(e));
    csv.write_record(["id", "account", "confidence", "auto", "top3"])
        .map_err(io)?;
    for (id, p) in predictions {
        let account = p.ranked.first().map_or("", |(a, _)| a.as_str());
        let top3: Vec<&str> = p.ranked.iter().take(3).map(|(a, _)| a.as_str()).collect();
        let confidence = format!("{:.4}", p.confidence);
        let auto = if p.auto() { "true" } else { "false" };
        csv.write_record([id, account, &confidence, auto, &top3.join("|")])
            .map_err(io)?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_fields_and_ignores_extra_columns() {
        let text = "administration,date,supplier,supplier_id,description,amount,account,extra\n\
                    Adm,2024-01-05,\"Bakker, de\",,\"brood \"\"vers\"\"\",12.50,4000,x\n";
        let h = read_history("history", text.as_bytes()).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].supplier.name, "Bakker, de");
        assert_eq!(h[0].line.description, "brood \"vers\"");
        assert_eq!(h[0].line.amount, Decimal::new(1250, 2));
        assert_eq!(h[0].supplier.id, None);
    }

    #[test]
    fn reports_line_and_column() {
        let e = read_history("history", "administration,date\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("missing column `supplier`"), "{e}");
        let text = "id,administration,date,supplier,supplier_id,description,amount\n1,A,2024-01-05,S,,d,12,5x\n";
        assert!(read_queries(text.as_bytes()).is_ok());
        let text = "id,administration,date,supplier,supplier_id,description,amount\n1,A,05-01-2024,S,,d,1\n";
        let e = read_queries(text.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
