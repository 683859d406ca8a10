"""The FAQ drill pages: the spaced-repetition session, the typing and first-response drills."""
