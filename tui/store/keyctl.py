"""The Linux kernel's per-user persistent keyring, through two system calls.

It needs no daemon and no password, so it works on a headless jump host over SSH: the keys are
shared by all of the user's sessions, unreadable by other users (root excepted), never written
to disk, and gone on reboot or after a few idle days. No maintained binding exists on PyPI, and
libkeyutils is not on a bare host, so the calls go through libc's syscall() with ctypes.
This module does not import `keyring` (60 ms): the commands read their tokens through it
directly; tui.store.kernel_keyring offers the same keys as a keyring backend.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys

# System call numbers; libkeyutils is not installed on a bare host, libc is.
_SYSCALLS = {
    "x86_64": (248, 250),
    "amd64": (248, 250),
    "aarch64": (217, 219),
    "arm64": (217, 219),
    "i386": (286, 288),
    "i686": (286, 288),
    "armv7l": (309, 311),
    "ppc64le": (269, 271),
    "s390x": (278, 280),
    "riscv64": (217, 219),
}
KEYCTL_SEARCH = 10
KEYCTL_READ = 11
KEYCTL_INVALIDATE = 21
KEYCTL_GET_PERSISTENT = 22
KEY_SPEC_PROCESS_KEYRING = -2
#: Largest payload of one "user" key.
MAX_PAYLOAD = 32767
#: A non-root user's quota for all keys (kernel.keys.maxbytes); entries must stay well inside.
USER_QUOTA_BYTES = 20000


class KernelKeyError(Exception):
    """A kernel keyring call failed; the message says what to do."""


class _Keyctl:
    def __init__(self) -> None:
        if not sys.platform.startswith("linux"):
            raise KernelKeyError("the kernel keyring exists only on Linux")
        numbers = _SYSCALLS.get(os.uname().machine.lower())
        if numbers is None:
            raise KernelKeyError(f"unknown system call numbers for {os.uname().machine}")
        self._add_key_nr, self._keyctl_nr = numbers
        libc = ctypes.CDLL(None, use_errno=True)
        self._syscall = libc.syscall
        self._syscall.restype = ctypes.c_long

    def _call(self, *args: object) -> int:
        result = int(self._syscall(*args))
        if result < 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
        return result

    def persistent(self) -> int:
        # Links the user's persistent keyring into this process's keyring so it is "possessed".
        return self._call(self._keyctl_nr, ctypes.c_long(KEYCTL_GET_PERSISTENT),
                          ctypes.c_long(-1), ctypes.c_long(KEY_SPEC_PROCESS_KEYRING))

    def add(self, keyring: int, description: str, payload: bytes) -> int:
        return self._call(self._add_key_nr, b"user", description.encode(), payload,
                          ctypes.c_size_t(len(payload)), ctypes.c_long(keyring))

    def search(self, keyring: int, description: str) -> int | None:
        try:
            return self._call(self._keyctl_nr, ctypes.c_long(KEYCTL_SEARCH),
                              ctypes.c_long(keyring), b"user", description.encode(),
                              ctypes.c_long(0))
        except OSError as exc:
            if exc.errno in (errno.ENOKEY, errno.EKEYEXPIRED, errno.EKEYREVOKED):
                return None
            raise

    def read(self, key: int) -> bytes:
        buf = ctypes.create_string_buffer(MAX_PAYLOAD)
        size = self._call(self._keyctl_nr, ctypes.c_long(KEYCTL_READ), ctypes.c_long(key),
                          buf, ctypes.c_size_t(MAX_PAYLOAD))
        return buf.raw[:size]

    def invalidate(self, key: int) -> None:
        self._call(self._keyctl_nr, ctypes.c_long(KEYCTL_INVALIDATE), ctypes.c_long(key))


def _explain(exc: OSError, action: str) -> KernelKeyError:
    if exc.errno == errno.EDQUOT:
        return KernelKeyError(
            f"kernel keyring quota exceeded while trying to {action} "
            f"(a user has about {USER_QUOTA_BYTES} bytes in all); remove old keys with "
            "`keyctl purge user` or sign out of other profiles")
    if exc.errno in (errno.ENOSYS, errno.EPERM, errno.EACCES):
        return KernelKeyError(
            f"the kernel keyring is not available here ({exc.strerror}); containers often "
            "block it. Use --token-store keyring or memory")
    return KernelKeyError(f"kernel keyring: cannot {action}: {exc.strerror}")



class KernelKeys:
    """get / put / remove over the persistent keyring, keys named "<service>:<key>"."""

    def __init__(self) -> None:
        self._ctl: _Keyctl | None = None
        self._ring: int | None = None

    @staticmethod
    def available() -> bool:
        try:
            _Keyctl().persistent()
        except (KernelKeyError, OSError):
            return False
        return True

    def _keyring(self) -> tuple[_Keyctl, int]:
        if self._ctl is None or self._ring is None:
            try:
                self._ctl = _Keyctl()
                self._ring = self._ctl.persistent()
            except OSError as exc:
                raise _explain(exc, "open the persistent keyring") from None
        return self._ctl, self._ring

    def get(self, service: str, key: str) -> str | None:
        ctl, ring = self._keyring()
        try:
            serial = ctl.search(ring, f"{service}:{key}")
            return None if serial is None else ctl.read(serial).decode()
        except OSError as exc:
            raise _explain(exc, "read a key") from None

    def put(self, service: str, key: str, value: str) -> None:
        ctl, ring = self._keyring()
        payload = value.encode()
        if len(payload) > MAX_PAYLOAD:
            raise KernelKeyError("value too large for one kernel key")
        try:
            ctl.add(ring, f"{service}:{key}", payload)
        except OSError as exc:
            raise _explain(exc, "store a key") from None

    def remove(self, service: str, key: str) -> bool:
        ctl, ring = self._keyring()
        try:
            serial = ctl.search(ring, f"{service}:{key}")
            if serial is None:
                return False
            ctl.invalidate(serial)
        except OSError as exc:
            raise _explain(exc, "remove a key") from None
        return True

    @staticmethod
    def explain(exc: BaseException, action: str) -> str:
        # KernelKeyError's own words already say what happened and what to do.
        if isinstance(exc, KernelKeyError):
            return str(exc)
        return f"the kernel keyring failed to {action}: {type(exc).__name__}: {exc}"
