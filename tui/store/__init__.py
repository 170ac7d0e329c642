"""Where tokens live between runs: the OS keyring, the Linux kernel keyring, or memory only.

Knows nothing of Textual; the choice of backend is explicit and always shown to the user.
"""
