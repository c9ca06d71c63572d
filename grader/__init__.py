"""grader: automated grading of quantitative deep-learning homework."""
