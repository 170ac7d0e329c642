"""A small, faithful local Cognito user pool: the sandbox, and a test peer. No Textual."""
