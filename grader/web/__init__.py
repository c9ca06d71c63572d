"""The students' self-check web page (`grader serve`): a thin shell over the same core as `grader check`.
Takes in a student's id and typed or uploaded answers; gives out the verdicts, under the rubric's
reveal policy and a per-student limit on checks."""
