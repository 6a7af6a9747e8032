//! Reading rows through the `Any` driver, which carries only integers, floats, text and
//! blobs: flags arrive as 0/1 integers and instants as microseconds.

use crate::error::StoreError;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;
use trellis_core::CoreError;
use trellis_core::time::from_micros;

pub(crate) fn i64_(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn opt_i64(row: &AnyRow, col: &str) -> Result<Option<i64>, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool, StoreError> {
    Ok(i64_(row, col)? != 0)
}

pub(crate) fn u32_(row: &AnyRow, col: &str) -> Result<u32, StoreError> {
    let v = i64_(row, col)?;
    u32::try_from(v)
        .map_err(|_| StoreError::Corrupt(format!("column {col} holds {v}, out of range")))
}

pub(crate) fn at(row: &AnyRow, col: &str) -> Result<Timestamp, StoreError> {
    Ok(from_micros(i64_(row, col)?))
}

pub(crate) fn opt_at(row: &AnyRow, col: &str) -> Result<Option<Timestamp>, StoreError> {
    Ok(opt_i64(row, col)?.map(from_micros))
}

/// Parses a stored enum; a value the schema's CHECK should have kept out means damage.
pub(crate) fn parse<T: FromStr<Err = CoreError>>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    let s = text(row, col)?;
    s.parse::<T>()
        .map_err(|_| StoreError::Corrupt(format!("column {col} holds {s:?}")))
}

pub(crate) fn flag_value(b: bool) -> i64 {
    i64::from(b)
}
