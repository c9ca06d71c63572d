"""A class: every file graded, one counted submission per student, the roster matched, the late
penalty and the TA's overrides applied, and the class statistics. Takes in an AnswerKey and the
submission paths; gives out a BatchResult."""
