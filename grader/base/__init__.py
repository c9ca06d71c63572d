"""The base every stage stands on: numbers as students type them, the safe expression language,
domain errors, safe reading of structured files, the bounds on untrusted input, rubric field
reading, and the process pool. Takes in text and bytes; gives out exact numbers and plain data."""
