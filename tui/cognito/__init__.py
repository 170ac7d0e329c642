"""The Cognito layer: wire client, errors, sign-in, tokens, profiles. Knows nothing of Textual."""
