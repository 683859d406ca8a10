"""People and access: users, roles, stores, cohorts, passwords, API tokens, CSV user import, the demo set-up."""
