"""People and access: users, roles, stores (with their short codes), cohorts, passwords (and resetting them by email), API tokens, CSV user import, and the security log of refused requests."""
