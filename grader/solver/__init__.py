"""The reference solver: the problem kinds a rubric is written in (convolution, output size,
layer table, backprop, ...) and their arithmetic. Takes in a kind's given values; gives out every
value the kind can compute, the rules that accept other answers, dependencies and classic mistakes."""
