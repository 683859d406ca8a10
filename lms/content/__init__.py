"""The curriculum as files: reading and validating courses/ and quizzes/, GIFT and Aiken."""
