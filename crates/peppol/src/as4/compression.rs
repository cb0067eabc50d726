//! The gzip compression every Peppol AS4 payload travels in (AS4 compression feature).

use std::io::{Read, Write};

use super::error::{EbmsError, ErrorCode};

/// The largest payload a message may decompress to. Peppol caps a business document at
/// 100 MB after decompression; a little more leaves room for the envelope around it, and the
/// cap stops a small "zip bomb" from filling memory.
pub const MAX_DECOMPRESSED: u64 = 110 * 1024 * 1024;

/// Compresses a payload.
pub fn compress(payload: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(payload.len() / 4 + 64),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(payload);
    encoder.finish().unwrap_or_default()
}

/// Decompresses a payload, refusing one that is not gzip or grows past `limit` bytes.
pub fn decompress(compressed: &[u8], limit: u64) -> Result<Vec<u8>, EbmsError> {
    let mut out = Vec::with_capacity(compressed.len().saturating_mul(4).min(16 << 20));
    let mut decoder = flate2::read::GzDecoder::new(compressed).take(limit + 1);
    decoder.read_to_end(&mut out).map_err(|e| {
        EbmsError::new(
            ErrorCode::DecompressionFailure,
            format!("the payload is not valid gzip: {e}"),
        )
    })?;
    if out.len() as u64 > limit {
        return Err(EbmsError::new(
            ErrorCode::DecompressionFailure,
            format!("the payload decompresses to more than {limit} bytes"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_limits() -> Result<(), EbmsError> {
        let payload = b"<Invoice/>".repeat(1000);
        assert_eq!(decompress(&compress(&payload), MAX_DECOMPRESSED)?, payload);
        let bomb = compress(&vec![0u8; 1 << 20]);
        let refused = decompress(&bomb, 1000).expect_err("over the limit");
        assert_eq!(refused.code, ErrorCode::DecompressionFailure);
        let garbage = decompress(b"not gzip", 1000).expect_err("not gzip");
        assert_eq!(garbage.code, ErrorCode::DecompressionFailure);
        Ok(())
    }
}
