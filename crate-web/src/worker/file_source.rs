//! [`ReadAt`] over a `Blob` (a user's `File` or a decompressed sample): each
//! read is one `Blob.slice` + `FileReaderSync.readAsArrayBuffer`, so only the
//! bytes the core asks for are ever read. Works only inside a worker.

use crate::js::js_message;
use ext4scope_core::io::IoError;
use ext4scope_core::ReadAt;
use js_sys::Uint8Array;
use web_sys::{Blob, FileReaderSync};

/// A Blob read lazily.
pub struct BlobSource {
    blob: Blob,
    len: u64,
    reader: FileReaderSync,
}

impl BlobSource {
    /// Wrap a Blob. Fails outside a worker (no `FileReaderSync`).
    pub fn new(blob: Blob) -> Result<Self, String> {
        let reader = FileReaderSync::new().map_err(|e| format!("FileReaderSync: {}", js_message(&e)))?;
        // Blob sizes are exact integers in an f64 up to 2^53 bytes.
        let len = blob.size() as u64;
        Ok(BlobSource { blob, len, reader })
    }
}

impl ReadAt for BlobSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
        let fail = |message: String| IoError { offset, len: buf.len() as u64, message };
        let end = offset
            .checked_add(buf.len() as u64)
            .filter(|&e| e <= self.len)
            .ok_or_else(|| fail(format!("read past the end of the file ({} bytes)", self.len)))?;
        let slice = self
            .blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|e| fail(format!("Blob.slice failed: {}", js_message(&e))))?;
        let data = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|e| fail(format!("the browser could not read the file: {}", js_message(&e))))?;
        let bytes = Uint8Array::new(&data);
        if bytes.length() as usize != buf.len() {
            return Err(fail(format!(
                "short read: asked for {} bytes, got {} (did the file change on disk?)",
                buf.len(),
                bytes.length()
            )));
        }
        bytes.copy_to(buf);
        Ok(())
    }
}
