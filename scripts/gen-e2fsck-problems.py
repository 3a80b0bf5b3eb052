#!/usr/bin/env python3
"""Generate crate-core/src/check/codes.rs from e2fsprogs' e2fsck problem tables.

Reads, from a git repository of e2fsprogs at a tag (no work tree needed):

  e2fsck/problem.h   the PR_* problem codes and the PR_LATCH_* latch codes
  e2fsck/problemP.h  the PR_* problem flags
  e2fsck/problem.c   the PROMPT_* numbers, prompt[] and preen_msg[], the
                     problem_table[] (code, message, prompt, flags,
                     second_code) and pr_latch_info[]
  e2fsck/message.c   abbrevs[], the '@' abbreviations

and writes one Rust module with a u32 const per code and flag, the Prompt enum
and the PROBLEMS / LATCHES tables. Messages are stored with their '@'
abbreviations expanded exactly as message.c's print_e2fsck_message() expands
them (recursively, capitalising the first letter only when the abbreviation
starts the whole message); '%' expressions are left for the Rust side.

Usage: scripts/gen-e2fsck-problems.py [GIT_DIR [TAG]] [-o OUTPUT]

Standard library only. Fails (exit status 1) on anything in the tables it
does not understand rather than guessing.
"""

import argparse
import os
import re
import subprocess
import sys

DEFAULT_GIT_DIR = "/work/.mirror/tytso+e2fsprogs/repo"
DEFAULT_TAG = "v1.47.0"
SCRIPT_NAME = "scripts/gen-e2fsck-problems.py"
MAX_WIDTH = 110  # rustfmt.toml's max_width (use_small_heuristics = "Max")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "crate-core", "src", "check", "codes.rs")


class GenError(Exception):
    """Something in the e2fsprogs sources this script does not understand."""


def warn(msg):
    print("gen-e2fsck-problems: warning: " + msg, file=sys.stderr)


# --------------------------------------------------------------------------
# Reading the sources


def git_show(git_dir, tag, path):
    try:
        out = subprocess.run(
            ["git", "--git-dir=" + git_dir, "show", "%s:%s" % (tag, path)],
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ).stdout
    except subprocess.CalledProcessError as e:
        raise GenError("git show %s:%s failed: %s" % (tag, path, e.stderr.decode(errors="replace").strip()))
    return out.decode("utf-8")


def git_commit(git_dir, tag):
    out = subprocess.run(
        ["git", "--git-dir=" + git_dir, "rev-parse", tag + "^{commit}"],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ).stdout
    return out.decode().strip()


# --------------------------------------------------------------------------
# A small C tokenizer: enough for initialiser tables.

TOKEN_RE = re.compile(
    r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<comment>/\*.*?\*/)
  | (?P<linecomment>//[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<number>-?(?:0[xX][0-9A-Fa-f]+|[0-9]+)[uUlL]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}()\[\],;|=&*<>+\-~!?:.^/%])
    """,
    re.VERBOSE | re.DOTALL,
)

SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "?": "?",
}


def c_unescape(body):
    """Decode the body of a C string literal (without the quotes)."""
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= len(body):
            raise GenError("string literal ends in a backslash: %r" % body)
        e = body[i]
        if e in SIMPLE_ESCAPES:
            out.append(SIMPLE_ESCAPES[e])
            i += 1
        elif e in "01234567":
            j = i
            while j < len(body) and j < i + 3 and body[j] in "01234567":
                j += 1
            out.append(chr(int(body[i:j], 8)))
            i = j
        elif e == "x":
            j = i + 1
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 1:
                raise GenError("bad \\x escape in %r" % body)
            out.append(chr(int(body[i + 1 : j], 16)))
            i = j
        else:
            raise GenError("unknown escape \\%s in %r" % (e, body))
    return "".join(out)


class Tok:
    __slots__ = ("kind", "text", "line")

    def __init__(self, kind, text, line):
        self.kind = kind
        self.text = text
        self.line = line

    def __repr__(self):
        return "%s(%r)@%d" % (self.kind, self.text, self.line)


PP_RE = re.compile(r"[ \t]*#")


def tokenize(src, pos=0, line=1):
    """Yield the tokens of C source from pos; comments dropped, preprocessor lines as one 'pp' token."""
    at_line_start = True
    while pos < len(src):
        if at_line_start and PP_RE.match(src, pos):
            # A preprocessor directive, with backslash continuations.
            end = pos
            while True:
                nl = src.find("\n", end)
                if nl < 0:
                    nl = len(src)
                if src[end:nl].rstrip().endswith("\\"):
                    end = nl + 1
                    continue
                break
            text = src[pos:nl]
            yield Tok("pp", text.strip(), line)
            line += text.count("\n")
            pos = nl
            continue
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise GenError("cannot tokenize line %d: %r" % (line, src[pos : pos + 40]))
        kind = m.lastgroup
        text = m.group(kind)
        if kind == "nl":
            line += 1
            at_line_start = True
        elif kind in ("ws", "comment", "linecomment"):
            line += text.count("\n")
        else:
            at_line_start = False
            if kind == "string":
                yield Tok("string", c_unescape(text[1:-1]), line)
            else:
                yield Tok(kind, text, line)
        pos = m.end()


def find_initializer(src, decl_re, what):
    """The tokens between the '{' that ends decl_re's match and its matching '}'."""
    m = re.search(decl_re, src)
    if not m:
        raise GenError("cannot find %s" % what)
    start = m.end() - 1
    assert src[start] == "{", decl_re
    toks = []
    depth = 0
    for t in tokenize(src, start, src.count("\n", 0, start) + 1):
        if t.kind == "punct" and t.text == "{":
            depth += 1
        elif t.kind == "punct" and t.text == "}":
            depth -= 1
            if depth == 0:
                return toks[1:]
        toks.append(t)
    raise GenError("unterminated initializer for %s" % what)


def handle_pp(toks, what):
    """Drop preprocessor lines from a table's tokens, refusing the ones that would need evaluating."""
    out = []
    for t in toks:
        if t.kind != "pp":
            out.append(t)
            continue
        word = re.match(r"#\s*(\w*)", t.text).group(1)
        if word in ("else", "elif", "elifdef", "elifndef"):
            raise GenError(
                "%s line %d: '%s' inside the table; alternative entries need a "
                "decision this script does not make" % (what, t.line, t.text)
            )
        if word.startswith("if"):
            warn("%s line %d: ignoring '%s' (the entries under it are kept)" % (what, t.line, t.text))
        elif word != "endif":
            warn("%s line %d: ignoring '%s'" % (what, t.line, t.text))
    return out


def split_entries(toks, what):
    """Split a table body into entries: each a list of fields, each a list of tokens."""
    entries = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.kind == "punct" and t.text == ",":
            i += 1
            continue
        if not (t.kind == "punct" and t.text == "{"):
            raise GenError("%s line %d: expected '{', found %r" % (what, t.line, t.text))
        line = t.line
        i += 1
        fields = [[]]
        depth = 0
        while True:
            if i >= n:
                raise GenError("%s line %d: unterminated entry" % (what, line))
            t = toks[i]
            i += 1
            if t.kind == "punct" and t.text in "({[":
                depth += 1
            elif t.kind == "punct" and t.text in ")]":
                depth -= 1
            elif t.kind == "punct" and t.text == "}":
                if depth == 0:
                    break
                depth -= 1
            if depth == 0 and t.kind == "punct" and t.text == ",":
                fields.append([])
                continue
            fields[-1].append(t)
        if fields and not fields[-1]:
            fields.pop()  # trailing comma
        entries.append((line, fields))
    return entries


def field_text(field):
    return " ".join(t.text for t in field)


# --------------------------------------------------------------------------
# problem.h / problemP.h

DEFINE_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(PR_\w+)[ \t]+(0[xX][0-9A-Fa-f]+|[0-9]+)\b", re.M)


def parse_problem_h(src):
    """(codes, latches, latch_mask): codes = [(name, value, comment)] in file order."""
    codes = []
    latches = []
    latch_mask = None
    seen = {}
    for m in DEFINE_RE.finditer(src):
        name, value = m.group(1), int(m.group(2), 0)
        if name in seen:
            raise GenError("problem.h defines %s twice" % name)
        seen[name] = value
        if name == "PR_LATCH_MASK":
            latch_mask = value
        elif name.startswith("PR_LATCH_"):
            latches.append((name, value))
        elif re.match(r"PR_[0-9]", name):
            codes.append((name, value, preceding_comment(src, m.start())))
        else:
            raise GenError("problem.h: unexpected define %s" % name)
    if latch_mask is None:
        raise GenError("problem.h: no PR_LATCH_MASK")
    by_value = {}
    for name, value, _ in codes:
        if value in by_value:
            raise GenError("problem.h: %s and %s share 0x%06x" % (by_value[value], name, value))
        by_value[value] = name
    return codes, latches, latch_mask


def preceding_comment(src, pos):
    """The /* ... */ comment directly above the line at pos (blank lines allowed), or ''."""
    before = src[:pos].rstrip()
    if not before.endswith("*/"):
        return ""
    start = before.rfind("/*")
    if start < 0:
        return ""
    # Only a comment that starts its own line.
    line_start = before.rfind("\n", 0, start) + 1
    if before[line_start:start].strip():
        return ""
    body = before[start + 2 : -2]
    lines = [re.sub(r"^\s*\*?\s?", "", l).rstrip() for l in body.split("\n")]
    return " ".join(l.strip() for l in lines if l.strip())


def define_comments(src):
    """{NAME: text} of the trailing comments of #define lines, continuation comment lines joined."""
    out = {}
    lines = src.split("\n")
    for i, l in enumerate(lines):
        m = re.match(r"[ \t]*#[ \t]*define[ \t]+(PR_\w+)[ \t]+\S+[ \t]*/\*(.*)$", l)
        if not m:
            continue
        text = m.group(2)
        j = i
        while "*/" not in text and j + 1 < len(lines):
            j += 1
            text += " " + lines[j].strip().lstrip("*").strip()
        text = text[: text.index("*/")] if "*/" in text else text
        # Comment-only lines straight after (a comment continued as a second comment).
        while j + 1 < len(lines):
            c = re.match(r"[ \t]+/\*(.*)\*/[ \t]*$", lines[j + 1])
            if not c:
                break
            text += " " + c.group(1).strip()
            j += 1
        out[m.group(1)] = " ".join(text.split())
    return out


def parse_problemp_h(src):
    """[(name, value)] of the PR_* flag defines, in file order."""
    flags = []
    for m in DEFINE_RE.finditer(src):
        flags.append((m.group(1), int(m.group(2), 0)))
    if not flags:
        raise GenError("problemP.h: no PR_* flags found")
    return flags


# --------------------------------------------------------------------------
# problem.c


def parse_prompts(src):
    """[(PROMPT_NAME, number, prompt_text, preen_text)] in number order."""
    defines = [(m.group(1), int(m.group(2))) for m in re.finditer(r"^#define[ \t]+(PROMPT_\w+)[ \t]+(\d+)", src, re.M)]
    if not defines:
        raise GenError("problem.c: no PROMPT_* defines")
    nums = [v for _, v in defines]
    if sorted(nums) != list(range(len(nums))):
        raise GenError("problem.c: PROMPT_* numbers are not 0..%d: %r" % (len(nums) - 1, nums))
    defines.sort(key=lambda d: d[1])

    def string_array(name):
        toks = find_initializer(src, r"\b%s\s*\[\s*\]\s*=\s*\{" % name, name + "[]")
        toks = handle_pp(toks, "problem.c " + name + "[]")
        strings = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == "punct" and t.text == ",":
                i += 1
                continue
            if t.kind == "ident" and t.text == "N_":
                if not (toks[i + 1].text == "(" and toks[i + 2].kind == "string"):
                    raise GenError("%s[] line %d: bad N_()" % (name, t.line))
                j = i + 2
                s = ""
                while toks[j].kind == "string":
                    s += toks[j].text
                    j += 1
                if toks[j].text != ")":
                    raise GenError("%s[] line %d: bad N_()" % (name, t.line))
                strings.append(s)
                i = j + 1
            elif t.kind == "string":
                s = ""
                while i < len(toks) and toks[i].kind == "string":
                    s += toks[i].text
                    i += 1
                strings.append(s)
            else:
                raise GenError("%s[] line %d: unexpected %r" % (name, t.line, t.text))
        return strings

    prompts = string_array("prompt")
    preens = string_array("preen_msg")
    if len(prompts) != len(defines) or len(preens) != len(defines):
        raise GenError(
            "problem.c: %d PROMPT_* defines but prompt[] has %d and preen_msg[] %d entries"
            % (len(defines), len(prompts), len(preens))
        )
    return [(name, num, prompts[num], preens[num]) for name, num in defines]


def parse_message(field, what):
    """A message field: N_("..." "...") or "..." "..." (adjacent literals concatenate)."""
    toks = field
    if toks and toks[0].kind == "ident" and toks[0].text in ("N_", "_"):
        if len(toks) < 3 or toks[1].text != "(" or toks[-1].text != ")":
            raise GenError("%s: cannot parse message %r" % (what, field_text(field)))
        toks = toks[2:-1]
    if not toks or any(t.kind != "string" for t in toks):
        raise GenError("%s: cannot parse message %r" % (what, field_text(field)))
    return "".join(t.text for t in toks)


def parse_name_or_zero(field, what, role):
    """A field holding one identifier or the number 0; returns the name or None."""
    if len(field) == 1 and field[0].kind == "ident":
        return field[0].text
    if len(field) == 1 and field[0].kind == "number" and int(field[0].text.rstrip("uUlL"), 0) == 0:
        return None
    raise GenError("%s: cannot parse %s %r" % (what, role, field_text(field)))


def parse_flags(field, what):
    """A flags field: names and numbers combined with '|' (or 0). Returns a list of terms."""
    if not field:
        raise GenError("%s: empty flags field" % what)
    terms = []
    expect_term = True
    for t in field:
        if expect_term:
            if t.kind == "ident":
                terms.append(t.text)
            elif t.kind == "number":
                v = int(t.text.rstrip("uUlL"), 0)
                if v:
                    terms.append(v)
            else:
                raise GenError("%s: cannot parse flags %r" % (what, field_text(field)))
        elif not (t.kind == "punct" and t.text == "|"):
            raise GenError("%s: cannot parse flags %r" % (what, field_text(field)))
        expect_term = not expect_term
    if expect_term:
        raise GenError("%s: flags end in '|': %r" % (what, field_text(field)))
    return terms


def parse_problem_table(src):
    """[(name, message, prompt_name, flag_terms, second_name_or_None, line)] in table order."""
    toks = find_initializer(src, r"\bproblem_table\s*\[\s*\]\s*=\s*\{", "problem_table[]")
    toks = handle_pp(toks, "problem.c problem_table[]")
    out = []
    entries = split_entries(toks, "problem.c problem_table[]")
    for line, fields in entries:
        what = "problem.c line %d" % line
        if len(fields) == 1 and field_text(fields[0]) == "0":
            continue  # the { 0 } terminator
        if len(fields) < 2 or len(fields) > 7:
            raise GenError("%s: entry with %d fields" % (what, len(fields)))
        fields = fields + [[Tok("number", "0", line)]] * (7 - len(fields))
        name = parse_name_or_zero(fields[0], what, "code")
        if name is None:
            raise GenError("%s: entry with code 0 before the end of the table" % what)
        message = parse_message(fields[1], what)
        prompt = parse_name_or_zero(fields[2], what, "prompt") or "PROMPT_NONE"
        flags = parse_flags(fields[3], what)
        second = parse_name_or_zero(fields[4], what, "second_code")
        for k, role in ((5, "count"), (6, "max_count")):
            if parse_name_or_zero(fields[k], what, role) is not None:
                raise GenError("%s: non-zero %s %r" % (what, role, field_text(fields[k])))
        out.append((name, message, prompt, flags, second, line))
    return out


def parse_latch_table(src):
    """[(latch_name, question_name, end_name_or_None)] from pr_latch_info[], up to the -1 entry."""
    toks = find_initializer(src, r"\bpr_latch_info\s*\[\s*\]\s*=\s*\{", "pr_latch_info[]")
    toks = handle_pp(toks, "problem.c pr_latch_info[]")
    out = []
    for line, fields in split_entries(toks, "problem.c pr_latch_info[]"):
        what = "problem.c line %d" % line
        if fields and field_text(fields[0]) == "-1":
            break
        if not 2 <= len(fields) <= 4:
            raise GenError("%s: latch entry with %d fields" % (what, len(fields)))
        fields = fields + [[Tok("number", "0", line)]] * (4 - len(fields))
        latch = parse_name_or_zero(fields[0], what, "latch_code")
        question = parse_name_or_zero(fields[1], what, "question")
        end = parse_name_or_zero(fields[2], what, "end_message")
        if parse_name_or_zero(fields[3], what, "flags") is not None:
            raise GenError("%s: non-zero latch flags" % what)
        if latch is None:
            raise GenError("%s: latch code 0" % what)
        out.append((latch, question, end))
    else:
        raise GenError("problem.c: pr_latch_info[] has no { -1 } terminator")
    return out


# --------------------------------------------------------------------------
# message.c: the '@' abbreviations


def parse_abbrevs(src):
    """{letter: expansion} from abbrevs[] (the first character of each string is its letter)."""
    toks = find_initializer(src, r"\babbrevs\s*\[\s*\]\s*=\s*\{", "abbrevs[]")
    toks = handle_pp(toks, "message.c abbrevs[]")
    abbrevs = {}
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "punct" and t.text == ",":
            i += 1
        elif t.kind == "number" and t.text == "0":
            i += 1  # the NULL terminator
        elif t.kind == "ident" and t.text == "N_" and toks[i + 1].text == "(" and toks[i + 2].kind == "string":
            if toks[i + 3].text != ")":
                raise GenError("message.c line %d: bad N_()" % t.line)
            s = toks[i + 2].text
            i += 4
            add_abbrev(abbrevs, s, t.line)
        elif t.kind == "string":
            add_abbrev(abbrevs, t.text, t.line)
            i += 1
        else:
            raise GenError("message.c abbrevs[] line %d: unexpected %r" % (t.line, t.text))
    if "i" not in abbrevs or "@" not in abbrevs:
        raise GenError("message.c: abbrevs[] looks wrong: %r" % sorted(abbrevs))
    return abbrevs


def add_abbrev(abbrevs, s, line):
    if not s:
        raise GenError("message.c line %d: empty abbreviation" % line)
    # expand_at_expression() takes the first match, so keep the first.
    if s[0] in abbrevs:
        warn("message.c line %d: second abbreviation for @%s ignored" % (line, s[0]))
        return
    abbrevs[s[0]] = s[1:]


def expand_at(msg, abbrevs, first=True, recurse=0):
    """message.c's print_e2fsck_message() with only the '@' expressions evaluated.

    '%' expressions (with their width digits and the I/D sub-letter) are
    copied unchanged. '@@' gives a literal '@' (in e2fsck the recursive call
    would then read past the end of the string; no message uses it).
    """
    out = []
    i = 0
    n = len(msg)
    while i < n:
        c = msg[i]
        if c == "@":
            i += 1
            if i >= n:
                raise GenError("message ends in a lone '@': %r" % msg)
            ch = msg[i]
            s = abbrevs.get(ch)
            if ch == "@":
                out.append("@")
            elif s is not None and recurse < 10:
                f = first
                if f and s[:1].isascii() and s[:1].islower():
                    f = False
                    out.append(s[0].upper())
                    s = s[1:]
                out.append(expand_at(s, abbrevs, f, recurse + 1))
            else:
                out.append("@" + ch)
            i += 1
        elif c == "%":
            j = i + 1
            while j < n and msg[j].isdigit():
                j += 1
            if j < n and msg[j] in "ID":
                j += 1
            j += 1
            if j > n:
                raise GenError("message ends inside a %%-expression: %r" % msg)
            out.append(msg[i:j])
            i = j
        else:
            j = i
            while j < n and msg[j] not in "@%":
                j += 1
            out.append(msg[i:j])
            i = j
        first = False
    return "".join(out)


# --------------------------------------------------------------------------
# Rust output


def rust_str(s):
    """A Rust string literal for s."""
    out = ['"']
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c == "\0":
            out.append("\\0")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def doc_code(s):
    """s as a Markdown code span for a doc comment (escapes shown Rust-style)."""
    body = rust_str(s)[1:-1]
    fence = "`"
    while fence in body:
        fence += "`"
    pad = " " if body.startswith("`") or body.endswith("`") or body.startswith(" ") and body.endswith(" ") else ""
    return fence + pad + body + pad + fence


def doc_text(s):
    """s as plain Markdown text, with the characters rustdoc could take for markup escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", s)


def camel(prompt_name):
    return "".join(w.capitalize() for w in prompt_name[len("PROMPT_") :].split("_"))


def struct_lit(indent, head, fields):
    """A struct literal laid out as rustfmt (max_width 110, small heuristics Max) lays it out."""
    one = "%s%s { %s }," % (" " * indent, head, ", ".join("%s: %s" % f for f in fields))
    if len(one) <= MAX_WIDTH:
        return [one]
    lines = ["%s%s {" % (" " * indent, head)]
    lines += ["%s%s: %s," % (" " * (indent + 4), k, v) for k, v in fields]
    lines.append("%s}," % (" " * indent))
    return lines


def flags_expr(terms):
    if not terms:
        return "0"
    return " | ".join(t if isinstance(t, str) else "0x%06x" % t for t in terms)


def generate(git_dir, tag):
    problem_h = git_show(git_dir, tag, "e2fsck/problem.h")
    problemp_h = git_show(git_dir, tag, "e2fsck/problemP.h")
    problem_c = git_show(git_dir, tag, "e2fsck/problem.c")
    message_c = git_show(git_dir, tag, "e2fsck/message.c")
    commit = git_commit(git_dir, tag)

    codes, latches, latch_mask = parse_problem_h(problem_h)
    flags = parse_problemp_h(problemp_h)
    prompts = parse_prompts(problem_c)
    table = parse_problem_table(problem_c)
    latch_table = parse_latch_table(problem_c)
    abbrevs = parse_abbrevs(message_c)

    code_value = {name: value for name, value, _ in codes}
    flag_names = {name for name, _ in flags} | {name for name, _ in latches}
    latch_value = dict(latches)
    prompt_names = {p[0] for p in prompts}

    # Cross-check the table against the headers.
    rows = {}
    for name, message, prompt, fterms, second, line in table:
        what = "problem.c line %d (%s)" % (line, name)
        if name not in code_value:
            raise GenError("%s: code not defined in problem.h" % what)
        if name in rows:
            raise GenError("%s: second entry for the code" % what)
        if prompt not in prompt_names:
            raise GenError("%s: unknown prompt %s" % (what, prompt))
        for t in fterms:
            if isinstance(t, str) and t not in flag_names:
                raise GenError("%s: unknown flag %s" % (what, t))
        if second is not None and second not in code_value:
            raise GenError("%s: second_code %s not defined in problem.h" % (what, second))
        latch_bits = 0
        for t in fterms:
            if isinstance(t, str) and t in latch_value:
                latch_bits |= latch_value[t]
        if latch_bits & ~latch_mask:
            raise GenError("%s: latch flags outside PR_LATCH_MASK" % what)
        rows[name] = (message, expand_at(message, abbrevs), prompt, fterms, second)
    for latch, question, end in latch_table:
        if latch not in latch_value:
            raise GenError("pr_latch_info[]: unknown latch %s" % latch)
        for c in (question, end):
            if c is not None and c not in code_value:
                raise GenError("pr_latch_info[]: %s not defined in problem.h" % c)
            if c is not None and c not in rows:
                raise GenError("pr_latch_info[]: %s has no problem_table[] entry" % c)
    unlisted = [name for name, _, _ in codes if name not in rows]
    for name in unlisted:
        warn("%s is defined in problem.h but has no problem_table[] entry" % name)
    for name, value in latches:
        if value & ~latch_mask or not value:
            raise GenError("problem.h: %s = 0x%x is not inside PR_LATCH_MASK" % (name, value))

    out = []
    w = out.append
    w("//! e2fsck's problem codes, messages, prompts and flags (e2fsprogs %s)." % tag)
    w("//!")
    w("//! GENERATED FILE, do not edit: regenerate with")
    w("//!")
    w("//! ```text")
    w("//! python3 %s <e2fsprogs-git-dir> %s" % (SCRIPT_NAME, tag))
    w("//! ```")
    w("//!")
    w("//! (the git directory defaults to `%s`)," % DEFAULT_GIT_DIR)
    w("//! from `e2fsck/problem.h`, `problemP.h`, `problem.c` and `message.c` at tag")
    w("//! `%s` (commit `%s`)." % (tag, commit))
    w("//!")
    w("//! [`PROBLEMS`] is `problem_table[]` sorted by code. Its messages have")
    w("//! `message.c`'s `@` abbreviations expanded as `print_e2fsck_message()`")
    w("//! expands them (recursively; the first letter is capitalised only when an")
    w("//! abbreviation starts the message; `@@` is `@`). The `%` expressions")
    w("//! (`%i`, `%b`, `%Is`, `%Dn`, `%N`, ...) are left in for the caller to")
    w("//! substitute.")
    w("")
    w("use alloc::string::String;")
    w("")

    # Flags
    w("// ---- Problem flags (problemP.h) " + "-" * 45)
    w("")
    flag_comments = define_comments(problemp_h)
    for name, value in flags:
        c = flag_comments.get(name, "").strip()
        w("/// `%s` from `problemP.h`%s" % (name, (": " + doc_text(c)) if c else "."))
        w("pub const %s: u32 = 0x%06x;" % (name, value))
    w("")

    # Latches
    w("// ---- Latch groups (problem.h) " + "-" * 47)
    w("")
    latch_comments = define_comments(problem_h)
    w("/// The bits of a problem's flags that name its latch group (`problem.h`).")
    w("pub const PR_LATCH_MASK: u32 = 0x%04x;" % latch_mask)
    for name, value in latches:
        c = latch_comments.get(name, "").strip()
        w("/// `%s` from `problem.h`%s" % (name, (": " + doc_text(c)) if c else "."))
        w("pub const %s: u32 = 0x%04x;" % (name, value))
    w("")

    # Codes
    w("// ---- Problem codes (problem.h) " + "-" * 46)
    for name, value, comment in codes:
        w("")
        if comment:
            w("/// %s" % doc_text(comment))
        else:
            w("/// `%s`." % name)
        w("///")
        if name in rows:
            raw, expanded, prompt, fterms, second = rows[name]
            w("/// Message: %s" % (doc_code(expanded) if expanded else "none (an empty message)."))
            if raw != expanded:
                w("/// (in `problem.c`: %s)." % doc_code(raw))
            desc = "/// Prompt: `%s`; flags: `%s`" % (prompt, flags_expr(fterms))
            if second:
                desc += "; then `%s`" % second
            w(desc + ".")
        else:
            w("/// No entry in `problem_table[]`: e2fsck reports it as an unhandled error code.")
        w("pub const %s: u32 = 0x%06x;" % (name, value))
    w("")

    # Prompt
    w("/// The question e2fsck asks about a problem (`problem.c`'s `PROMPT_*`).")
    w("#[derive(Clone, Copy, Debug, PartialEq, Eq)]")
    w("pub enum Prompt {")
    for pname, num, text, preen in prompts:
        w("    /// `%s`: %s." % (pname, doc_code(text) if text else "no question (an empty prompt)"))
        w("    %s = %d," % (camel(pname), num))
    w("}")
    w("")
    w("impl Prompt {")
    w("    /// The prompt as e2fsck prints it (`prompt[]`); `\"(no prompt)\"` for [`Prompt::None`].")
    w("    pub fn text(self) -> &'static str {")
    w("        match self {")
    for pname, num, text, preen in prompts:
        w("            Prompt::%s => %s," % (camel(pname), rust_str(text)))
    w("        }")
    w("    }")
    w("")
    w("    /// What e2fsck prints in preen mode when it fixes the problem (`preen_msg[]`).")
    w("    pub fn preen_text(self) -> &'static str {")
    w("        match self {")
    for pname, num, text, preen in prompts:
        w("            Prompt::%s => %s," % (camel(pname), rust_str(preen)))
    w("        }")
    w("    }")
    w("}")
    w("")

    # ProblemDef / LatchDef
    w("/// One row of e2fsck's `problem_table[]`.")
    w("#[derive(Clone, Copy, Debug, PartialEq, Eq)]")
    w("pub struct ProblemDef {")
    w("    /// The code's name in `problem.h`, e.g. `\"PR_1_BAD_I_SIZE\"`.")
    w("    pub name: &'static str,")
    w("    /// The problem code.")
    w("    pub code: u32,")
    w("    /// The message, `@` abbreviations expanded, `%` expressions left in.")
    w("    pub message: &'static str,")
    w("    /// The question asked.")
    w("    pub prompt: Prompt,")
    w("    /// `PR_*` flags, including the latch group (`flags & PR_LATCH_MASK`).")
    w("    pub flags: u32,")
    w("    /// The problem asked next when `flags` has [`PR_AFTER_CODE`], else 0.")
    w("    pub second_code: u32,")
    w("}")
    w("")
    w("/// One row of e2fsck's `pr_latch_info[]`.")
    w("#[derive(Clone, Copy, Debug, PartialEq, Eq)]")
    w("pub struct LatchDef {")
    w("    /// The latch group, a `PR_LATCH_*` value.")
    w("    pub latch: u32,")
    w("    /// The problem asked once, before the group's first problem.")
    w("    pub question: u32,")
    w("    /// The problem reported when the group ends, or 0.")
    w("    pub end: u32,")
    w("}")
    w("")

    w("/// e2fsck's `problem_table[]`, sorted by code (%d problems)." % len(rows))
    w("pub static PROBLEMS: &[ProblemDef] = &[")
    for name, value, _ in sorted(codes, key=lambda c: c[1]):
        if name not in rows:
            continue
        raw, expanded, prompt, fterms, second = rows[name]
        fields = [
            ("name", rust_str(name)),
            ("code", name),
            ("message", rust_str(expanded)),
            ("prompt", "Prompt::" + camel(prompt)),
            ("flags", flags_expr(fterms)),
            ("second_code", second or "0"),
        ]
        out.extend(struct_lit(4, "ProblemDef", fields))
    w("];")
    w("")
    w("/// e2fsck's `pr_latch_info[]` (without its `-1` terminator).")
    w("pub static LATCHES: &[LatchDef] = &[")
    for latch, question, end in latch_table:
        out.extend(struct_lit(4, "LatchDef", [("latch", latch), ("question", question), ("end", end or "0")]))
    w("];")
    w("")
    w("/// The problem with this code.")
    w("pub fn by_code(code: u32) -> Option<&'static ProblemDef> {")
    w("    PROBLEMS.binary_search_by_key(&code, |p| p.code).ok().map(|i| &PROBLEMS[i])")
    w("}")
    w("")
    w("/// The problem with this `problem.h` name, e.g. `\"PR_1_BAD_I_SIZE\"`.")
    w("pub fn by_name(name: &str) -> Option<&'static ProblemDef> {")
    w("    PROBLEMS.iter().find(|p| p.name == name)")
    w("}")
    w("")
    w("/// A code as e2fsck's problem log writes it: `0x` and six lower-case hex digits.")
    w("pub fn hex(code: u32) -> String {")
    w('    alloc::format!("0x{code:06x}")')
    w("}")
    w("")

    # Tests
    bad_i_size = rows.get("PR_1_BAD_I_SIZE")
    if bad_i_size is None or "PR_1_INODE_BLOCK_LATCH" not in rows:
        raise GenError("the generated tests need PR_1_BAD_I_SIZE and PR_1_INODE_BLOCK_LATCH")
    w("#[cfg(test)]")
    w("mod tests {")
    w("    use super::*;")
    w("")
    w("    #[test]")
    w("    fn problems_sorted_and_unique() {")
    w("        assert!(PROBLEMS.windows(2).all(|w| w[0].code < w[1].code));")
    w("        for p in PROBLEMS {")
    w("            assert_eq!(by_code(p.code).map(|q| q.name), Some(p.name));")
    w("            assert_eq!(by_name(p.name).map(|q| q.code), Some(p.code));")
    w("        }")
    w("    }")
    w("")
    w("    #[test]")
    w("    fn counts() {")
    w("        // problem.h at %s defines %d codes; problem_table[] has %d of them." % (tag, len(codes), len(rows)))
    w("        assert_eq!(PROBLEMS.len(), %d);" % len(rows))
    w("        assert_eq!(LATCHES.len(), %d);" % len(latch_table))
    w("    }")
    w("")
    w("    #[test]")
    w("    fn bad_i_size() {")
    w("        let p = by_code(0x01000c).unwrap();")
    w('        assert_eq!(p.name, "PR_1_BAD_I_SIZE");')
    w("        assert_eq!(p.code, PR_1_BAD_I_SIZE);")
    w('        assert!(p.message.starts_with("Inode %i, i_size is %Is, should be %N."));')
    w("        assert_eq!(p.prompt, Prompt::Fix);")
    w("        assert_ne!(p.flags & PR_PREEN_OK, 0);")
    w('        assert_eq!(hex(0x01000c), "0x01000c");')
    w('        assert_eq!(hex(PR_0_BB_NOT_GROUP), "0x000001");')
    w("        assert!(by_code(0).is_none());")
    w('        assert!(by_name("PR_NO_SUCH_PROBLEM").is_none());')
    w("    }")
    w("")
    w("    #[test]")
    w("    fn abbreviations() {")
    w("        // @E nests @e; capitalised because it starts the message.")
    w("        let p = by_code(PR_2_BAD_INO).unwrap();")
    w('        assert_eq!(p.message, "Entry \'%Dn\' in %p (%i) has invalid inode #: %Di.\\n");')
    w("        // Only the abbreviation that starts the message is capitalised.")
    w("        let p = by_code(PR_0_BB_NOT_GROUP).unwrap();")
    w('        assert_eq!(p.message, "Block bitmap for group %g is not in group.  (block %b)\\n");')
    w("        let p = by_code(PR_0_FS_SIZE_WRONG).unwrap();")
    w('        assert!(p.message.starts_with("The filesystem size (according to the superblock) is %b blocks\\n"));')
    w("        assert!(PROBLEMS.iter().all(|p| !p.message.contains('@')));")
    w("    }")
    w("")
    w("    #[test]")
    w("    fn latches() {")
    w("        let block = LATCHES.iter().find(|l| l.latch == PR_LATCH_BLOCK).unwrap();")
    w("        assert_eq!(block.question, PR_1_INODE_BLOCK_LATCH);")
    w("        assert_eq!(block.end, 0);")
    w("        let ibitmap = LATCHES.iter().find(|l| l.latch == PR_LATCH_IBITMAP).unwrap();")
    w("        assert_eq!((ibitmap.question, ibitmap.end), (PR_5_INODE_BITMAP_HEADER, PR_5_INODE_BITMAP_END));")
    w("        for l in LATCHES {")
    w("            assert_eq!(l.latch & !PR_LATCH_MASK, 0);")
    w("            assert!(by_code(l.question).is_some());")
    w("            assert!(l.end == 0 || by_code(l.end).is_some());")
    w("        }")
    w("        let p = by_code(PR_1_ILLEGAL_BLOCK_NUM).unwrap();")
    w("        assert_eq!(p.flags & PR_LATCH_MASK, PR_LATCH_BLOCK);")
    w("    }")
    w("")
    w("    #[test]")
    w("    fn prompts() {")
    w('        assert_eq!(Prompt::None.text(), "(no prompt)");')
    w('        assert_eq!(Prompt::Fix.text(), "Fix");')
    w('        assert_eq!(Prompt::Clear.text(), "Clear");')
    w('        assert_eq!(Prompt::Fix.preen_text(), "FIXED");')
    w("    }")
    w("}")
    return "\n".join(out) + "\n", len(codes), len(rows), unlisted


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("git_dir", nargs="?", default=DEFAULT_GIT_DIR, help="e2fsprogs git dir (default %(default)s)")
    ap.add_argument("tag", nargs="?", default=DEFAULT_TAG, help="tag or commit (default %(default)s)")
    ap.add_argument("-o", "--output", default=DEFAULT_OUTPUT, help="output file (default %(default)s)")
    args = ap.parse_args()
    try:
        text, ncodes, nrows, unlisted = generate(args.git_dir, args.tag)
    except GenError as e:
        print("gen-e2fsck-problems: error: %s" % e, file=sys.stderr)
        return 1
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(
        "wrote %s: %d codes in problem.h, %d in problem_table[]%s"
        % (args.output, ncodes, nrows, (" (not in the table: %s)" % ", ".join(unlisted)) if unlisted else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
