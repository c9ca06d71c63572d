"""A safe arithmetic expression language for rubrics: parsed by our own grammar, never `eval`.

Grammar:  expr := term (('+'|'-') term)*        term := unary (('*'|'/') unary)*
          unary := ('+'|'-') unary | power      power := atom (('^'|'**') unary)?
          atom := number | name | name '(' expr ')' | '(' expr ')'
Rational inputs stay exact (`Fraction`); functions such as `exp` fall back to floats.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, Union

from grader.base.errors import ExpressionError

Number = Union[Fraction, float]  # the value of every expression; grader.base.numbers reads answers into it

MAX_EXPRESSION_CHARS = 2000
MAX_TOKENS = 400
MAX_NESTING = 50
# An exact number (numerator or denominator) may grow to this many bits, about 30,000 digits:
# far past any course's numbers, and still a millisecond to multiply. Chained nodes or nested
# powers that would grow past it (3^(2^40) has a trillion digits) are refused before they are computed.
MAX_EXACT_BITS = 100_000


@dataclass(frozen=True)
class Const:
    value: Fraction


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: "Expr"


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Call:
    function: str
    argument: "Expr"


Expr = Union[Const, Var, Neg, BinOp, Call]


def _sigmoid(x: Number) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _relu(x: Number) -> Number:
    return x if x > 0 else x * 0


def _log(x: Number) -> float:
    if x <= 0:
        raise ExpressionError(f"log of a non-positive number ({float(x):g})")
    return math.log(x)


FUNCTIONS: dict[str, Callable[[Number], Number]] = {
    "relu": _relu,
    "sigmoid": _sigmoid,
    "tanh": math.tanh,
    "exp": math.exp,
    "log": _log,
}

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|[-+*/^()\u2212\u00b7\u00d7]))"
)
_SYNONYMS = {"\u2212": "-", "\u00b7": "*", "\u00d7": "*", "**": "^"}


def _tokenize(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION_CHARS} characters")
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ExpressionError(f"unexpected character {text[position:].strip()[:1]!r} in {text!r}")
        kind = match.lastgroup or "op"
        value = match.group(kind)
        tokens.append((kind, _SYNONYMS.get(value, value)))
        position = match.end()
        if len(tokens) > MAX_TOKENS:
            raise ExpressionError(f"expression longer than {MAX_TOKENS} symbols")
    return tokens


class _Parser:
    """Recursive descent over the token list; holds the read position and the nesting depth,
    which is bounded so that no expression can exhaust Python's stack."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def _nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"expression nested deeper than {MAX_NESTING} levels")

    def parse(self) -> Expr:
        if not self.tokens:
            raise ExpressionError("empty expression")
        tree = self._expr()
        if self.index != len(self.tokens):
            raise ExpressionError(f"unexpected {self.tokens[self.index][1]!r} in {self.text!r}")
        return tree

    def _peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise ExpressionError(f"expression ends too early: {self.text!r}")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _expect(self, symbol: str) -> None:
        kind, value = self._take()
        if value != symbol or kind != "op":
            raise ExpressionError(f"expected {symbol!r} but found {value!r} in {self.text!r}")

    def _expr(self) -> Expr:
        tree = self._term()
        while self._peek() in ("+", "-"):
            tree = BinOp(self._take()[1], tree, self._term())
        return tree

    def _term(self) -> Expr:
        tree = self._unary()
        while self._peek() in ("*", "/"):
            tree = BinOp(self._take()[1], tree, self._unary())
        return tree

    def _unary(self) -> Expr:
        if self._peek() in ("+", "-"):
            sign = self._take()[1]
            self._nested()
            operand = self._unary()
            self.depth -= 1
            return Neg(operand) if sign == "-" else operand
        return self._power()

    def _power(self) -> Expr:
        base = self._atom()
        if self._peek() == "^":
            self._take()
            return BinOp("^", base, self._unary())
        return base

    def _atom(self) -> Expr:
        kind, value = self._take()
        if kind == "number":
            return Const(Fraction(value))
        if kind == "name":
            if value in FUNCTIONS:
                self._expect("(")
                return Call(value, self._parenthesised())
            return Var(value)
        if value == "(":
            return self._parenthesised()
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")


    def _parenthesised(self) -> Expr:
        """The rest of a '(' group, up to and including its ')'."""
        self._nested()
        inner = self._expr()
        self._expect(")")
        self.depth -= 1
        return inner


def parse_expression(text: str) -> Expr:
    return _Parser(text).parse()


def variables(tree: Expr) -> frozenset[str]:
    if isinstance(tree, Var):
        return frozenset({tree.name})
    if isinstance(tree, Const):
        return frozenset()
    if isinstance(tree, Neg):
        return variables(tree.operand)
    if isinstance(tree, Call):
        return variables(tree.argument)
    return variables(tree.left) | variables(tree.right)


def finite(value: Number) -> Number:
    """Floats that overflowed or lost meaning are an error in the rubric, never a reference value."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionError("the result is not a finite number (an overflow?)")
    return value


def evaluate(tree: Expr, env: Mapping[str, Number]) -> Number:
    try:
        return finite(_evaluate(tree, env))
    except (OverflowError, ValueError) as error:
        raise ExpressionError(f"cannot be computed: {error}") from None


def _evaluate(tree: Expr, env: Mapping[str, Number]) -> Number:
    if isinstance(tree, Const):
        return tree.value
    if isinstance(tree, Var):
        return env[tree.name]
    if isinstance(tree, Neg):
        return -_evaluate(tree.operand, env)
    if isinstance(tree, Call):
        return FUNCTIONS[tree.function](_evaluate(tree.argument, env))
    return _apply(tree.op, _evaluate(tree.left, env), _evaluate(tree.right, env))


def _bits(value: Number) -> int:
    if isinstance(value, Fraction):
        return max(value.numerator.bit_length(), value.denominator.bit_length())
    return value.bit_length() if isinstance(value, int) else 0


def bounded(value: Number) -> Number:
    """An exact number no larger than MAX_EXACT_BITS, or an ExpressionError saying it grew too far."""
    if _bits(value) > MAX_EXACT_BITS:
        raise ExpressionError(f"an exact value grows past {MAX_EXACT_BITS * 3 // 10:,} digits: the nodes or powers compound too far")
    return value


def _apply(op: str, left: Number, right: Number) -> Number:
    if op == "+":
        return bounded(left + right)
    if op == "-":
        return bounded(left - right)
    if op == "*":
        return bounded(left * right)
    if op == "/":
        if right == 0:
            raise ExpressionError("division by zero")
        return bounded(left / right)
    return _power(left, right)


def _power(base: Number, exponent: Number) -> Number:
    if exponent == int(exponent):
        if base == 0 and exponent < 0:
            raise ExpressionError("zero raised to a negative power")
        if not -64 <= exponent <= 64:
            raise ExpressionError("exponent larger than 64")
        exact = isinstance(base, (int, Fraction))
        if exact and _bits(base) * abs(int(exponent)) > MAX_EXACT_BITS:  # refused before it is computed
            bounded(Fraction(2) ** (MAX_EXACT_BITS + 1))
        return Fraction(base) ** int(exponent) if exact else float(base) ** int(exponent)
    if base < 0:
        raise ExpressionError("negative number raised to a fractional power")
    return math.pow(base, exponent)


def accumulate_gradient(
    tree: Expr, env: Mapping[str, Number], adjoint: Number, gradients: dict[str, Number]
) -> None:
    """Reverse mode through one expression: add adjoint × ∂tree/∂name into `gradients`."""
    try:
        _accumulate(tree, env, adjoint, gradients)
    except (OverflowError, ValueError) as error:
        raise ExpressionError(f"gradient cannot be computed: {error}") from None
    for value in gradients.values():
        finite(value)


def _accumulate(tree: Expr, env: Mapping[str, Number], adjoint: Number, gradients: dict[str, Number]) -> None:
    if isinstance(tree, Const):
        return
    if isinstance(tree, Var):
        gradients[tree.name] = bounded(gradients.get(tree.name, 0) + adjoint)
        return
    if isinstance(tree, Neg):
        _accumulate(tree.operand, env, -adjoint, gradients)
        return
    if isinstance(tree, Call):
        inner = _evaluate(tree.argument, env)
        _accumulate(tree.argument, env, adjoint * _derivative(tree.function, inner), gradients)
        return
    left, right = _evaluate(tree.left, env), _evaluate(tree.right, env)
    for side, partial in zip((tree.left, tree.right), _partials(tree.op, left, right, tree.right)):
        if partial is not None:
            _accumulate(side, env, bounded(adjoint * partial), gradients)


def _partials(op: str, left: Number, right: Number, exponent: Expr) -> tuple[Number | None, Number | None]:
    if op == "+":
        return 1, 1
    if op == "-":
        return 1, -1
    if op == "*":
        return right, left
    if op == "/":
        return 1 / right, -left / (right * right)
    d_base = right * _power(left, right - 1) if right != 0 else 0
    if not variables(exponent):
        return d_base, None
    return d_base, _power(left, right) * _log(left)


def derivative_from_output(function: str, output: Number) -> Number | None:
    """The derivative of sigmoid, tanh or exp written with its output y: y(1 − y), 1 − y², y.
    A student's own forward value of such a node thus gives the local derivative of their
    backward pass; None for a function whose derivative needs its input."""
    if function == "sigmoid":
        return output * (1 - output)
    if function == "tanh":
        return 1 - output * output
    if function == "exp":
        return output
    return None


def _derivative(function: str, x: Number) -> Number:
    if function == "relu":
        return 1 if x > 0 else 0
    if function == "sigmoid":
        s = _sigmoid(x)
        return s * (1 - s)
    if function == "tanh":
        return 1 - math.tanh(x) ** 2
    if function == "exp":
        return math.exp(x)
    return 1 / x
