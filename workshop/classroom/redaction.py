"""Secrets are removed on the learner's machine, before an event is stored or sent.

The reporter runs every text field of every event (and every frame of a shared screen)
through :func:`redact`. The detectors follow detect-secrets' three ideas (secret
*keywords* next to a value, *private keys*, *high-entropy* strings), plus the command
lines a workshop teaches:

- keywords: a key whose words include password, passwd, pass, pwd, secret, token, apikey,
  credential(s), private key, access key, auth … (``DB_PASS=X``, ``"RefreshToken": "X"``,
  ``password: X``, ``cf set-env APP DB_PASSWORD X``, ``export API_TOKEN=X``);
- command lines: ``cf login -p X``, ``cf auth USER PASS``, ``-p X`` / ``-pX`` (except for
  programs where ``-p`` is a path, port or pid, such as ``mkdir -p`` or ``cf push -p``),
  ``--password X``, ``--token X`` and friends, ``openssl … pass:X``, ``vault login X``;
- HTTP credentials: ``Authorization: …`` headers, ``Bearer X``, ``curl -u user:pass``
  (quoted or not), and the ``user:pass@`` part of URLs;
- private-key blocks (``-----BEGIN … PRIVATE KEY-----``): the body goes;
- token-shaped strings: JWTs, Vault, GitHub, GitLab, Slack, AWS, Google, Stripe, npm tokens;
- high entropy: a quoted string of 24+ base64 characters, mixed case and digits, with
  more than 4.5 bits of entropy per character (detect-secrets' threshold).

Each secret becomes :data:`MASK` (inside its quotes, if quoted); the rest of the line is
kept so the instructor still sees what the learner tried. detect-secrets itself is not
used: importing it costs ~80 ms in the learner's process (it pulls in ``requests``), and
its keyword detector misses most of the command lines above.
"""

from __future__ import annotations

import math
import re
from collections import Counter

MASK = "***"

# A shell word, possibly quoted.
_WORD = r"""(?:'[^']*'|"[^"]*"|[^\s'"]+)"""

# Programs (and cf sub-commands) where `-p` is not a secret.
_P_NOT_SECRET = {
    "mkdir", "cp", "install", "ssh", "scp", "ps", "pgrep", "pkill", "nc", "netstat", "patch",
    "docker run", "docker create", "docker port", "podman run", "kubectl port-forward",
    "cf push", "cf p", "cf ssh", "git", "python", "python3", "ip", "xargs", "ls", "mktemp",
    "openssl", "lsof", "strace", "perf", "top", "java", "mvn", "unzip", "tar", "rsync",
}  # fmt: skip

# Words of a key that make its value a secret (compared lower case, whole words).
_SECRET_WORDS = {
    "password", "passwd", "pass", "pwd", "passphrase", "secret", "secrets", "token",
    "apikey", "credential", "credentials", "auth", "authtoken", "privatekey", "accesskey",
    "secretkey", "clientsecret", "sessionkey", "signingkey", "encryptionkey",
}  # fmt: skip
_SECRET_PAIRS = {("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"),
                 ("client", "secret"), ("session", "key"), ("signing", "key"),
                 ("encryption", "key"), ("auth", "token")}  # fmt: skip
_SECRET_ENDINGS = ("password", "passwd", "secret", "token")  # PGPASSWORD, MYTOKEN
_KEY_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

_PRIVATE_KEY = re.compile(
    r"(?P<key>-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----)(?P<val>.*?)"
    r"(?=-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)",
    re.S,
)
_TOKENS = re.compile(
    r"\b(?:"
    r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"  # JWT
    r"|hv[sbr]\.[A-Za-z0-9_-]{20,}|[sbr]\.[A-Za-z0-9]{24}"  # Vault
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"  # Slack
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}"  # AWS key id, Google API key
    r"|[sr]k_(?:live|test)_[0-9A-Za-z]{16,}|npm_[A-Za-z0-9]{36}"
    r")\b"
)
_SECRET_OPTION = re.compile(
    r"(?P<key>--(?:password|passwd|pass|token|secret|client-secret|api-key|apikey|"
    r"access-token|refresh-token|auth-token|secret-key|access-key)(?:=|\s+))(?P<val>" + _WORD + ")",
    re.IGNORECASE,
)
# KEY=VALUE, KEY: VALUE, "KEY": "VALUE", 'KEY' => 'VALUE'; the key is judged by its words.
_PAIR = re.compile(
    r"""(?P<key>(?P<q>["']?)(?P<name>[A-Za-z_][\w.-]*)(?P=q)\s*(?:=>|:=|=|:)[ \t]*)"""
    r"""(?P<val>'[^'\n]*'|"(?:[^"\\\n]|\\.)*"|[^\s'",;}&|)]+)"""
)
_CF_SET_ENV = re.compile(
    r"(?P<key>\bcf\s+(?:set-env|se)\s+" + _WORD + r"\s+(?P<name>" + _WORD + r")\s+)"
    r"(?P<val>" + _WORD + ")"
)
_AUTH_HEADER = re.compile(
    r"""(?P<key>\b(?:proxy-)?authorization\s*:\s*)(?P<val>[^\r\n"']+)""", re.I
)
_BEARER = re.compile(r"(?P<key>\b(?:bearer|basic|token)\s+)(?P<val>[A-Za-z0-9._~+/=-]{8,})", re.I)
_URL_AUTH = re.compile(r"(?P<key>\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)(?P<val>[^/\s@]+)(?=@)", re.I)
_CURL_USER = re.compile(
    r"""(?P<key>(?:^|\s)(?:-u|--user)(?:=|\s+)?(?:(?P<q>['"])[^\s:'"]+:|[^\s:'"-][^\s:'"]*:))"""
    r"""(?P<val>(?(q)[^'"]*|[^\s'"]+))"""
)
_OPENSSL_PASS = re.compile(r"(?P<key>\bpass:)(?P<val>" + _WORD + ")")
_VAULT_LOGIN = re.compile(r"(?P<key>\bvault\s+login\s+(?:-\S+\s+)*)(?P<val>(?!-)[^\s=]+)(?=\s|$)")
_CF_AUTH = re.compile(r"(?P<key>\bcf\s+auth\s+" + _WORD + r"\s+)(?P<val>" + _WORD + ")")
_SHORT_P = re.compile(r"(?P<key>(?<=\s)-p(?:=|\s+|(?=[^\s-])))(?P<val>" + _WORD + ")")
_SEGMENT = re.compile(r"(\|\||&&|[;|&\n]|\$\()")
_QUOTED = re.compile(r"""(?P<q>["'])(?P<val>[A-Za-z0-9+/=_-]{24,})(?P=q)""")


def _masked(value: str) -> str:
    """``value`` masked, its quotes kept."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[0] + MASK + value[0]
    return MASK


def _mask(match: re.Match[str]) -> str:
    return match.group("key") + _masked(match.group("val"))


def secret_key(name: str) -> bool:
    """Whether a variable or field called ``name`` holds a secret (``DB_PASS``,
    ``RefreshToken``, ``client-secret``), judged by its words, not its substrings
    (``COMPASS`` or ``tokenizer_path`` are not secrets)."""
    words = [w.lower() for w in _KEY_WORDS.findall(name)]
    if any(w in _SECRET_WORDS or w.endswith(_SECRET_ENDINGS) for w in words):
        return True
    return any(pair in _SECRET_PAIRS for pair in zip(words, words[1:], strict=False))


def _pair(match: re.Match[str]) -> str:
    value = match.group("val")
    if not secret_key(match.group("name")):  # --from-literal=password=X: look inside
        return match.group("key") + _PAIR.sub(_pair, value)
    if value.startswith("$") or value in ("''", '""'):
        return match.group(0)
    return match.group("key") + _masked(value)


def _set_env(match: re.Match[str]) -> str:
    return _mask(match) if secret_key(match.group("name").strip("'\"")) else match.group(0)


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _high_entropy(match: re.Match[str]) -> str:
    value = match.group("val")
    mixed = (any(c.islower() for c in value) and any(c.isupper() for c in value)
             and any(c.isdigit() for c in value))  # fmt: skip
    if mixed and _entropy(value) > 4.5:
        return match.group("q") + MASK + match.group("q")
    return match.group(0)


def _program(segment: str) -> str:
    """``cf push`` / ``mkdir``: the program (with sub-command for cf, docker …) of a segment."""
    words = [w for w in segment.split() if "=" not in w or w.startswith("-")]
    words = [w for w in words if w not in {"sudo", "env", "time", "command", "exec"}]
    if not words:
        return ""
    prog = words[0].rsplit("/", 1)[-1]
    if prog in {"cf", "docker", "podman", "kubectl"} and len(words) > 1:
        return f"{prog} {words[1]}"
    return prog


def _redact_short_p(text: str) -> str:
    """``-p X`` is a password unless the segment's program uses ``-p`` for something else."""
    parts = _SEGMENT.split(text)
    out = []
    for part in parts:
        if _SEGMENT.fullmatch(part) or " -p" not in f" {part}":
            out.append(part)
            continue
        prog = _program(part)
        if prog in _P_NOT_SECRET or prog.split(" ")[0] in _P_NOT_SECRET:
            out.append(part)
        else:
            out.append(_SHORT_P.sub(_mask, " " + part)[1:])
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with every secret described in the module docstring replaced by ``***``."""
    if not text:
        return text
    text = _PRIVATE_KEY.sub(lambda m: m.group("key") + "\n" + MASK + "\n", text)
    text = _TOKENS.sub(MASK, text)
    text = _AUTH_HEADER.sub(_mask, text)
    text = _URL_AUTH.sub(_mask, text)
    text = _CURL_USER.sub(_mask, text)
    text = _OPENSSL_PASS.sub(_mask, text)
    text = _SECRET_OPTION.sub(_mask, text)
    text = _CF_SET_ENV.sub(_set_env, text)
    text = _CF_AUTH.sub(_mask, text)
    text = _VAULT_LOGIN.sub(_mask, text)
    text = _redact_short_p(text)
    text = _BEARER.sub(_mask, text)
    text = _PAIR.sub(_pair, text)
    text = _QUOTED.sub(_high_entropy, text)
    return text
