"""Cognito's SRP-6a variant (USER_SRP_AUTH): the client's side, and the verifier for a server.

The password never leaves the machine: the client sends A = g^a, Cognito answers with a salt,
B and a secret block, and the client proves it knows the password with an HMAC signature.
Both sides live here because the local user pool checks proofs with the same math.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as _random
import time
from dataclasses import dataclass

# RFC 5054's 3072-bit group, the one Cognito uses (g = 2).
N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
    "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF"
    "5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D3"
    "9A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08"
    "CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF69558171839"
    "95497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DB"
    "EF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA"
    "06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO = b"Caldera Derived Key"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def pad_hex(value: int | str) -> str:
    """Big-endian hex, even length, with a leading 00 when the top bit is set (stays positive)."""
    text = value if isinstance(value, str) else format(value, "x")
    if len(text) % 2:
        text = "0" + text
    elif text[0] in "89abcdefABCDEF":
        text = "00" + text
    return text


def hash_hex(hex_text: str) -> str:
    """SHA-256 over the bytes a hex string stands for, as 64 hex digits."""
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


def _h_int(hex_text: str) -> int:
    return int(hash_hex(hex_text), 16)


K = _h_int("00" + N_HEX + "02")


def pool_suffix(user_pool_id: str) -> str:
    """The part of the pool id after '_' (`eu-west-1_AbC` -> `AbC`)."""
    return user_pool_id.split("_", 1)[1] if "_" in user_pool_id else user_pool_id


def password_x(user_pool_id: str, user_id: str, password: str, salt_hex: str) -> int:
    inner = hashlib.sha256(
        f"{pool_suffix(user_pool_id)}{user_id}:{password}".encode()).hexdigest()
    return _h_int(pad_hex(salt_hex) + inner)


def compute_u(big_a: int, big_b: int) -> int:
    return _h_int(pad_hex(big_a) + pad_hex(big_b))


def derive_key(u: int, s: int) -> bytes:
    """One HKDF-SHA256 step: salt = pad(u), input = pad(S), info = 'Caldera Derived Key' || 1."""
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), hashlib.sha256).digest()
    return hmac.new(prk, INFO + b"\x01", hashlib.sha256).digest()[:16]


def timestamp(now: float | None = None) -> str:
    """`Tue Sep 5 08:06:09 UTC 2023`: English names whatever the locale, day not zero-padded."""
    t = time.gmtime(time.time() if now is None else now)
    return (f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC {t.tm_year}")


def signature(key: bytes, user_pool_id: str, user_id: str, secret_block_b64: str,
              stamp: str) -> str:
    message = (pool_suffix(user_pool_id).encode() + user_id.encode()
               + base64.b64decode(secret_block_b64) + stamp.encode())
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


class SrpError(ValueError):
    """The server's SRP values are unusable (B % N == 0, or u == 0)."""


@dataclass
class SrpClient:
    """One SRP exchange from the client's side. `a` may be given for cross-checking tests."""

    user_pool_id: str
    a: int = 0

    def __post_init__(self) -> None:
        if not self.a:
            self.a = int.from_bytes(_random.token_bytes(128), "big") % N
        self.big_a = pow(G, self.a, N)

    @property
    def srp_a_hex(self) -> str:
        return format(self.big_a, "x")

    def __repr__(self) -> str:
        # The private exponent is as good as the password for this exchange.
        return f"SrpClient(user_pool_id={self.user_pool_id!r})"

    def process_challenge(self, *, user_id: str, password: str, salt_hex: str, srp_b_hex: str,
                          secret_block_b64: str, stamp: str | None = None) -> tuple[str, str]:
        """The PASSWORD_CLAIM_SIGNATURE and the TIMESTAMP it signs."""
        big_b = int(srp_b_hex, 16)
        if big_b % N == 0:
            raise SrpError("the server's SRP_B is invalid")
        u = compute_u(self.big_a, big_b)
        if u == 0:
            raise SrpError("the SRP scrambling parameter is zero")
        x = password_x(self.user_pool_id, user_id, password, salt_hex)
        s = pow(big_b - K * pow(G, x, N), self.a + u * x, N)
        stamp = stamp or timestamp()
        key = derive_key(u, s)
        return signature(key, self.user_pool_id, user_id, secret_block_b64, stamp), stamp


# --- the server's side, for the local user pool ---------------------------------------------

def make_verifier(user_pool_id: str, user_id: str, password: str,
                  salt_hex: str | None = None) -> tuple[str, int]:
    """A salt and verifier v = g^x for storing instead of the password."""
    salt_hex = salt_hex or _random.token_hex(16)
    return salt_hex, pow(G, password_x(user_pool_id, user_id, password, salt_hex), N)


@dataclass
class SrpServer:
    """The server's half of one exchange, given the stored verifier."""

    user_pool_id: str
    user_id: str
    verifier: int
    b: int = 0

    def __post_init__(self) -> None:
        if not self.b:
            self.b = int.from_bytes(_random.token_bytes(128), "big") % N
        self.big_b = (K * self.verifier + pow(G, self.b, N)) % N

    def __repr__(self) -> str:
        return f"SrpServer(user_id={self.user_id!r})"

    def expected_signature(self, srp_a_hex: str, secret_block_b64: str, stamp: str) -> str:
        big_a = int(srp_a_hex, 16)
        if big_a % N == 0:
            raise SrpError("SRP_A is invalid")
        u = compute_u(big_a, self.big_b)
        s = pow(big_a * pow(self.verifier, u, N), self.b, N)
        return signature(derive_key(u, s), self.user_pool_id, self.user_id, secret_block_b64,
                         stamp)
