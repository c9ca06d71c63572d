"""The students' self-check web page (`grader serve`): a thin shell over the same core as `grader check`.
Takes in a student's id (and personal code, where the course uses them) and typed, uploaded or
JSON answers; gives out the verdicts beside each answer, as a page or as JSON for
`grader.check_remote` (`client`, standard library only), under the rubric's reveal policy and
limits per student and per client address. `server` runs it on waitress with bounds on bodies,
connections and idle time."""
