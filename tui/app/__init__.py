"""The Textual app: screens and widgets over the same Session the commands use."""
