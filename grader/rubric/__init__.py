"""The assignment: a rubric YAML read into frozen data with its settings (tolerances, credit,
reveal, resubmissions, late rule, variants), and the answer key the solver computes from it.
Takes in a rubric file (and a student id for variants); gives out a Rubric and an AnswerKey."""
