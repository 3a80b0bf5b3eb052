//! Messages between the app and the worker that owns the image.
//!
//! Each message is a JSON string of an [`Envelope`]; the app's `Open` also
//! carries the `File`/`Blob` itself as the second element of the posted array
//! (`postMessage([json, blob])`): the image is never copied or serialised, the
//! worker reads what it needs with `Blob.slice`.

use ext4scope_core::report::{GroupReport, InfoReport};
use serde::{Deserialize, Serialize};

pub use crate::route::{CrashPoint, SimRef};
use crate::worker::journal::{DiffPage, JournalSummary, ReplayInfo, TxDetail, TxSummary};
use crate::worker::sim::{SimComparison, SimOutcome, SimSummary};

/// The worker's first message, once its handler listens: messages posted to a
/// worker before its (asynchronously loaded) wasm installs the handler would
/// be lost, so the app holds its requests until this arrives.
pub const READY: &str = r#"{"ready":true}"#;

/// At most this many groups per [`Request::Groups`] answer.
pub const MAX_GROUPS_PER_REQUEST: u32 = 4096;

/// A request or response with the id that pairs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Chosen by the app; the worker answers with the same id.
    pub id: u32,
    /// The message.
    pub body: T,
}

/// What the app asks.
// Externally tagged (serde's default): decoding needs no buffering, which
// keeps the app's wasm smaller than internally tagged enums would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Open the Blob that comes with this message (replacing any open image).
    /// Answered with [`Response::Info`].
    Open {
        /// The file's name, for messages.
        name: String,
    },
    /// The superblock report of the open image, with current I/O counters.
    /// Its `groups` list is left empty: ask for groups page by page.
    Info,
    /// Group descriptors `start..start+count` (clamped to the group count and
    /// to [`MAX_GROUPS_PER_REQUEST`]).
    Groups {
        /// First group.
        start: u32,
        /// How many.
        count: u32,
    },
    /// Drop the open image.
    Close,
    /// Every field of inode `ino` with its block map (leaf entries cut to a
    /// few per node, see [`crate::worker::filemap`]). Answered with [`Response::Inode`].
    Inode {
        /// Inode number.
        ino: u32,
    },
    /// Rows `start..start+count` (at most [`crate::worker::filemap::MAX_MAP_PAGE`])
    /// of inode `ino`'s map table: leaf extents, or runs of data pointers per
    /// indirect block. Answered with [`Response::FileMap`].
    FileMap {
        /// Inode number.
        ino: u32,
        /// First row.
        start: u32,
        /// How many.
        count: u32,
    },
    /// The row of inode `ino`'s map table holding logical block `logical`, or
    /// else physical block `physical`. Answered with [`Response::FileMapFind`].
    FileMapFind {
        /// Inode number.
        ino: u32,
        /// A logical block.
        #[serde(default)]
        logical: Option<u64>,
        /// A physical block.
        #[serde(default)]
        physical: Option<u64>,
    },
    /// Up to `len` bytes (at most [`MAX_CHUNK`]) of inode `ino`'s content from
    /// byte `offset`, holes as zeros. Answered with [`Response::FileChunk`].
    ReadFile {
        /// Inode number.
        ino: u32,
        /// Byte offset in the file.
        offset: u64,
        /// Bytes wanted.
        len: u32,
    },
    /// One block: its bytes, what it is and who owns it. Answered with
    /// [`Response::Block`].
    Block {
        /// Block number.
        block: u64,
    },
    /// Run the ownership scan for about `budget` units (0: do not step, only
    /// summarise) and summarise `[start, end)` in at most `buckets` buckets.
    /// Answered with [`Response::Scan`].
    Scan {
        /// Work units (about one in-use inode each).
        budget: u64,
        /// First block of the summary.
        start: u64,
        /// One past the last block.
        end: u64,
        /// At most this many buckets (clamped to [`MAX_BUCKETS`]).
        buckets: u32,
    },
    /// A group's layout and both bitmaps. Answered with [`Response::Group`].
    GroupDetail {
        /// Group number.
        group: u32,
    },
    /// Entries `start..start+count` (at most [`crate::worker::files::MAX_DIR_PAGE`])
    /// of directory `ino`, without `.` and `..`. Answered with [`Response::Dir`].
    Dir {
        /// The directory's inode.
        ino: u32,
        /// First entry.
        start: u32,
        /// How many.
        count: u32,
        /// In which order.
        #[serde(default)]
        order: crate::worker::files::Order,
    },
    /// Resolve an absolute path. Answered with [`Response::Lookup`].
    Lookup {
        /// The path.
        path: String,
        /// The order the answer's positions count in.
        #[serde(default)]
        order: crate::worker::files::Order,
    },
    /// A path of inode `ino`; steps the unreachable walk by `budget` when a
    /// walk is needed (ask again while `pending`). Answered with [`Response::PathOf`].
    PathOf {
        /// Inode number.
        ino: u32,
        /// Work units for the walk.
        budget: u64,
    },
    /// Step the walk that finds in-use inodes no directory reaches by about
    /// `budget` units (0: only report). Answered with [`Response::Unreachable`].
    Unreachable {
        /// Work units (about one directory entry or in-use inode each).
        budget: u64,
    },
    /// The journal of the image on disk: superblock, recovery verdict, crash
    /// points. The log is walked when it has one (`s_start` ≠ 0) or `walk`
    /// asks (for the history in an empty journal). Answered with [`Response::Journal`].
    Journal {
        /// Walk the log even when the journal is empty.
        #[serde(default)]
        walk: bool,
    },
    /// Transactions `start..start+count` of the timeline (history first, then
    /// the log; at most [`crate::worker::journal::MAX_TX_PAGE`], fewer when
    /// they hold many blocks). Answered with [`Response::JournalPage`].
    JournalPage {
        /// First transaction (timeline index).
        start: u32,
        /// How many.
        count: u32,
    },
    /// Transaction `sequence`, its logged blocks `start..start+count` decoded
    /// and diffed. Answered with [`Response::Transaction`].
    Transaction {
        /// Its sequence number.
        sequence: u32,
        /// First logged block.
        start: u32,
        /// How many (at most [`crate::worker::journal::MAX_BLOCK_PAGE`]).
        count: u32,
    },
    /// Blocks that differ between two crash points, changes `start..start+count`.
    /// Answered with [`Response::JournalDiff`].
    JournalDiff {
        /// The earlier state.
        from: CrashPoint,
        /// The later state.
        to: CrashPoint,
        /// First change.
        start: u32,
        /// How many (at most [`crate::worker::journal::MAX_DIFF_PAGE`]).
        count: u32,
    },
    /// Show the image as of crash point `crash`: replay the journal and make
    /// every later request read that state. With `sim`, the disk is the
    /// simulated one after `sim.k` writes (simulated first when needed), its
    /// journal the one walked and replayed. Answered with [`Response::State`].
    SetState {
        /// The crash point.
        crash: CrashPoint,
        /// The simulated disk (`None`: the image as on disk).
        #[serde(default)]
        sim: Option<SimRef>,
    },
    /// Run `ops` through the simulator on the image as on disk (kept for
    /// later requests). Answered with [`Response::Simulation`].
    Simulate {
        /// The operations.
        ops: String,
        /// The design's name.
        design: String,
        /// Every handle restart a transaction boundary.
        #[serde(default)]
        restart_commits: bool,
    },
    /// What a crash after `sim.k` writes of that run leaves. Answered with
    /// [`Response::SimOutcome`].
    SimOutcome {
        /// The run and the point.
        sim: SimRef,
    },
    /// Every design on `ops` (restarts committing), the outcome at each
    /// design's interesting points. Answered with [`Response::SimCompare`]
    /// once complete. With `slice_ms`, the worker stops after about that
    /// long and answers [`Response::SimCompareProgress`]; asking again with
    /// the same `ops` goes on where it stopped (other ops start over).
    /// `cancel` drops the comparison under way (answered with the progress
    /// it had reached).
    SimCompare {
        /// The operations.
        ops: String,
        /// Milliseconds to work for (`None`: until the end).
        #[serde(default)]
        slice_ms: Option<u32>,
        /// Stop and forget the comparison under way.
        #[serde(default)]
        cancel: bool,
    },
    /// Run the check of the current state ("what `e2fsck -fn` would say")
    /// for about `budget` units (0: do not step); the check is kept between
    /// requests, so asking again goes on where it stopped. Answered with
    /// [`Response::Check`], which carries the report when the check has
    /// ended or `report` asks for the partial one.
    Check {
        /// Work units (about one in-use inode each).
        budget: u64,
        /// Send the report even before the end.
        #[serde(default)]
        report: bool,
    },
    /// What Linux does when mounting the current state read-only and
    /// read-write, with and without `noblock_validity` and `noload`.
    /// Answered with [`Response::MountVerdict`].
    MountVerdict,
    /// Up to `len` bytes (at most [`MAX_CHUNK`]) of the image as of the current
    /// state from byte `offset`. Answered with [`Response::ImageChunk`].
    Export {
        /// Byte offset in the image.
        offset: u64,
        /// Bytes wanted.
        len: u32,
    },
    /// The guided scenarios (no image needed). Answered with [`Response::Scenarios`].
    Scenarios,
    /// Scenario `scenario` walked in `variant` (empty: its first) on the
    /// image as on disk, which is the scenario's sample. Answered with
    /// [`Response::Learn`].
    Learn {
        /// The scenario's name.
        scenario: String,
        /// The variant's name.
        #[serde(default)]
        variant: String,
    },
}

/// At most this many bytes per [`Request::ReadFile`] answer.
pub const MAX_CHUNK: u32 = 1 << 20;
/// At most this many buckets per [`Request::Scan`] answer.
pub const MAX_BUCKETS: u32 = 40_000;

/// What the worker answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The superblock report (`groups` empty, see [`Request::Info`]).
    Info {
        /// The report.
        info: Box<InfoReport>,
    },
    /// A run of groups.
    Groups {
        /// The first group in `groups`.
        start: u32,
        /// The groups.
        groups: Vec<GroupReport>,
    },
    /// The image was dropped.
    Closed,
    /// An inode.
    Inode {
        /// The report.
        report: Box<ext4scope_core::format::inode::InodeReport>,
        /// Its extended attributes (in the inode, in its xattr block, in EA inodes).
        xattrs: Box<ext4scope_core::format::xattr::XattrReport>,
        /// The map beyond the report's cut tree: table rows, node rows, totals.
        #[serde(default, with = "crate::worker::filemap::summary_wire")]
        map: crate::worker::filemap::MapSummary,
    },
    /// A page of a map table.
    FileMap {
        /// The page.
        #[serde(with = "crate::worker::filemap::page_wire")]
        page: crate::worker::filemap::MapPage,
    },
    /// Where a block is in a map table.
    FileMapFind {
        /// The inode.
        ino: u32,
        /// Rows in the table.
        total: u32,
        /// The row holding the block, or the next one (`None`: none after it).
        row: Option<u32>,
        /// `row` holds the block.
        exact: bool,
    },
    /// A piece of a file.
    FileChunk {
        /// Byte offset of `data` in the file.
        offset: u64,
        /// The bytes, base64 ([`crate::b64`]).
        data: String,
        /// The file's size.
        size: u64,
    },
    /// A block.
    Block {
        /// The block's bytes, base64.
        data: String,
        /// What the core says the block is, with its fields.
        decoded: Box<ext4scope_core::decode::BlockDecode>,
        /// Who claims it (`None` when that could not be worked out; see `owner_error`).
        owner: Option<Box<ext4scope_core::ownership::OwnerReport>>,
        /// Why `owner` is missing.
        owner_error: Option<String>,
    },
    /// Where the ownership scan is, and a summary of the map.
    Scan {
        /// Milliseconds the worker spent scanning for this answer (the page
        /// sizes its next budget on it, not on the round trip).
        #[serde(default)]
        worked_ms: f64,
        /// Scan progress.
        progress: ext4scope_core::ownership::Progress,
        /// First block summarised.
        start: u64,
        /// One past the last block summarised.
        end: u64,
        /// Blocks per bucket.
        per: u64,
        /// Buckets packed 8 bytes each, base64: dominant kind code, used
        /// share (0-255), flags (1 multiply claimed, 2 bitmap differs, 4 all
        /// used), 0, kinds bit mask (u32 LE).
        buckets: String,
        /// Blocks per kind so far.
        by_kind: Vec<ext4scope_core::ownership::KindCount>,
        /// Problems the scan found so far (first few).
        problems: Vec<ext4scope_core::Problem>,
        /// The scan stopped on an error.
        error: Option<String>,
    },
    /// A group.
    Group {
        /// The descriptor report.
        report: Box<GroupReport>,
        /// The decoded bitmaps and counts.
        detail: Box<ext4scope_core::decode::GroupBitmaps>,
        /// What the group's blocks hold, and where its own metadata lives.
        layout: Box<super::inspect::GroupLayout>,
    },
    /// A page of a directory.
    Dir {
        /// The page.
        page: Box<crate::worker::files::DirPage>,
    },
    /// What a path resolves to.
    Lookup {
        /// The answer.
        report: Box<crate::worker::files::LookupReport>,
    },
    /// A path of an inode.
    PathOf {
        /// The answer.
        report: Box<crate::worker::files::PathOfReport>,
    },
    /// The unreachable-inode walk.
    Unreachable {
        /// The answer so far.
        report: Box<crate::worker::files::UnreachableReport>,
    },
    /// The journal (`None`: the file system has none).
    Journal {
        /// Its summary.
        summary: Option<Box<JournalSummary>>,
    },
    /// A page of the timeline.
    JournalPage {
        /// Timeline index of the first transaction in `transactions`.
        start: u32,
        /// Transactions in the timeline.
        total: u32,
        /// The transactions.
        transactions: Vec<TxSummary>,
    },
    /// One transaction.
    Transaction {
        /// It, with a page of its logged blocks decoded.
        detail: Box<TxDetail>,
    },
    /// Blocks that differ between two crash points.
    JournalDiff {
        /// A page of them.
        page: Box<DiffPage>,
    },
    /// The state the worker now answers from.
    State {
        /// The crash point.
        crash: CrashPoint,
        /// The simulated disk it applies to.
        #[serde(default)]
        sim: Option<SimRef>,
        /// Writes in that simulation's stream.
        #[serde(default)]
        sim_writes: Option<u32>,
        /// The superblock report of that state (`groups` empty; the
        /// fingerprint is the image's on disk).
        info: Box<InfoReport>,
        /// What the replay did.
        replay: Box<ReplayInfo>,
    },
    /// Where the check of the current state is.
    Check {
        /// Milliseconds the worker spent checking for this answer.
        #[serde(default)]
        worked_ms: f64,
        /// The pass and the scan's progress.
        progress: ext4scope_core::check::CheckProgress,
        /// The check has ended.
        done: bool,
        /// Problems found so far.
        found: u64,
        /// The report (when `done`, or asked for).
        report: Option<Box<ext4scope_core::check::CheckReport>>,
    },
    /// The mount verdicts of the current state.
    MountVerdict {
        /// Them.
        verdicts: Box<ext4scope_core::mount::MountVerdicts>,
    },
    /// A piece of the image as of the current state.
    ImageChunk {
        /// The state it is of.
        crash: CrashPoint,
        /// Byte offset.
        offset: u64,
        /// Bytes in this piece.
        len: u32,
        /// The bytes, base64; `None` when they are all zero.
        data: Option<String>,
        /// The image's size.
        size: u64,
    },
    /// A simulation's write stream.
    Simulation {
        /// It.
        summary: Box<SimSummary>,
    },
    /// A crash point's outcome.
    SimOutcome {
        /// It.
        outcome: Box<SimOutcome>,
    },
    /// The designs compared.
    SimCompare {
        /// Them.
        comparison: Box<SimComparison>,
    },
    /// Where a sliced comparison is (or was, when cancelled).
    SimCompareProgress {
        /// Steps done (one design's run, or one crash point's outcome).
        done: u32,
        /// Steps in all, as far as known (the outcomes are counted once
        /// every design has run).
        total: u32,
        /// The comparison was cancelled and forgotten.
        cancelled: bool,
        /// Milliseconds the worker worked for this answer.
        worked_ms: f64,
    },
    /// The guided scenarios.
    Scenarios {
        /// Them, in teaching order.
        scenarios: Vec<crate::worker::learn::LearnScenario>,
    },
    /// A scenario walked.
    Learn {
        /// It.
        walk: Box<crate::worker::learn::LearnWalk>,
    },
    /// The request failed.
    Failed {
        /// Why.
        error: WorkerError,
    },
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerError {
    /// The core could not read the image (its message says what and where).
    Core {
        /// The core's error.
        error: ext4scope_core::Error,
    },
    /// A request that needs an image came before any was opened.
    NoImage,
    /// `Open` came without a Blob.
    NoFile,
    /// The message could not be decoded (a bug: app and worker disagree).
    BadRequest {
        /// The decoder's message.
        message: String,
    },
    /// The simulator refused the operations (the message says which line
    /// and why) or the crash point.
    Simulation {
        /// What to change.
        message: String,
    },
    /// The worker stopped (a bug, or the browser killed it).
    Crashed {
        /// What the browser said.
        message: String,
    },
}

impl core::fmt::Display for WorkerError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            WorkerError::Core { error } => write!(f, "{error}"),
            WorkerError::NoImage => write!(f, "no image is open in the worker"),
            WorkerError::NoFile => write!(f, "the open request came without a file"),
            WorkerError::BadRequest { message } => {
                write!(f, "the worker could not decode a request: {message}")
            }
            WorkerError::Simulation { message } => write!(f, "{message}"),
            WorkerError::Crashed { message } => write!(f, "the worker stopped: {message}"),
        }
    }
}

impl From<ext4scope_core::Error> for WorkerError {
    fn from(error: ext4scope_core::Error) -> Self {
        WorkerError::Core { error }
    }
}

#[derive(Serialize)]
struct Out<'a, T> {
    id: u32,
    body: &'a T,
}

/// Encode a message.
pub fn encode<T: Serialize>(id: u32, body: &T) -> String {
    // Serialising these types does not fail (string keys, no floats); if it
    // ever does, the other side gets an error answer rather than silence.
    serde_json::to_string(&Out { id, body }).unwrap_or_else(|e| encode_failure(id, &e.to_string()))
}

/// An error answer for a message that could not be encoded. Written out,
/// like [`encode_crashed`], so that encoding a `Request` in the app does not
/// link the serialiser of every `Response`.
fn encode_failure(id: u32, message: &str) -> String {
    failed_json(id, "bad_request", &format!("could not encode an answer: {message}"))
}

/// The answer the app gives itself for a request the worker will never
/// answer (`Response::Failed` with `WorkerError::Crashed`).
pub fn encode_crashed(id: u32, message: &str) -> String {
    failed_json(id, "crashed", message)
}

/// `{"id":ID,"body":{"failed":{"error":{KIND:{"message":MESSAGE}}}}}`, as
/// `encode` writes a `Response::Failed` whose error has only a message.
fn failed_json(id: u32, kind: &str, message: &str) -> String {
    // A string always serialises.
    let message = serde_json::to_string(message).unwrap_or_else(|_| String::from("\"\""));
    format!(r#"{{"id":{id},"body":{{"failed":{{"error":{{"{kind}":{{"message":{message}}}}}}}}}}}"#)
}

/// Decode a message (structs only as the objects `encode` writes: see
/// [`crate::worker::objects`]).
pub fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<Envelope<T>, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    let message = crate::worker::objects::deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(message)
}

impl Response {
    /// The variant's name, for "unexpected answer" messages (no Debug of
    /// whole reports in the app).
    pub fn kind(&self) -> &'static str {
        match self {
            Response::Info { .. } => "info",
            Response::Groups { .. } => "groups",
            Response::Closed => "closed",
            Response::Inode { .. } => "inode",
            Response::FileMap { .. } => "file_map",
            Response::FileMapFind { .. } => "file_map_find",
            Response::FileChunk { .. } => "file_chunk",
            Response::Block { .. } => "block",
            Response::Scan { .. } => "scan",
            Response::Group { .. } => "group",
            Response::Dir { .. } => "dir",
            Response::Lookup { .. } => "lookup",
            Response::PathOf { .. } => "path_of",
            Response::Unreachable { .. } => "unreachable",
            Response::Journal { .. } => "journal",
            Response::JournalPage { .. } => "journal_page",
            Response::Transaction { .. } => "transaction",
            Response::JournalDiff { .. } => "journal_diff",
            Response::State { .. } => "state",
            Response::Check { .. } => "check",
            Response::MountVerdict { .. } => "mount_verdict",
            Response::ImageChunk { .. } => "image_chunk",
            Response::Simulation { .. } => "simulation",
            Response::SimOutcome { .. } => "sim_outcome",
            Response::SimCompare { .. } => "sim_compare",
            Response::SimCompareProgress { .. } => "sim_compare_progress",
            Response::Scenarios { .. } => "scenarios",
            Response::Learn { .. } => "learn",
            Response::Failed { .. } => "failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_crashed_is_what_encode_writes() {
        let m = "a \"quoted\"\nreason ü";
        let body = Response::Failed { error: WorkerError::Crashed { message: m.into() } };
        assert_eq!(encode_crashed(9, m), encode(9, &body));
        let back: Envelope<Response> = decode(&encode_crashed(9, m)).expect("decodes");
        assert!(
            matches!(back.body, Response::Failed { error: WorkerError::Crashed { message } } if message == m)
        );
    }

    #[test]
    fn encode_failure_decodes_as_an_error_answer() {
        let json = encode_failure(5, "a \"quoted\" reason");
        let body = Response::Failed {
            error: WorkerError::BadRequest {
                message: "could not encode an answer: a \"quoted\" reason".into(),
            },
        };
        assert_eq!(json, encode(5, &body), "written out as serde writes it");
        let back: Envelope<Response> = decode(&json).expect("decodes");
        assert_eq!(back.id, 5);
        match back.body {
            Response::Failed { error: WorkerError::BadRequest { message } } => {
                assert_eq!(message, "could not encode an answer: a \"quoted\" reason")
            }
            other => panic!("{}", other.kind()),
        }
    }
}
