"""What a learner does: reading lessons (completions) and taking quizzes (attempts on the server's clock, grading, review)."""
