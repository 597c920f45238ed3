"""Is a command's output "similar" to the lesson's expected block? A fuzzy, explainable test.

Lessons show what *the author* saw (``User: user_name``, ``API version: 2.46.0``); the
learner's foundation has other names, versions, dates and colours. So both texts are
normalised line by line into *skeletons*:

1. terminal clean-up: ANSI/OSC escapes, carriage-return redraws, runs of blanks, blank lines;
2. masks: URLs, e-mails, GUIDs, dates, times, IP addresses, hex ids and numbers (with units)
   become placeholders such as ``⟨url⟩`` and ``⟨num⟩``;
3. names: tokens that look like identifiers (``user_name``, ``your-org``, ``stock-12f``) and
   the one-word value of a ``Label: value`` line (``Space: development``) become ``⟨name⟩``,
   except state words (``OK``, ``FAILED``, ``started`` …) that carry meaning.

Every expected line must then be found, in order, in the output (a skeleton match, or the
same skeleton with a name or two substituted), and an error the lesson does not show
(``FAILED``, ``command not found``, ``Not logged in``) makes the output different at once,
and so does an expected line contradicted by a state word (``started`` → ``stopped``).
The whole-text ``difflib`` ratio of the skeletons is reported and, when a few lines are
missing, decides. The first expected line not found is the reason given to the learner.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from workshop.checking.text import clean_output

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?"
_MASKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"()<>]+"), "⟨url⟩"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "⟨email⟩"),
    (
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "⟨guid⟩",
    ),
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
            r"(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2}|\s[A-Z]{3,4}\b)?)?"
        ),
        "⟨date⟩",
    ),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "⟨date⟩"),
    (re.compile(rf"\b(?:{_DAY}\s+)?{_MONTH}\s+\d{{1,2}}\b(?:,?\s+\d{{4}})?"), "⟨date⟩"),
    (re.compile(rf"\b{_DAY}(?=\s)"), "⟨date⟩"),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm]\b)?"), "⟨time⟩"),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"), "⟨ip⟩"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b"), "⟨hex⟩"),
    (
        re.compile(r"(?<![\w⟩])[vV]?\d+(?:[.,]\d+)*(?:[KMGTP]i?B?|[kmg]b|%|ms|s)?(?![\w⟨])"),
        "⟨num⟩",
    ),
]
_TOKEN = re.compile(r"⟨\w+⟩|\.\.\.|[\w@⟨⟩]+(?:[.\-'][\w@⟨⟩]+)*|\S")
_NAMELIKE = re.compile(r"^(?=.*[_\-\d.⟨])[A-Za-z0-9⟨][\w.\-⟨⟩]*$")
_KEY_VALUE = re.compile(r"^([A-Za-z][A-Za-z /()'-]{0,40}?):\s+(\S.*)$")
MAX_LINES = 1000
"""Lines of each text compared (the head and tail of longer output), to bound the cost."""
_STATE_WORDS = frozenset(
    "ok failed error started stopped running crashed down starting true false null none "
    "yes no enabled disabled succeeded pending unknown".split()
)
_FAILURE = re.compile(
    r"^\s*(?:FAILED\b|ERROR\b|Error\b|error:|fatal:)|command not found|"
    r"is not a registered command|Not logged in|No such file or directory"
)


@dataclass
class Similarity:
    """The verdict of :func:`compare`: similar or not, with figures and a reason."""

    similar: bool
    score: float
    """Share of the expected lines found, in order, in the output (0–1)."""
    ratio: float
    """``difflib`` ratio of the two normalised texts (0–1)."""
    reason: str | None = None
    """Why not similar: the first expected line not found and the closest output line."""
    expected_line: str | None = None
    actual_line: str | None = None


def lines_of(text: str) -> list[str]:
    """Non-blank lines of terminal output, cleaned and with runs of blanks collapsed."""
    out = []
    for line in clean_output(text).split("\n"):
        line = " ".join(line.split())
        if line:
            out.append(line)
    return out


def _kept_lines(text: str) -> list[str]:
    """:func:`lines_of` ``text``, of which at most MAX_LINES: a quarter from the start and
    the rest from the end (100,000 lines of log). Only as many raw lines as those need
    are cleaned: a flood of output is judged in about the time a short one is."""
    head_n = MAX_LINES // 4
    tail_n = MAX_LINES - head_n
    raw = text.split("\n")
    if len(raw) <= 2 * MAX_LINES:
        return _kept_lines_of(lines_of(text), head_n, tail_n)
    head: list[str] = []
    start = 0
    while len(head) < head_n and start < len(raw):
        head += lines_of("\n".join(raw[start : start + MAX_LINES]))
        start += MAX_LINES
    tail: list[str] = []
    end = len(raw)
    while len(tail) < tail_n and end > start:
        tail = lines_of("\n".join(raw[max(start, end - MAX_LINES) : end])) + tail
        end -= MAX_LINES
    if end <= start:  # mostly blank lines: the cut could not be made by parts
        return _kept_lines_of(lines_of(text), head_n, tail_n)
    return head[:head_n] + tail[-tail_n:]


def _kept_lines_of(lines: list[str], head_n: int, tail_n: int) -> list[str]:
    return lines[:head_n] + lines[-tail_n:] if len(lines) > head_n + tail_n else lines


def mask(line: str) -> str:
    """``line`` with URLs, e-mails, GUIDs, dates, times, IPs, hex ids and numbers masked."""
    for pattern, token in _MASKS:
        line = pattern.sub(token, line)
    return line


def _name_token(token: str) -> str:
    if token.lower() in _STATE_WORDS:
        return token
    if _NAMELIKE.match(token) and not re.fullmatch(r"⟨\w+⟩", token):
        return "⟨name⟩"
    return token


def skeleton(line: str) -> list[str]:
    """The tokens of a cleaned line after masking values and names (see the module doc)."""
    masked = mask(line)
    kv = _KEY_VALUE.match(masked)
    if kv:
        label, value = kv.group(1), kv.group(2).strip()
        tokens = _TOKEN.findall(label) + [":"]
        value_tokens = _TOKEN.findall(value)
        if len(value_tokens) == 1 and value_tokens[0].lower() not in _STATE_WORDS:
            return tokens + ["⟨name⟩"]
        return tokens + [_name_token(t) for t in value_tokens]
    return [_name_token(t) for t in _TOKEN.findall(masked)]


def _is_word(token: str) -> bool:
    return (
        bool(token)
        and (token[0].isalnum() or token[0] == "⟨")
        and token.lower() not in _STATE_WORDS
    )


def lines_match(expected: list[str], actual: list[str]) -> bool:
    """Two skeletons match: equal, or equal but for a name or two, or nearly equal text."""
    if expected == actual:
        return True
    if not expected or not actual:
        return False
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return False  # cheap upper bounds: most lines of a long output stop here
    substituted = 0
    hard = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            pairs = zip(expected[i1:i2], actual[j1:j2], strict=True)
            if all(_is_word(a) and _is_word(b) for a, b in pairs):
                substituted += i2 - i1
                continue
        hard += max(i2 - i1, j2 - j1)
    if hard == 0 and substituted <= max(1, len(expected) // 4):
        return True
    text = difflib.SequenceMatcher(None, " ".join(expected), " ".join(actual), autojunk=False)
    return text.quick_ratio() >= 0.92 and text.ratio() >= 0.92


def contradicts(expected: list[str], actual: list[str]) -> bool:
    """The same line but for a state word (``started`` vs ``stopped``, ``OK`` vs ``FAILED``)."""
    if len(expected) != len(actual) or expected == actual:
        return False
    for a, b in zip(expected, actual, strict=True):
        if a != b and a.lower() not in _STATE_WORDS and b.lower() not in _STATE_WORDS:
            return False
    return True


def compare(expected: str, actual: str, threshold: float = 0.8) -> Similarity:
    """Compare ``actual`` output with the ``expected`` block; never raises for any text."""
    exp_lines = lines_of(expected)[:MAX_LINES]
    act_lines = _kept_lines(actual)
    if not exp_lines:
        return Similarity(True, 1.0, 1.0)
    if not act_lines:
        return Similarity(False, 0.0, 0.0, "the command printed nothing", exp_lines[0], None)
    exp_sk = [skeleton(line) for line in exp_lines]
    act_sk = [skeleton(line) for line in act_lines]
    ratio = difflib.SequenceMatcher(
        None, "\n".join(" ".join(s) for s in exp_sk), "\n".join(" ".join(s) for s in act_sk)
    ).ratio()
    expected_failure = any(_FAILURE.search(line) for line in exp_lines)
    if not expected_failure:
        for k, line in enumerate(act_lines):
            if _FAILURE.search(line):
                said = line
                if line.strip() == "FAILED" and k + 1 < len(act_lines):
                    said = f"{line}: {act_lines[k + 1]}"
                return Similarity(False, 0.0, ratio, f"the output says: {said}", None, line)
    found = 0
    first_missing: int | None = None
    missing_at = 0
    pos = 0
    for i, sk in enumerate(exp_sk):
        for j in range(pos, len(act_sk)):
            if lines_match(sk, act_sk[j]):
                found += 1
                pos = j + 1
                break
        else:
            for j, other in enumerate(act_sk):
                if contradicts(sk, other):
                    want, got = exp_lines[i], act_lines[j]
                    reason = f"expected '{want}', got '{got}'"
                    return Similarity(False, found / len(exp_sk), ratio, reason, want, got)
            if first_missing is None:
                first_missing, missing_at = i, pos
    score = found / len(exp_sk)
    if first_missing is None:
        return Similarity(True, 1.0, ratio)
    if score >= threshold and ratio >= threshold:
        return Similarity(True, score, ratio)
    want = exp_lines[first_missing]
    closest = _closest(exp_sk[first_missing], act_sk, act_lines, missing_at)
    if closest is None:
        reason = f"expected a line like '{want}'"
    else:
        reason = f"expected a line like '{want}', got '{closest}'"
    return Similarity(False, score, ratio, reason, want, closest)


def _closest(
    want: list[str], act_sk: list[list[str]], act_lines: list[str], start: int
) -> str | None:
    """The output line at or after ``start`` (else anywhere) that looks most like ``want``."""
    best: tuple[float, int] | None = None
    candidates = range(start, len(act_sk)) if start < len(act_sk) else range(len(act_sk))
    target = " ".join(want)
    for j in candidates:
        matcher = difflib.SequenceMatcher(None, target, " ".join(act_sk[j]), autojunk=False)
        if best is not None and matcher.quick_ratio() <= best[0]:
            continue
        r = matcher.ratio()
        if best is None or r > best[0]:
            best = (r, j)
    if best is None:
        return None
    return act_lines[best[1]]
