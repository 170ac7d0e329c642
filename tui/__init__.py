"""cognito-tui: view and safely edit a signed-in Amazon Cognito user's attributes.

This module stays empty of imports on purpose: the commands must start fast, and the Cognito
core must be importable without Textual.
"""

__version__ = "0.1.0"
