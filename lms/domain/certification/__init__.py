"""Go-live: the requirements, trainer sign-off, certificates issued once and revoked with a reason, the cohort matrix trainers read."""
