"""HTTPS for the mock router: a local certificate authority in the mock home.

Why: learners copy app URLs as ``https://…`` (PWS served every route over HTTPS). The
router answers ``CONNECT`` for the foundation's domains by presenting a certificate for the
domain and its wildcard, signed by the mock home's CA (``DIR/tls/ca.pem``: a copy of the
user's, made once in the user's cache folder). The learner's shell trusts it through
``SSL_CERT_FILE``, ``CURL_CA_BUNDLE`` and ``REQUESTS_CA_BUNDLE`` (``bundle_path``: the CA
followed by the system's bundle, so nothing else stops working), made before anything
answers on the router's port (by the process that holds the port for the learner's
session, or by the router before it says it runs). Keys never leave the user's own folders;
the CA is made with the ``openssl`` program when there is one, and ``cryptography`` is
imported only when a certificate has to be made otherwise (the domains' certificates, at
their first request).
"""

from __future__ import annotations

import _thread
import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and pathlib are not imported at run time (the router's start)
    import datetime
    import ssl
    from pathlib import Path

    StrPath = str | os.PathLike[str]

TLS_DIR = "tls"
CA_NAME = "Workshop offline foundation CA"
BUNDLE_NAME = "ca-bundle.pem"
USER_CA_DIR = "mock-ca"
"""The folder of the user's cache that holds the CA new mock homes get a copy of."""
_LOCK = _thread.allocate_lock()
_CONTEXTS: dict[str, ssl.SSLContext] = {}


def bundle_file(home: Path) -> Path:
    """Where the CA bundle the learner's shell trusts is (see :func:`bundle_path`)."""
    return home / TLS_DIR / BUNDLE_NAME


def bundle_path(home: StrPath) -> str:
    """The CA bundle the learner's shell trusts (made when missing). The router makes it
    before it says it runs, so that a learner's shell can be given its path at once, without
    waiting for a CA to be made (or ``cryptography`` to be imported)."""
    target = os.path.join(home, TLS_DIR, BUNDLE_NAME)
    if not os.path.isfile(target):
        ca_cert, _ = _ca(home)
        system = ""
        cafile = _system_cafile()
        if cafile and os.path.isfile(cafile):
            try:
                with open(cafile, encoding="utf-8", errors="replace") as fh:
                    system = fh.read()
            except OSError:
                system = ""
        with open(ca_cert, encoding="utf-8") as fh:
            _write(target, fh.read() + system, 0o644)
    return target


def _system_cafile() -> str | None:
    """The system's CA file, as ``ssl.get_default_verify_paths().cafile`` names it (its
    variable, else OpenSSL's default), from the ``_ssl`` extension: importing the ``ssl``
    module (its enums) costs every router's start about 8 ms of CPU."""
    import _ssl

    variable, default = _ssl.get_default_verify_paths()[:2]
    return os.environ.get(variable, default) or None


def server_context(home: StrPath, domain: str) -> ssl.SSLContext:
    """A server context presenting ``domain`` and ``*.domain``, signed by the home's CA."""
    import ssl

    key = f"{home}\0{domain}"
    with _LOCK:
        context = _CONTEXTS.get(key)
        if context is None:
            cert, private = _leaf(home, domain)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, private)
            _CONTEXTS[key] = context
    return context


def _write(path: str, text: str | bytes, mode: int) -> None:
    folder, name = os.path.split(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}")
    data = text.encode() if isinstance(text, str) else text
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _ca(home: StrPath) -> tuple[str, str]:
    """The home's CA certificate and key files: a copy of the user's CA (:func:`_user_ca`),
    or, when that cannot be had, one of its own (made once)."""
    cert, key = os.path.join(home, TLS_DIR, "ca.pem"), os.path.join(home, TLS_DIR, "ca.key")
    if os.path.isfile(cert) and os.path.isfile(key):
        return cert, key
    try:
        user_cert, user_key = _user_ca()
        with open(user_key, "rb") as fh:
            _write(key, fh.read(), 0o600)
        with open(user_cert, "rb") as fh:
            _write(cert, fh.read(), 0o644)
        return cert, key
    except OSError:
        pass
    _make_ca(cert, key)
    return cert, key


def _user_ca() -> tuple[str, str]:
    """The CA every new mock home of this user gets a copy of (its certificate and key
    files in the user's cache folder, ``mock-ca/``; made once, under a lock).

    Why: a learner's session, each ``workshop test`` sandbox and ``workshop mock env`` make
    new mock homes, and making a CA for each ran ``openssl`` (about 10 ms of CPU a home).
    Each home keeps its own copy, so its certificates stay valid if the cache is cleared
    (a new CA is made then, for new homes)."""
    import fcntl

    from workshop import paths

    folder = str(paths.cache_dir() / USER_CA_DIR)
    cert, key = os.path.join(folder, "ca.pem"), os.path.join(folder, "ca.key")
    if os.path.isfile(cert) and os.path.isfile(key):
        return cert, key
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with open(os.path.join(folder, ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # sandboxes start in parallel: one CA is made
        if not (os.path.isfile(cert) and os.path.isfile(key)):
            _make_ca(cert, key)
    return cert, key


def _make_ca(cert: str, key: str) -> None:
    """Make a CA in the files ``cert`` and ``key``: with the ``openssl`` program when
    there is one, else with ``cryptography``."""
    if _ca_by_openssl(cert, key):
        return
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _days(1))
        .not_valid_after(now + _days(3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False
        )
        .sign(private, hashes.SHA256())
    )
    _write(
        key,
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        0o600,
    )
    _write(cert, certificate.public_bytes(serialization.Encoding.PEM), 0o644)


def _ca_by_openssl(cert: str, key: str) -> bool:
    """Make the CA with the ``openssl`` program when there is one (False when it cannot):
    it takes a few milliseconds of CPU where importing ``cryptography`` alone takes about
    30, and every fresh mock home's router makes a CA as it starts. Run with
    ``os.posix_spawn``: ``subprocess`` and ``shutil`` alone cost a start about 30 ms."""
    program = _which("openssl")
    if program is None:
        return False
    folder = os.path.dirname(cert)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    made = [os.path.join(folder, f".{os.path.basename(p)}.{os.getpid()}") for p in (cert, key)]
    errors = os.path.join(folder, f".openssl.{os.getpid()}.log")
    command = [
        program, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", made[1], "-out", made[0], "-days", "3650",
        "-subj", f"/CN={CA_NAME}",
        "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
        "-addext", "keyUsage=critical,digitalSignature,keyCertSign,cRLSign",
    ]  # fmt: skip
    try:
        status = _run(command, errors, timeout=30)
        if status != 0 or not all(os.path.isfile(path) for path in made):
            with open(errors, encoding="utf-8", errors="replace") as fh:
                raise OSError(fh.read().strip())
        os.chmod(made[1], 0o600)
        os.chmod(made[0], 0o644)
        os.replace(made[1], key)
        os.replace(made[0], cert)
    except OSError:  # cryptography makes it instead
        for path in made:
            _remove(path)
        return False
    finally:
        _remove(errors)
    return True


def _which(program: str) -> str | None:
    """``shutil.which(program)`` for a plain name: the first executable file of that name
    in PATH's folders."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(folder or ".", program)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _run(command: list[str], output: str, timeout: float) -> int:
    """Run ``command`` (stdin from /dev/null, stdout and stderr to the file ``output``) and
    return its exit status (-1 when it had to be killed after ``timeout`` seconds)."""
    import time

    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        pid = os.posix_spawn(
            command[0],
            command,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, fd, 1),
                (os.POSIX_SPAWN_DUP2, fd, 2),
            ],
        )
    finally:
        os.close(fd)
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return -1
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _leaf(home: StrPath, domain: str) -> tuple[str, str]:
    """The certificate and key files for ``domain`` and ``*.domain`` (made once)."""
    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in domain)
    cert = os.path.join(home, TLS_DIR, f"{safe}.pem")
    key = os.path.join(home, TLS_DIR, f"{safe}.key")
    if os.path.isfile(cert) and os.path.isfile(key):
        return cert, key
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_cert_path, ca_key_path = _ca(home)
    with open(ca_cert_path, "rb") as fh:
        ca_cert = x509.load_pem_x509_certificate(fh.read())
    with open(ca_key_path, "rb") as fh:
        ca_key = serialization.load_pem_private_key(fh.read(), password=None)
    private = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"*.{domain}")]))
        .issuer_name(ca_cert.subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _days(1))
        .not_valid_after(now + _days(825))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(domain), x509.DNSName(f"*.{domain}")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    _write(
        key,
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        0o600,
    )
    _write(cert, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert, key


def _now() -> datetime.datetime:
    import datetime

    return datetime.datetime.now(datetime.UTC)


def _days(n: int) -> datetime.timedelta:
    import datetime

    return datetime.timedelta(days=n)
