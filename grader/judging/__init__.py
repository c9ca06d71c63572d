"""Judging one submission as a careful TA would: each answer read, then judged against the key
(tolerance, rules, carried credit, named mistakes). Takes in an AnswerKey and a Submission; gives
out a StudentResult of Verdicts, the plain data every later stage reads."""
