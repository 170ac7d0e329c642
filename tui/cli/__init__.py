"""The commands: argument parsing over the same Session the TUI uses. Never imports Textual."""
