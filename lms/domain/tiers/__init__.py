"""The career ladder (ordinary → gold): next-tier requirements, promotion with its evidence, admin demotion."""
