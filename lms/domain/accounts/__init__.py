"""People and access: users, roles, stores, cohorts, passwords (and resetting them by email), API tokens, CSV user import, the demo set-up, and the security log of refused requests."""
