//! The URL hash is the app's state: every view has a route, and a link adds the
//! fingerprint of the image it was made for (`#/groups?g=12&fp=0123456789abcdef`)
//! and, for a built-in sample, the sample's name (`&sample=ext4-small`), so the
//! link opens with no upload at all.
//!
//! A link into a replayed state of the image adds `crash=N` (the image as
//! recovery leaves it after a crash right after transaction N) or `crash=all`
//! (after recovery replays the whole valid log); no `crash` is the image as on
//! disk. The fingerprint stays that of the image on disk.
//!
//! A link into a simulated state adds `sim=OPS` (the operations, UTF-8 in
//! unpadded base64url), `design=D`, `rc=1` (restarts commit) and `k=K`: the
//! disk after the first K writes of the stream the simulator makes of OPS on
//! the image as on disk. `crash=` then applies to that disk, whose journal
//! holds the simulated transactions.
//!
//! Parsing never fails: an unknown path is [`Route::NotFound`], unknown or
//! malformed query parameters are dropped.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// Which state of the image the app shows: a crash point of its journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashPoint {
    /// The image as it is on disk (nothing replayed).
    #[default]
    Disk,
    /// As recovery leaves it after a crash right after transaction N commits.
    After(u32),
    /// After recovery replays the whole valid log.
    All,
}

impl CrashPoint {
    /// Parse a `crash=`, `from=` or `to=` value: `disk`, `all` or a sequence.
    pub fn parse(v: &str) -> Option<CrashPoint> {
        match v {
            "disk" => Some(CrashPoint::Disk),
            "all" => Some(CrashPoint::All),
            n => n.parse().ok().map(CrashPoint::After),
        }
    }

    /// The value in a URL (`disk`, `all`, `12`).
    pub fn value(&self) -> String {
        match self {
            CrashPoint::Disk => "disk".to_string(),
            CrashPoint::All => "all".to_string(),
            CrashPoint::After(n) => n.to_string(),
        }
    }

    /// In words, for the header and titles.
    pub fn words(&self) -> String {
        match self {
            CrashPoint::Disk => "as on disk".to_string(),
            CrashPoint::After(n) => format!("after transaction {n}"),
            CrashPoint::All => "after recovery (all)".to_string(),
        }
    }
}

/// The migration designs the simulator compares, by their names in links
/// (`ext4scope_core::sim::Design::name`; the app does not link the simulator,
/// a native test keeps the two lists equal).
pub const DESIGNS: [&str; 4] = ["kernel", "orphan-list", "single-transaction", "in-memory-temp"];

/// The `data=` modes a simulated mount can have, by their names in links
/// (`ordered` is the default and is left out of links).
pub const DATA_MODES: [&str; 3] = ["ordered", "journal", "writeback"];

/// The longest operations text a link carries (bytes, before encoding; the
/// link is a third longer, far below what browsers accept in a URL).
pub const MAX_SIM_OPS: usize = 64 * 1024;

/// A simulated state: the disk after the first `k` writes of the stream the
/// simulator makes of `ops` on the image as on disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SimRef {
    /// The operations, as typed.
    pub ops: String,
    /// The design (one of [`DESIGNS`]).
    pub design: String,
    /// Every handle restart is a transaction boundary (`--restart-commits`).
    #[serde(default)]
    pub restart_commits: bool,
    /// Writes that reached the disk.
    pub k: u32,
    /// The `data=` mode (one of [`DATA_MODES`]; links without `data=` are `ordered`).
    #[serde(default = "ordered")]
    pub data: String,
    /// auto_da_alloc (`false`: mounted `noauto_da_alloc`; links without
    /// `auto_da_alloc=0` have it on, the kernel's default).
    #[serde(default = "yes")]
    pub auto_da_alloc: bool,
    /// The kernel era (one of [`KERNELS`]; links without `kernel=` are `6.x`).
    #[serde(default = "newest")]
    pub kernel: String,
}

/// The kernel eras the simulator models (`ext4scope_core::sim::Kernel` names).
pub const KERNELS: [&str; 2] = ["6.x", "4.14"];

fn ordered() -> String {
    DATA_MODES[0].to_string()
}

fn newest() -> String {
    KERNELS[0].to_string()
}

fn yes() -> bool {
    true
}

impl Default for SimRef {
    /// No operations, the kernel's design and mount defaults, no write.
    fn default() -> Self {
        SimRef {
            ops: String::new(),
            design: DESIGNS[0].to_string(),
            restart_commits: false,
            k: 0,
            data: ordered(),
            auto_da_alloc: true,
            kernel: newest(),
        }
    }
}

impl SimRef {
    /// The same simulation at another crash point.
    pub fn at(&self, k: u32) -> SimRef {
        SimRef { k, ..self.clone() }
    }

    /// The same simulation (ignoring `k`).
    pub fn same_run(&self, other: &SimRef) -> bool {
        self.ops == other.ops
            && self.design == other.design
            && self.restart_commits == other.restart_commits
            && self.data == other.data
            && self.auto_da_alloc == other.auto_da_alloc
            && self.kernel == other.kernel
    }
}

/// What a link needs besides its route to name the same image and state: the
/// image's fingerprint and the crash point. Views build their links from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// `Fs::fingerprint()` of the image on disk.
    pub fp: Option<String>,
    /// The state shown.
    pub crash: CrashPoint,
    /// The simulated disk the crash point applies to (`None`: the image as on disk).
    pub sim: Option<SimRef>,
}

impl From<Option<String>> for ImageRef {
    fn from(fp: Option<String>) -> Self {
        ImageRef { fp, crash: CrashPoint::Disk, sim: None }
    }
}

impl ImageRef {
    /// The same image in another state.
    pub fn with_crash(mut self, crash: CrashPoint) -> Self {
        self.crash = crash;
        self
    }
}

/// A view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `#/`: the drop zone, file picker and built-in samples.
    Home,
    /// `#/super`: the superblock.
    Superblock,
    /// `#/groups`, `#/groups?g=G`: the group table, scrolled to group `G`.
    Groups {
        /// The group to scroll to and highlight.
        focus: Option<u32>,
    },
    /// `#/group/G`: one group's layout and bitmaps.
    Group(u32),
    /// `#/files/PATH`: the directory tree, opened at `PATH` (no leading `/`;
    /// segments percent-encoded in the URL).
    Files(String),
    /// `#/inode/N`: every field of inode `N` and its block map.
    Inode(u32),
    /// `#/block/B`: block `B` in hex, its fields and its owner.
    Block(u64),
    /// `#/map`: every block of the disk coloured by owner.
    Map,
    /// `#/journal`: the journal's transactions as a timeline.
    Journal,
    /// `#/journal/T`: transaction `T` (its sequence): every logged block and what it changes.
    Transaction(u32),
    /// `#/journal/diff?from=A&to=B`: blocks that differ between two crash points.
    JournalDiff {
        /// The earlier state (`disk` when absent).
        from: CrashPoint,
        /// The later state (`all` when absent).
        to: CrashPoint,
    },
    /// `#/check`: what `e2fsck -fn` would say about the state shown, and
    /// what Linux does when mounting it.
    Check,
    /// `#/simulate`: operations run by the simulator, their write stream,
    /// the crash points and their outcomes, the designs compared.
    Simulate,
    /// `#/learn`: the guided scenarios (no image needed).
    Learn,
    /// `#/learn/NAME/STEP?variant=V`: step `STEP` (1-based) of scenario
    /// `NAME` in variant `V` (absent: its first), on the scenario's sample.
    LearnStep {
        /// The scenario's name.
        scenario: String,
        /// 1-based.
        step: u32,
        /// The variant's name (`None`: the scenario's first).
        variant: Option<String>,
        /// `crash=K` on a step: a crash after the first K writes of its
        /// scenario's run, which the step turns into that simulated state
        /// (`sim=…&k=K`, the form every view reads) once it has the run.
        crash: Option<u32>,
    },
    /// Anything else (the path as given, without the leading `#`).
    NotFound(String),
}

impl Route {
    /// The tab title.
    pub fn title(&self) -> &'static str {
        match self {
            Route::Home => "Open",
            Route::Superblock => "Superblock",
            Route::Groups { .. } => "Groups",
            Route::Group(_) => "Group",
            Route::Files(_) => "Files",
            Route::Inode(_) => "Inode",
            Route::Block(_) => "Block",
            Route::Map => "Block map",
            Route::Journal => "Journal",
            Route::Transaction(_) => "Transaction",
            Route::JournalDiff { .. } => "Journal diff",
            Route::Check => "Check",
            Route::Simulate => "Simulate",
            Route::Learn | Route::LearnStep { .. } => "Learn",
            Route::NotFound(_) => "Not found",
        }
    }

    /// What the view shows, in words ("inode 12", "the file tree at /etc").
    pub fn describe(&self) -> String {
        match self {
            Route::Home => "the page to open an image".to_string(),
            Route::Superblock => "the superblock".to_string(),
            Route::Groups { focus: Some(g) } => format!("the group table at group {g}"),
            Route::Groups { focus: None } => "the group table".to_string(),
            Route::Group(g) => format!("block group {g}: its layout and bitmaps"),
            Route::Files(p) => format!("the file tree at /{p}"),
            Route::Inode(i) => format!("inode {i}: its fields and block map"),
            Route::Block(b) => format!("block {b}: its bytes, fields and owner"),
            Route::Map => "the whole-disk block map".to_string(),
            Route::Journal => "the journal's transactions".to_string(),
            Route::Transaction(t) => {
                format!("journal transaction {t}: its logged blocks and what they change")
            }
            Route::JournalDiff { from, to } => {
                format!("the blocks that differ between the image {} and {}", from.words(), to.words())
            }
            Route::Check => "what e2fsck would say and what mount would do".to_string(),
            Route::Simulate => "operations simulated as jbd2 transactions and their crash points".to_string(),
            Route::Learn => "the guided scenarios: journaling and crash consistency".to_string(),
            Route::LearnStep { scenario, step, .. } => format!("step {step} of the scenario {scenario}"),
            Route::NotFound(p) => format!("an unknown view ({p})"),
        }
    }

    /// True when the view shows something of an open image.
    pub fn needs_image(&self) -> bool {
        !matches!(self, Route::Home | Route::Learn | Route::NotFound(_))
    }

    /// Same view, ignoring view parameters (for highlighting the current tab).
    pub fn same_view(&self, other: &Route) -> bool {
        core::mem::discriminant(self) == core::mem::discriminant(other)
    }
}

/// A route plus the fingerprint of the image it was made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The view.
    pub route: Route,
    /// `Fs::fingerprint()` of the image (16 lowercase hex digits), if known.
    pub fp: Option<String>,
    /// The built-in sample the image is (its `name` in `samples/index.json`).
    pub sample: Option<String>,
    /// The state of the image the view shows (`crash=`).
    pub crash: CrashPoint,
    /// The simulated disk it applies to (`sim=`, `design=`, `rc=`, `k=`).
    pub sim: Option<SimRef>,
}

impl Default for Link {
    fn default() -> Self {
        Link { route: Route::Home, fp: None, sample: None, crash: CrashPoint::Disk, sim: None }
    }
}

fn valid_fingerprint(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Sample names are short and need no escaping: `[A-Za-z0-9._-]{1,64}`.
pub fn valid_sample_name(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl Link {
    /// A link to `route` for the image (and state) `at`: a fingerprint
    /// (`Option<String>`, the image as on disk) or an [`ImageRef`].
    pub fn new(route: Route, at: impl Into<ImageRef>) -> Self {
        let ImageRef { fp, crash, sim } = at.into();
        Link { route, fp, sample: None, crash, sim }
    }

    /// The image and state this link names.
    pub fn image_ref(&self) -> ImageRef {
        ImageRef { fp: self.fp.clone(), crash: self.crash, sim: self.sim.clone() }
    }

    /// The same link on another simulated disk (`None`: the image as on
    /// disk), at its first crash point (nothing replayed).
    pub fn with_sim(mut self, sim: Option<SimRef>) -> Self {
        self.sim = sim;
        self.crash = CrashPoint::Disk;
        self
    }

    /// The same link in another state of the image.
    pub fn with_crash(mut self, crash: CrashPoint) -> Self {
        self.crash = crash;
        self
    }

    /// The same link, naming built-in sample `sample`.
    pub fn with_sample(mut self, sample: Option<String>) -> Self {
        self.sample = sample.filter(|s| valid_sample_name(s));
        self
    }

    /// Parse `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Link {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = match hash.split_once('?') {
            Some((p, q)) => (p, q),
            None => (hash, ""),
        };
        let mut fp = None;
        let mut g = None;
        let mut sample = None;
        let mut variant = None;
        let mut crash = CrashPoint::Disk;
        let (mut from, mut to) = (CrashPoint::Disk, CrashPoint::All);
        let (mut ops, mut design, mut rc, mut sim_k) = (None, None, false, None);
        let (mut data, mut auto_da_alloc, mut kernel) = (None, true, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "fp" if valid_fingerprint(&v.to_ascii_lowercase()) => fp = Some(v.to_ascii_lowercase()),
                "g" => g = v.parse::<u32>().ok(),
                "sample" if valid_sample_name(v) => sample = Some(v.to_string()),
                "variant" if valid_sample_name(v) => variant = Some(v.to_string()),
                "crash" => crash = CrashPoint::parse(v).unwrap_or(crash),
                "from" => from = CrashPoint::parse(v).unwrap_or(from),
                "to" => to = CrashPoint::parse(v).unwrap_or(to),
                "sim" => {
                    ops = crate::b64::decode_url(v)
                        .filter(|b| b.len() <= MAX_SIM_OPS)
                        .and_then(|b| String::from_utf8(b).ok())
                }
                "design" if DESIGNS.contains(&v) => design = Some(v.to_string()),
                "rc" => rc = v == "1",
                "k" => sim_k = v.parse::<u32>().ok(),
                "data" if DATA_MODES.contains(&v) => data = Some(v.to_string()),
                "auto_da_alloc" => auto_da_alloc = v != "0",
                "kernel" if KERNELS.contains(&v) => kernel = Some(v.to_string()),
                _ => {}
            }
        }
        let trimmed = path.trim_end_matches('/');
        let route = match trimmed {
            "" => Route::Home,
            "/super" => Route::Superblock,
            "/groups" => Route::Groups { focus: g },
            "/map" => Route::Map,
            "/files" => Route::Files(String::new()),
            p if p.starts_with("/files/") => Route::Files(percent_decode(&p["/files/".len()..])),
            "/journal" => Route::Journal,
            "/journal/diff" => Route::JournalDiff { from, to },
            "/check" => Route::Check,
            "/simulate" => Route::Simulate,
            "/learn" => Route::Learn,
            p if p.starts_with("/learn/") => learn_step(&p["/learn/".len()..], variant)
                .unwrap_or_else(|| Route::NotFound(hash.to_string())),
            p => match p.split_once('/').map(|(_, r)| r).and_then(|r| r.split_once('/')) {
                Some(("group", n)) if n.parse::<u32>().is_ok() => Route::Group(n.parse().unwrap_or(0)),
                Some(("inode", n)) if n.parse::<u32>().is_ok_and(|i| i > 0) => {
                    Route::Inode(n.parse().unwrap_or(0))
                }
                Some(("block", n)) if n.parse::<u64>().is_ok() => Route::Block(n.parse().unwrap_or(0)),
                Some(("journal", n)) if n.parse::<u32>().is_ok() => {
                    Route::Transaction(n.parse().unwrap_or(0))
                }
                _ => Route::NotFound(hash.to_string()),
            },
        };
        // On a learn step, `crash=K` is a point of the scenario's own run.
        let mut route = route;
        if let (Route::LearnStep { crash: c, .. }, CrashPoint::After(k), None) = (&mut route, crash, &ops) {
            *c = Some(k);
            crash = CrashPoint::Disk;
        }
        let sim = match (ops, sim_k) {
            (Some(ops), Some(k)) => Some(SimRef {
                ops,
                design: design.unwrap_or_else(|| DESIGNS[0].to_string()),
                restart_commits: rc,
                k,
                data: data.unwrap_or_else(ordered),
                auto_da_alloc,
                kernel: kernel.unwrap_or_else(newest),
            }),
            _ => None,
        };
        Link { route, fp, sample, crash, sim }
    }

    /// The hash for this link, with the leading `#`.
    pub fn to_hash(&self) -> String {
        let (path, params): (&str, Vec<(&str, String)>) = match &self.route {
            Route::Home => ("/", Vec::new()),
            Route::Superblock => ("/super", Vec::new()),
            Route::Groups { focus } => ("/groups", focus.map(|g| ("g", g.to_string())).into_iter().collect()),
            Route::NotFound(p) => return format!("#{p}"),
            Route::Group(g) => return self.with_path(&format!("/group/{g}"), Vec::new()),
            Route::Files(p) => return self.with_path(&format!("/files/{}", percent_encode(p)), Vec::new()),
            Route::Inode(i) => return self.with_path(&format!("/inode/{i}"), Vec::new()),
            Route::Block(b) => return self.with_path(&format!("/block/{b}"), Vec::new()),
            Route::Map => ("/map", Vec::new()),
            Route::Check => ("/check", Vec::new()),
            Route::Simulate => ("/simulate", Vec::new()),
            Route::Learn => ("/learn", Vec::new()),
            Route::LearnStep { scenario, step, variant, crash } => {
                let mut p: Vec<(&str, String)> = variant.iter().map(|v| ("variant", v.clone())).collect();
                p.extend(crash.map(|k| ("crash", k.to_string())));
                return self.with_path(&format!("/learn/{scenario}/{step}"), p);
            }
            Route::Journal => ("/journal", Vec::new()),
            Route::Transaction(t) => return self.with_path(&format!("/journal/{t}"), Vec::new()),
            Route::JournalDiff { from, to } => {
                let mut p = Vec::new();
                if *from != CrashPoint::Disk {
                    p.push(("from", from.value()));
                }
                if *to != CrashPoint::All {
                    p.push(("to", to.value()));
                }
                ("/journal/diff", p)
            }
        };
        self.with_path(path, params)
    }

    fn with_path(&self, path: &str, mut params: Vec<(&str, String)>) -> String {
        if let Some(fp) = &self.fp {
            params.push(("fp", fp.clone()));
        }
        if let Some(sim) = &self.sim {
            params.push(("sim", crate::b64::encode_url(sim.ops.as_bytes())));
            params.push(("design", sim.design.clone()));
            if sim.restart_commits {
                params.push(("rc", "1".to_string()));
            }
            if sim.data != DATA_MODES[0] {
                params.push(("data", sim.data.clone()));
            }
            if !sim.auto_da_alloc {
                params.push(("auto_da_alloc", "0".to_string()));
            }
            if sim.kernel != KERNELS[0] {
                params.push(("kernel", sim.kernel.clone()));
            }
            params.push(("k", sim.k.to_string()));
        }
        if self.crash != CrashPoint::Disk {
            params.push(("crash", self.crash.value()));
        }
        if let Some(name) = &self.sample {
            params.push(("sample", name.clone()));
        }
        let mut s = format!("#{path}");
        for (i, (k, v)) in params.iter().enumerate() {
            let _ = write!(s, "{}{k}={v}", if i == 0 { '?' } else { '&' });
        }
        s
    }

    /// The same image, another view.
    pub fn with_route(&self, route: Route) -> Link {
        Link {
            route,
            fp: self.fp.clone(),
            sample: self.sample.clone(),
            crash: self.crash,
            sim: self.sim.clone(),
        }
    }
}

/// `NAME/STEP` of a `#/learn/…` path: a name as plain as a sample's, a
/// step from 1 (`NAME` alone is its first step).
fn learn_step(rest: &str, variant: Option<String>) -> Option<Route> {
    let (name, step) = match rest.split_once('/') {
        Some((n, s)) => (n, s.parse::<u32>().ok().filter(|&s| s > 0)?),
        None => (rest, 1),
    };
    valid_sample_name(name).then(|| Route::LearnStep {
        scenario: name.to_string(),
        step,
        variant,
        crash: None,
    })
}

/// Percent-encode a path for the URL hash: everything but unreserved
/// characters and `/` (UTF-8 bytes of other characters too).
pub fn percent_encode(p: &str) -> String {
    let mut s = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            let _ = write!(s, "%{b:02X}");
        }
    }
    s
}

/// Undo [`percent_encode`]; malformed escapes are kept as typed, bytes that
/// are not UTF-8 become U+FFFD.
pub fn percent_decode(p: &str) -> String {
    let b = p.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "0123456789abcdef";

    #[test]
    fn parses_every_route() {
        assert_eq!(Link::parse("").route, Route::Home);
        assert_eq!(Link::parse("#").route, Route::Home);
        assert_eq!(Link::parse("#/").route, Route::Home);
        assert_eq!(Link::parse("#/super").route, Route::Superblock);
        assert_eq!(Link::parse("#/super/").route, Route::Superblock);
        assert_eq!(Link::parse("#/groups").route, Route::Groups { focus: None });
        assert_eq!(Link::parse("#/groups?g=17").route, Route::Groups { focus: Some(17) });
        assert_eq!(Link::parse("#/nope").route, Route::NotFound("/nope".into()));
    }

    #[test]
    fn fingerprint_is_kept_only_when_valid() {
        assert_eq!(Link::parse(&format!("#/super?fp={FP}")).fp.as_deref(), Some(FP));
        assert_eq!(Link::parse("#/super?fp=0123456789ABCDEF").fp.as_deref(), Some(FP));
        assert_eq!(Link::parse("#/super?fp=0123").fp, None);
        assert_eq!(Link::parse("#/super?fp=0123456789abcdeg").fp, None);
        assert_eq!(Link::parse("#/super?fp").fp, None);
    }

    #[test]
    fn bad_query_values_are_dropped() {
        assert_eq!(Link::parse("#/groups?g=-1").route, Route::Groups { focus: None });
        assert_eq!(Link::parse("#/groups?g=99999999999").route, Route::Groups { focus: None });
        assert_eq!(Link::parse("#/groups?x=1&&g=3&").route, Route::Groups { focus: Some(3) });
    }

    #[test]
    fn formats_and_round_trips() {
        let fp = Some(FP.to_string());
        let cases = [
            (Link::new(Route::Home, None::<String>), "#/".to_string()),
            (Link::new(Route::Superblock, None::<String>), "#/super".to_string()),
            (Link::new(Route::Superblock, fp.clone()), format!("#/super?fp={FP}")),
            (Link::new(Route::Groups { focus: Some(3) }, None::<String>), "#/groups?g=3".to_string()),
            (Link::new(Route::Groups { focus: Some(3) }, fp.clone()), format!("#/groups?g=3&fp={FP}")),
            (Link::new(Route::Groups { focus: None }, fp), format!("#/groups?fp={FP}")),
        ];
        for (link, hash) in cases {
            assert_eq!(link.to_hash(), hash);
            assert_eq!(Link::parse(&hash), link, "{hash}");
        }
    }

    #[test]
    fn inspector_routes() {
        let fp = Some(FP.to_string());
        for (route, hash) in [
            (Route::Inode(12), "#/inode/12"),
            (Route::Block(0), "#/block/0"),
            (Route::Block(1 << 40), "#/block/1099511627776"),
            (Route::Group(3), "#/group/3"),
            (Route::Map, "#/map"),
            (Route::Check, "#/check"),
            (Route::Files(String::new()), "#/files/"),
            (Route::Files("a b/ü".into()), "#/files/a%20b/%C3%BC"),
        ] {
            let l = Link::new(route.clone(), None::<String>);
            assert_eq!(l.to_hash(), hash);
            assert_eq!(Link::parse(hash), l, "{hash}");
            let l = Link::new(route, fp.clone());
            assert_eq!(Link::parse(&l.to_hash()), l);
            assert!(l.route.needs_image());
        }
        assert_eq!(Link::parse("#/files").route, Route::Files(String::new()));
        assert_eq!(Link::parse("#/inode/0").route, Route::NotFound("/inode/0".into()));
        assert_eq!(Link::parse("#/inode/x").route, Route::NotFound("/inode/x".into()));
        assert_eq!(Link::parse("#/block/-1").route, Route::NotFound("/block/-1".into()));
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn sample_links() {
        let l = Link::new(Route::Inode(12), Some(FP.into())).with_sample(Some("ext4-small".into()));
        assert_eq!(l.to_hash(), format!("#/inode/12?fp={FP}&sample=ext4-small"));
        assert_eq!(Link::parse(&l.to_hash()), l);
        let g =
            Link::new(Route::Groups { focus: Some(2) }, None::<String>).with_sample(Some("a.b_c-1".into()));
        assert_eq!(g.to_hash(), "#/groups?g=2&sample=a.b_c-1");
        assert_eq!(Link::parse(&g.to_hash()), g);
        // Names that would need escaping (or could smuggle other parameters) are dropped.
        for bad in ["", "a/b", "a%20b", "ü", &"x".repeat(65)] {
            assert_eq!(Link::parse(&format!("#/super?sample={bad}")).sample, None, "{bad}");
        }
        for bad in ["", "a/b", "a&fp=1", "a b", &"x".repeat(65)] {
            assert_eq!(
                Link::new(Route::Superblock, None::<String>).with_sample(Some(bad.into())).sample,
                None,
                "{bad}"
            );
        }
        assert_eq!(l.with_route(Route::Map).sample.as_deref(), Some("ext4-small"));
    }

    #[test]
    fn journal_routes_and_crash_points() {
        let fp = Some(FP.to_string());
        for (route, hash) in [
            (Route::Journal, "#/journal"),
            (Route::Transaction(3), "#/journal/3"),
            (Route::JournalDiff { from: CrashPoint::Disk, to: CrashPoint::All }, "#/journal/diff"),
            (
                Route::JournalDiff { from: CrashPoint::After(2), to: CrashPoint::After(4) },
                "#/journal/diff?from=2&to=4",
            ),
            (
                Route::JournalDiff { from: CrashPoint::All, to: CrashPoint::Disk },
                "#/journal/diff?from=all&to=disk",
            ),
        ] {
            let l = Link::new(route.clone(), None::<String>);
            assert_eq!(l.to_hash(), hash);
            assert_eq!(Link::parse(hash), l, "{hash}");
            assert!(route.needs_image());
        }
        // crash= on any route, after fp and before sample; absent is the disk.
        let at = ImageRef { fp: fp.clone(), crash: CrashPoint::After(2), sim: None };
        let l = Link::new(Route::Inode(12), at.clone()).with_sample(Some("ext4-crash".into()));
        assert_eq!(l.to_hash(), format!("#/inode/12?fp={FP}&crash=2&sample=ext4-crash"));
        assert_eq!(Link::parse(&l.to_hash()), l);
        assert_eq!(l.image_ref(), at);
        assert_eq!(l.with_route(Route::Map).crash, CrashPoint::After(2));
        let all = Link::new(Route::Groups { focus: Some(1) }, fp.clone()).with_crash(CrashPoint::All);
        assert_eq!(all.to_hash(), format!("#/groups?g=1&fp={FP}&crash=all"));
        assert_eq!(Link::parse(&all.to_hash()), all);
        assert_eq!(Link::parse(&format!("#/super?fp={FP}&crash=disk")).crash, CrashPoint::Disk);
        assert_eq!(Link::parse(&format!("#/super?fp={FP}")).to_hash(), format!("#/super?fp={FP}"));
        // Malformed values are dropped.
        assert_eq!(Link::parse("#/super?crash=x").crash, CrashPoint::Disk);
        assert_eq!(Link::parse("#/super?crash=-1").crash, CrashPoint::Disk);
        assert_eq!(Link::parse("#/journal/x").route, Route::NotFound("/journal/x".into()));
        assert_eq!(
            Link::parse("#/journal/diff?from=q&to=7").route,
            Route::JournalDiff { from: CrashPoint::Disk, to: CrashPoint::After(7) }
        );
        assert_eq!(CrashPoint::After(3).words(), "after transaction 3");
    }

    #[test]
    fn simulated_states() {
        let sim = SimRef {
            ops: "chattr +e /var/log/fragmented; fsync /var/log/fragmented\n# ü".into(),
            design: "orphan-list".into(),
            restart_commits: true,
            k: 17,
            ..SimRef::default()
        };
        let at = ImageRef { fp: Some(FP.into()), crash: CrashPoint::All, sim: Some(sim.clone()) };
        let l = Link::new(Route::Inode(31), at).with_sample(Some("ext3-migrate".into()));
        let h = l.to_hash();
        assert!(h.starts_with(&format!("#/inode/31?fp={FP}&sim=")), "{h}");
        assert!(h.ends_with("&design=orphan-list&rc=1&k=17&crash=all&sample=ext3-migrate"), "{h}");
        assert_eq!(Link::parse(&h), l);
        assert_eq!(l.with_route(Route::Simulate).sim, Some(sim.clone()));
        // Another point of the same run; off the simulation, back to the disk.
        assert!(sim.at(3).same_run(&sim) && sim.at(3).k == 3);
        let off = l.clone().with_sim(None);
        assert_eq!((off.sim, off.crash), (None, CrashPoint::Disk));
        // Defaults and malformed values: no k or bad ops is no simulation.
        let ops = crate::b64::encode_url(b"sync");
        let d = Link::parse(&format!("#/simulate?sim={ops}&k=0"));
        assert_eq!(d.route, Route::Simulate);
        assert_eq!(d.sim.map(|s| (s.design, s.restart_commits, s.k)), Some(("kernel".into(), false, 0)));
        assert_eq!(Link::parse(&format!("#/simulate?sim={ops}")).sim, None);
        assert_eq!(Link::parse("#/simulate?sim=%%%&k=1").sim, None);
        assert_eq!(
            Link::parse(&format!("#/super?sim={ops}&k=1&design=nope")).sim.map(|s| s.design),
            Some("kernel".into())
        );
        assert_eq!(Link::parse("#/simulate").to_hash(), "#/simulate");
    }

    #[test]
    fn learn_routes() {
        assert_eq!(Link::parse("#/learn").route, Route::Learn);
        assert!(!Route::Learn.needs_image());
        let step = |scenario: &str, step, variant: Option<&str>| Route::LearnStep {
            scenario: scenario.into(),
            step,
            variant: variant.map(str::to_string),
            crash: None,
        };
        for (route, hash) in [
            (Route::Learn, "#/learn".to_string()),
            (step("migration", 2, None), "#/learn/migration/2".to_string()),
            (step("eof-extents", 1, Some("6.x")), "#/learn/eof-extents/1?variant=6.x".to_string()),
        ] {
            let l = Link::new(route.clone(), None::<String>);
            assert_eq!(l.to_hash(), hash);
            assert_eq!(Link::parse(&hash), l, "{hash}");
        }
        assert_eq!(Link::parse("#/learn/revoke").route, step("revoke", 1, None));
        assert!(step("revoke", 1, None).needs_image(), "a step opens its sample");
        for bad in ["#/learn/a b/1", "#/learn/x/0", "#/learn/x/y", "#/learn/x/1/2"] {
            assert!(matches!(Link::parse(bad).route, Route::NotFound(_)), "{bad}");
        }
        assert_eq!(Link::parse("#/learn/x/1?variant=a%26b").route, step("x", 1, None));
        // crash=K on a step is the scenario's crash point, not the journal's.
        let crashed = Link::parse("#/learn/revoke/2?crash=17&sample=ext3-migrate");
        assert_eq!(
            crashed.route,
            Route::LearnStep { scenario: "revoke".into(), step: 2, variant: None, crash: Some(17) }
        );
        assert_eq!(crashed.crash, CrashPoint::Disk);
        assert_eq!(crashed.to_hash(), "#/learn/revoke/2?crash=17&sample=ext3-migrate");
        // A step crashed at its end: the simulated state with the scenario's options.
        let sim = SimRef {
            ops: "write /README 0 4096; fsync /README".into(),
            k: 12,
            data: "writeback".into(),
            auto_da_alloc: false,
            ..SimRef::default()
        };
        let l = Link::new(step("data-modes", 1, Some("writeback")), None::<String>)
            .with_sim(Some(sim.clone()))
            .with_sample(Some("ext4-small".into()));
        let h = l.to_hash();
        assert!(h.starts_with("#/learn/data-modes/1?variant=writeback&sim="), "{h}");
        assert!(h.ends_with("&design=kernel&data=writeback&auto_da_alloc=0&k=12&sample=ext4-small"), "{h}");
        assert_eq!(Link::parse(&h), l);
        assert!(!sim.same_run(&SimRef { data: "journal".into(), ..sim.clone() }));
        assert!(!sim.same_run(&SimRef { auto_da_alloc: true, ..sim.clone() }));
        assert!(!sim.same_run(&SimRef { kernel: "4.14".into(), ..sim.clone() }));
        let old_kernel = Link::new(step("fallocate-delalloc", 4, Some("4.14")), None::<String>)
            .with_sim(Some(SimRef { kernel: "4.14".into(), ..sim.clone() }));
        let h = old_kernel.to_hash();
        assert!(h.ends_with("&auto_da_alloc=0&kernel=4.14&k=12"), "{h}");
        assert_eq!(Link::parse(&h), old_kernel);
        // Links made before the fields: data=ordered, auto_da_alloc on; unknown modes dropped.
        let ops = crate::b64::encode_url(b"sync");
        let old = Link::parse(&format!("#/simulate?sim={ops}&design=orphan-list&k=3")).sim.expect("parses");
        assert_eq!((old.data.as_str(), old.auto_da_alloc), ("ordered", true));
        assert_eq!(
            Link::parse(&format!("#/simulate?sim={ops}&k=3&data=nope")).sim.map(|s| s.data),
            Some("ordered".into())
        );
        let json: SimRef =
            serde_json::from_str(r#"{"ops":"sync","design":"kernel","k":1}"#).expect("old JSON");
        assert_eq!((json.data.as_str(), json.auto_da_alloc, json.restart_commits), ("ordered", true, false));
    }

    #[test]
    fn not_found_keeps_what_was_typed() {
        let l = Link::parse("#/nodes/12?fp=zz");
        assert_eq!(l.route, Route::NotFound("/nodes/12?fp=zz".into()));
        assert_eq!(l.to_hash(), "#/nodes/12?fp=zz");
    }

    #[test]
    fn describes_what_a_link_shows() {
        assert_eq!(Link::parse("#/inode/12").route.describe(), "inode 12: its fields and block map");
        assert_eq!(Link::parse("#/files/etc/x%20y").route.describe(), "the file tree at /etc/x y");
        assert_eq!(Link::parse("#/groups?g=3").route.describe(), "the group table at group 3");
        assert_eq!(Link::parse("#/block/7").route.describe(), "block 7: its bytes, fields and owner");
    }

    #[test]
    fn tabs_match_by_view() {
        assert!(Route::Groups { focus: None }.same_view(&Route::Groups { focus: Some(4) }));
        assert!(!Route::Superblock.same_view(&Route::Groups { focus: None }));
        assert!(Route::Superblock.needs_image());
        assert!(!Route::Home.needs_image());
    }
}
