"""The students' self-check web page (`grader serve`)."""
