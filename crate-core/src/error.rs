//! Errors in three buckets: the host could not read, the image uses something we
//! cannot read, or the bytes are corrupt. Corruption an inspector can work around
//! is not an error at all: it is a [`Problem`] reported next to the structure.

use alloc::string::String;
use serde::{Deserialize, Serialize};

use crate::io::IoError;

/// Where something is on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// File-system block number, if the structure lives in a block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<u64>,
    /// Absolute byte offset in the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte: Option<u64>,
    /// Inode number, if the structure belongs to an inode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inode: Option<u32>,
    /// Block group, if the structure belongs to a group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
}

impl Location {
    /// At an absolute byte offset.
    pub fn byte(byte: u64) -> Self {
        Location { byte: Some(byte), ..Default::default() }
    }
    /// In a block, optionally at a byte offset.
    pub fn block(block: u64, block_size: u32, offset_in_block: usize) -> Self {
        Location {
            block: Some(block),
            byte: block
                .checked_mul(u64::from(block_size))
                .and_then(|b| b.checked_add(offset_in_block as u64)),
            ..Default::default()
        }
    }
    /// Attach an inode number.
    pub fn with_inode(mut self, ino: u32) -> Self {
        self.inode = Some(ino);
        self
    }
    /// Attach a group number.
    pub fn with_group(mut self, g: u32) -> Self {
        self.group = Some(g);
        self
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing (e.g. shared blocks on a `shared_blocks` file system).
    Info,
    /// Inconsistent, but the structure was still decoded.
    Warning,
    /// Corrupt: part of the structure could not be decoded.
    Error,
}

/// A corruption or inconsistency found while decoding, reported with the structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Severity.
    pub severity: Severity,
    /// The structure (`superblock`, `group descriptor 3`, `inode 12 extent tree`).
    pub structure: String,
    /// Where on disk.
    pub at: Location,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

/// Something the inspector cannot read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Error {
    /// The host could not read (or the read was outside the image).
    Io(IoError),
    /// A valid image that uses something this inspector does not read.
    Incompatible {
        /// What, in words.
        message: String,
    },
    /// The bytes are too damaged to go on.
    Corrupt {
        /// The structure.
        structure: String,
        /// Where.
        at: Location,
        /// What was expected and what was found.
        message: String,
    },
    /// A bug in the inspector (never a panic).
    Internal {
        /// What.
        message: String,
    },
}

impl Error {
    pub(crate) fn internal(m: &str) -> Self {
        Error::Internal { message: String::from(m) }
    }
    /// A corrupt structure.
    pub fn corrupt(structure: impl Into<String>, at: Location, message: impl Into<String>) -> Self {
        Error::Corrupt { structure: structure.into(), at, message: message.into() }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {}", e.message),
            Error::Incompatible { message } => write!(f, "not supported: {message}"),
            Error::Corrupt { structure, at, message } => {
                write!(f, "corrupt {structure}")?;
                if let Some(b) = at.block {
                    write!(f, " (block {b})")?;
                }
                if let Some(o) = at.byte {
                    write!(f, " at byte {o}")?;
                }
                write!(f, ": {message}")
            }
            Error::Internal { message } => write!(f, "internal error: {message}"),
        }
    }
}

/// Result with the core's error.
pub type Result<T> = core::result::Result<T, Error>;
