"""What a student is handed: the blank answer file and the question sheet with that student's
own numbers. Takes in an AnswerKey; gives out text."""
