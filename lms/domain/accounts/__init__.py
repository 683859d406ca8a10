"""People and access: users, roles, stores (with their short codes), cohorts, passwords, API tokens, CSV user import."""
