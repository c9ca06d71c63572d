"""Multi-head attention and transformers: parameters of one attention block, one encoder or decoder
layer, and a whole BERT- or GPT-style model from its hyper-parameters; multiply-accumulates per
token and for a sequence of n tokens; the size of the KV cache.

Conventions (those of PyTorch's nn.MultiheadAttention and nn.Transformer*Layer, and of Hugging
Face's BERT and GPT-2): attention has Q, K, V and output projections, d×d each, with a bias each
when `bias` is on; the heads split d, so their number changes no count, except with fewer
key-value heads (`kv_heads`, grouped-query attention), which narrow K, V and the KV cache. The feed-forward block is
d→d_ff→d. Every LayerNorm has a scale and a shift (2d). An `encoder` or `decoder_only` (GPT) layer
has one attention and two norms; a `decoder` layer (with cross-attention) two attentions and
three norms. MACs count matrix products only (no softmax, norms or activations); QKᵀ and AV are
counted over the full n×n matrix, as frameworks compute it before masking; a decoder's
cross-attention attends to `memory_length` encoder positions (n unless stated).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Mapping

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, count_mistake, from_alternatives, scaled

BLOCKS = ("encoder", "decoder", "decoder_only")
HEADS = ("none", "tied", "untied")
MAC_PARTS = ("projections", "qk", "av", "feed_forward")


@dataclass(frozen=True)
class Transformer:
    d_model: int
    heads: int
    kv_heads: int  # grouped-query attention: K and V have kv_heads heads of d/heads (multi-query: 1)
    d_ff: int
    block: str
    layers: int
    bias: bool
    vocab: int | None
    positions: int
    token_types: int
    embedding_norm: bool
    final_norm: bool
    pooler: bool
    lm_head: str
    sequence_length: int | None
    memory_length: int | None
    batch: int
    bytes_per_value: int
    unit: str  # macs | flops

    @property
    def kv_dim(self) -> int:
        """Width of K and of V: d, unless fewer key-value heads are shared by the query heads."""
        return self.d_model * self.kv_heads // self.heads

    @property
    def cross(self) -> bool:
        return self.block == "decoder"

    @property
    def whole_model(self) -> bool:
        """Whether there is more than one layer to add up, and so a `total`."""
        return self.layers > 1 or self.vocab is not None or self.final_norm or self.pooler


def parse(given: FieldReader) -> Transformer | None:
    d_model = given.integer("d_model", minimum=1)
    heads = given.integer("heads", minimum=1)
    fields = {
        "d_model": d_model,
        "heads": heads,
        "kv_heads": given.integer("kv_heads", minimum=1, default=heads),
        "d_ff": given.integer("d_ff", minimum=1, default=4 * d_model if d_model else None),
        "block": given.choice("block", BLOCKS, default="encoder"),
        "layers": given.integer("layers", minimum=1, default=1),
        "bias": given.boolean("bias", default=True),
        "vocab": given.integer("vocab", minimum=1, default=None),
        "positions": given.integer("positions", minimum=0, default=0),
        "token_types": given.integer("token_types", minimum=0, default=0),
        "embedding_norm": given.boolean("embedding_norm", default=False),
        "final_norm": given.boolean("final_norm", default=False),
        "pooler": given.boolean("pooler", default=False),
        "lm_head": given.choice("lm_head", HEADS, default="none"),
        "sequence_length": given.integer("sequence_length", minimum=1, default=None),
        "memory_length": given.integer("memory_length", minimum=1, default=None),
        "batch": given.integer("batch", minimum=1, default=1),
        "bytes_per_value": given.integer("bytes_per_value", minimum=1, default=2),
        "unit": given.choice("count", ("macs", "flops"), default="macs"),
    }
    given.reject_unknown()
    if given.issues:
        return None
    spec = Transformer(**fields)  # type: ignore[arg-type]  # every required field was read: no issues
    _check(given, spec)
    return None if given.issues else spec


def _check(given: FieldReader, spec: Transformer) -> None:
    if spec.d_model % spec.heads:
        given.report("heads", f"expected a number of heads that divides d_model = {spec.d_model}, found {spec.heads}")
    if spec.heads % spec.kv_heads:
        given.report("kv_heads", f"expected a number of key-value heads that divides heads = {spec.heads}, found {spec.kv_heads}")
    if spec.vocab is None:
        for name, value in (("positions", spec.positions), ("token_types", spec.token_types), ("embedding_norm", spec.embedding_norm)):
            if value:
                given.report(name, "embeddings need a `vocab` (the number of tokens)")
        if spec.lm_head != "none":
            given.report("lm_head", "an output layer over the vocabulary needs a `vocab`")
    if spec.memory_length is not None and not spec.cross:
        given.report("memory_length", "only a `decoder` block (with cross-attention) reads an encoder's memory")


def solve(spec: Transformer) -> dict[str, Number]:
    return solve_with(spec, {})


def solve_with(spec: Transformer, own: Mapping[str, Number]) -> dict[str, Number]:
    """Every answer; sums and the cache's bytes from a student's own parts where given."""
    answers = _parameters(spec, own)
    if spec.sequence_length is not None:
        answers.update(_macs(spec, own, spec.sequence_length))
        if spec.block != "encoder":
            answers["kv_cache.values"] = Fraction(_cache_values(spec, spec.sequence_length))
            answers["kv_cache.bytes"] = own.get("kv_cache.values", answers["kv_cache.values"]) * spec.bytes_per_value
    return answers


def _parameters(spec: Transformer, own: Mapping[str, Number]) -> dict[str, Number]:
    d, bias = spec.d_model, int(spec.bias)
    attentions, norms = (2, 3) if spec.cross else (1, 2)
    parts: dict[str, Number] = {
        "attention.params": Fraction(_attention(spec)),
        "feed_forward.params": Fraction(2 * d * spec.d_ff + (spec.d_ff + d) * bias),
        "norms.params": Fraction(norms * 2 * d),
    }
    answers = dict(parts)
    mine = {**parts, **{name: own[name] for name in parts if name in own}}
    answers["layer.params"] = mine["attention.params"] * attentions + mine["feed_forward.params"] + mine["norms.params"]
    if not spec.whole_model:
        return answers
    blocks = own.get("layer.params", answers["layer.params"]) * spec.layers
    extras = _model_parts(spec)
    answers.update(extras)
    if spec.layers > 1:
        answers["blocks.params"] = blocks
        blocks = own.get("blocks.params", blocks)
    answers["total.params"] = blocks + sum((own.get(name, value) for name, value in extras.items()), Fraction(0))
    return answers


def _attention(spec: Transformer) -> int:
    """Q and output projections d×d, K and V d×kv_dim, each with its bias when `bias` is on."""
    return _projections(spec) + (2 * spec.d_model + 2 * spec.kv_dim) * spec.bias


def _projections(spec: Transformer) -> int:
    """The MACs of one token's Q, K, V and output projections, as many as their weights."""
    return 2 * spec.d_model * spec.d_model + 2 * spec.d_model * spec.kv_dim


def _model_parts(spec: Transformer) -> dict[str, Number]:
    d = spec.d_model
    parts: dict[str, Number] = {}
    if spec.vocab is not None:
        parts["embeddings.params"] = Fraction((spec.vocab + spec.positions + spec.token_types) * d + 2 * d * spec.embedding_norm)
    if spec.final_norm:
        parts["final_norm.params"] = Fraction(2 * d)
    if spec.pooler:
        parts["pooler.params"] = Fraction(d * d + d * spec.bias)
    if spec.lm_head != "none":
        parts["lm_head.params"] = Fraction(0 if spec.lm_head == "tied" else (spec.vocab or 0) * d)
    return parts


def _macs(spec: Transformer, own: Mapping[str, Number], n: int) -> dict[str, Number]:
    """Per sequence of n tokens, and, without cross-attention, per token (one token attending to n)."""
    d, per = spec.d_model, 1 if spec.unit == "macs" else 2
    m = spec.memory_length or n
    sequence = {
        "projections": _projections(spec) * n + ((2 * d * d * n + 2 * d * spec.kv_dim * m) if spec.cross else 0),
        "qk": n * n * d + (n * m * d if spec.cross else 0),
        "av": n * n * d + (n * m * d if spec.cross else 0),
        "feed_forward": 2 * d * spec.d_ff * n,
    }
    head = (spec.vocab or 0) * d if spec.lm_head != "none" else 0
    answers = _mac_sums(spec, own, f"sequence_{spec.unit}", {k: Fraction(v * per) for k, v in sequence.items()},
                        Fraction((n * head + d * d * spec.pooler) * per))
    if not spec.cross:
        token = {"projections": _projections(spec), "qk": n * d, "av": n * d, "feed_forward": 2 * d * spec.d_ff}
        answers.update(_mac_sums(spec, own, f"token_{spec.unit}", {k: Fraction(v * per) for k, v in token.items()}, Fraction(head * per)))
    return answers


def _mac_sums(spec: Transformer, own: Mapping[str, Number], prefix: str, parts: dict[str, Fraction], extra: Fraction) -> dict[str, Number]:
    answers: dict[str, Number] = {f"{prefix}.{name}": value for name, value in parts.items()}
    answers[f"{prefix}.layer"] = sum((own.get(f"{prefix}.{name}", value) for name, value in parts.items()), Fraction(0))
    if spec.whole_model:
        answers[f"{prefix}.total"] = own.get(f"{prefix}.layer", answers[f"{prefix}.layer"]) * spec.layers + extra
    return answers


def _cache_values(spec: Transformer, n: int) -> int:
    """Keys and values of every layer for n tokens (and a decoder's cross-attention memory), per batch."""
    positions = n + ((spec.memory_length or n) if spec.cross else 0)
    return 2 * spec.layers * positions * spec.kv_dim * spec.batch


def dependencies(spec: Transformer) -> dict[str, tuple[str, ...]]:
    key = solve(spec)
    found: dict[str, tuple[str, ...]] = {"layer.params": ("attention.params", "feed_forward.params", "norms.params")}
    if "total.params" in key:
        stack = "blocks.params" if spec.layers > 1 else "layer.params"
        found["total.params"] = (stack, *_model_parts(spec))
        if spec.layers > 1:
            found["blocks.params"] = ("layer.params",)
    for prefix in (f"sequence_{spec.unit}", f"token_{spec.unit}"):
        if f"{prefix}.layer" in key:
            found[f"{prefix}.layer"] = tuple(f"{prefix}.{name}" for name in MAC_PARTS)
            if f"{prefix}.total" in key:
                found[f"{prefix}.total"] = (f"{prefix}.layer",)
    if "kv_cache.bytes" in key:
        found["kv_cache.bytes"] = ("kv_cache.values",)
    return found


def mistakes(spec: Transformer) -> tuple[Mistake, ...]:
    key = solve(spec)
    d = spec.d_model
    costs = [name for name in key if name.startswith(("sequence_", "token_"))]
    alternatives = [
        count_mistake(spec.unit, key, costs),
        _with_parts(spec, "output projection left out", "Attention has FOUR d×d projections: Q, K, V and the output projection W_O.",
                    {"attention.params": Fraction(_attention(spec) - d * d - d * spec.bias)}),
        _with_parts(spec, "every head given d×d projections",
                    f"The {spec.heads} heads SPLIT d = {d} into {spec.heads} × {d // spec.heads}: the head count changes no parameter count.",
                    {"attention.params": key["attention.params"] * spec.heads}),
        _with_parts(spec, "layer norms left out", "Each LayerNorm has a scale and a shift: 2·d parameters.", {"norms.params": Fraction(0)}),
    ]
    if spec.bias:
        alternatives.append(Alternative("biases left out", "Every projection and feed-forward layer here has a bias.", solve(replace(spec, bias=False))))
    if spec.cross:
        alternatives.append(Alternative("cross-attention left out",
                                        "A decoder layer has self-attention AND cross-attention (to the encoder's output), and three norms.",
                                        _without_cross(spec)))
    alternatives.extend(_model_mistakes(spec, key))
    return from_alternatives(key, alternatives)


def _with_parts(spec: Transformer, label: str, feedback: str, parts: Mapping[str, Number]) -> Alternative:
    """The answers that follow from some mistaken parts (the parts themselves included)."""
    return Alternative(label, feedback, {**solve_with(spec, parts), **parts})


def _without_cross(spec: Transformer) -> dict[str, Number]:
    answers = solve(replace(spec, block="decoder_only", memory_length=None))
    return {name: value for name, value in answers.items() if not name.startswith("token_")}


def _model_mistakes(spec: Transformer, key: Mapping[str, Number]) -> list[Alternative]:
    found = []
    if spec.lm_head == "tied":
        found.append(Alternative("tied output layer counted again",
                                 "The output layer is TIED to the token embedding: the shared matrix is counted once.",
                                 {**solve(replace(spec, lm_head="untied")), "lm_head.params": key["lm_head.params"]}))
    if spec.lm_head == "untied":
        found.append(Alternative("untied output layer left out", "The output layer has its own vocab × d matrix here.", solve(replace(spec, lm_head="tied"))))
    if spec.kv_heads < spec.heads:
        found.append(Alternative("key-value heads not shared",
                                 f"K and V have only {spec.kv_heads} head(s) of {spec.d_model // spec.heads}, shared by the {spec.heads} query heads.",
                                 solve(replace(spec, kv_heads=spec.heads))))
    if spec.positions:
        found.append(Alternative("position embeddings left out", f"Learned positions add {spec.positions} × d parameters.", solve(replace(spec, positions=0))))
    if spec.sequence_length is not None:
        n, prefix = spec.sequence_length, f"sequence_{spec.unit}"
        found.append(scaled("QKᵀ and AV counted per token, not per sequence",
                            "Every one of the n queries meets all n keys: n²·d MACs for QKᵀ, and as many for AV.",
                            key, [f"{prefix}.qk", f"{prefix}.av"], Fraction(1, n)))
        found.append(scaled("heads multiplied in", "The heads split d: QKᵀ costs n²·d MACs in all, whatever the number of heads.",
                            key, [f"{prefix}.qk", f"{prefix}.av", f"token_{spec.unit}.qk", f"token_{spec.unit}.av"], spec.heads))
    if "kv_cache.values" in key:
        cache = ["kv_cache.values", "kv_cache.bytes"]
        found.append(scaled("keys only cached", "The cache holds keys AND values: 2 × layers × tokens × d.", key, cache, Fraction(1, 2)))
        if spec.layers > 1:
            found.append(scaled("one layer's cache only", "Every layer caches its own keys and values.", key, cache, Fraction(1, spec.layers)))
    return [alternative for alternative in found if alternative.answers]


KIND = ProblemKind(
    name="transformer",
    summary="multi-head attention, encoder and decoder layers and whole BERT/GPT-style models: parameters, MACs, KV cache",
    parse=parse,
    solve=solve,
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
)
