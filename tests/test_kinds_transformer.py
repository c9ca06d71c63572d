"""grader.solver.kinds.transformer against PyTorch's modules and the published BERT-base and GPT-2
counts (figures.json), Kaplan et al.'s per-token compute and vLLM's KV-cache figure."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.transformer import KIND, parse, solve
from tests.framework_figures import figures
from tests.homework import read_given

ATTENTION = figures()["2_attention"]
MODELS = figures()["3_models"]
BERT_BASE = {"d_model": 768, "heads": 12, "d_ff": 3072, "layers": 12, "vocab": 30522, "positions": 512,
             "token_types": 2, "embedding_norm": True, "pooler": True}
GPT2_SMALL = {"d_model": 768, "heads": 12, "layers": 12, "block": "decoder_only", "vocab": 50257, "positions": 1024,
              "final_norm": True, "lm_head": "tied"}


def answers(given: dict) -> dict[str, Fraction]:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def mistakes_of(given: dict) -> dict[tuple[str, str], Fraction]:
    spec, _ = read_given(parse, given)
    return {(m.answer, m.label): m.value for m in KIND.mistakes(spec)}


def test_registered_under_its_name() -> None:
    assert KINDS["transformer"] is KIND


def test_multihead_attention_matches_pytorch() -> None:
    assert answers({"d_model": 512, "heads": 8})["attention.params"] == ATTENTION["MultiheadAttention(512,8,bias=True)"]
    unbiased = answers({"d_model": 512, "heads": 8, "bias": False})
    assert unbiased["attention.params"] == ATTENTION["MultiheadAttention(512,8,bias=False)"]


def test_encoder_and_decoder_layers_match_pytorch() -> None:
    encoder = answers({"d_model": 512, "heads": 8, "d_ff": 2048})
    decoder = answers({"d_model": 512, "heads": 8, "d_ff": 2048, "block": "decoder"})
    assert encoder["layer.params"] == ATTENTION["TransformerEncoderLayer(512,8,2048)"]
    assert decoder["layer.params"] == ATTENTION["TransformerDecoderLayer(512,8,2048)"]
    assert "total.params" not in encoder  # one layer, nothing to add up


def test_bert_base_matches_the_published_count_part_by_part() -> None:
    found, bert = answers(BERT_BASE), MODELS["bert_base"]
    assert found["total.params"] == bert["params"] == bert["published_hf_bert_base_uncased_incl_pooler"]
    parts = bert["breakdown"]
    assert (found["embeddings.params"], found["layer.params"], found["blocks.params"], found["pooler.params"]) == (
        parts["embeddings_incl_LayerNorm"], parts["per_encoder_layer"], parts["encoder_12_layers"], parts["pooler"])


def test_token_embedding_alone_matches_pytorch() -> None:
    found = answers({"d_model": 768, "heads": 12, "vocab": 30522})
    assert found["embeddings.params"] == ATTENTION["Embedding(30522,768)"]


def test_gpt2_small_tied_and_untied() -> None:
    gpt2 = MODELS["gpt2_small"]
    tied = answers(GPT2_SMALL)
    assert tied["total.params"] == gpt2["params_tied"] == gpt2["published_hf_gpt2_count"]
    assert (tied["layer.params"], tied["final_norm.params"], tied["lm_head.params"]) == (
        gpt2["breakdown"]["per_block"], gpt2["breakdown"]["ln_f"], 0)
    assert tied["embeddings.params"] == gpt2["breakdown"]["wte"] + gpt2["breakdown"]["wpe"]
    assert answers({**GPT2_SMALL, "lm_head": "untied"})["total.params"] == gpt2["params_if_lm_head_untied"]


def test_projection_and_feed_forward_macs_are_kaplans_non_embedding_count() -> None:
    # Kaplan et al. 2020, Table 1: N = 2·d_model·n_layer·(2·d_attn + d_ff) weights, and a forward
    # pass costs 2N FLOPs per token besides attention over the context: N MACs (biases left out).
    d, layers, d_ff = 768, 12, 3072
    found = answers({"d_model": d, "heads": 12, "layers": layers, "block": "decoder_only", "bias": False, "sequence_length": 1024})
    per_layer = found["token_macs.projections"] + found["token_macs.feed_forward"]
    assert per_layer * layers == 2 * d * layers * (2 * d + d_ff)
    assert found["token_macs.qk"] == found["token_macs.av"] == 1024 * d  # one query meets 1024 keys


def test_sequence_macs_by_hand() -> None:
    # d = 64, n = 10, d_ff = 256: projections 10·4·64² = 163,840; QKᵀ = AV = 10²·64 = 6,400;
    # feed-forward 10·2·64·256 = 327,680; a layer 504,320; two layers 1,008,640
    found = answers({"d_model": 64, "heads": 4, "layers": 2, "sequence_length": 10})
    assert [found[f"sequence_macs.{part}"] for part in ("projections", "qk", "av", "feed_forward", "layer", "total")] == [
        163_840, 6_400, 6_400, 327_680, 504_320, 1_008_640]
    assert found["token_macs.layer"] * 10 == found["sequence_macs.layer"]  # an encoder: n tokens, each meeting n


def test_decoder_cross_attention_reads_the_memory() -> None:
    # d = 8, n = 3, m = 5: self 3·4·64 + cross (Q, O on 3 tokens, K, V on 5) 2·64·(3 + 5) = 768 + 1024;
    # QKᵀ 9·8 + 3·5·8 = 192; cache 2·(3 + 5)·8 = 128 values
    found = answers({"d_model": 8, "heads": 2, "block": "decoder", "sequence_length": 3, "memory_length": 5})
    assert (found["sequence_macs.projections"], found["sequence_macs.qk"], found["kv_cache.values"]) == (1792, 192, 128)
    assert not any(name.startswith("token_") for name in found)


def test_kv_cache_is_vllms_opt_13b_figure() -> None:
    # Kwon et al. 2023 (vLLM), §3: "the KV cache of a single token demands 800KB of space for OPT-13B:
    # 2 (key and value) × 5120 (hidden state size) × 40 (number of layers) × 2 (bytes per FP16)"
    found = answers({"d_model": 5120, "heads": 40, "layers": 40, "block": "decoder_only", "sequence_length": 1})
    assert found["kv_cache.bytes"] == 2 * 5120 * 40 * 2 == 819_200
    four_k = answers({"d_model": 5120, "heads": 40, "layers": 40, "block": "decoder_only", "sequence_length": 2048,
                      "batch": 2, "bytes_per_value": 4})
    assert four_k["kv_cache.bytes"] == 819_200 * 2048 * 2 * 2


# Llama-2-70B's published configuration (Hugging Face meta-llama/Llama-2-70b-hf, config.json):
# hidden 8192, 64 heads, 8 key-value heads, 80 layers, no biases; its weights' shapes are
# q_proj and o_proj 8192×8192, k_proj and v_proj 1024×8192.
LLAMA2_70B = {"d_model": 8192, "heads": 64, "kv_heads": 8, "layers": 80, "block": "decoder_only", "bias": False}


def test_grouped_query_attention_shares_key_value_heads() -> None:
    found = answers({**LLAMA2_70B, "sequence_length": 1})
    assert found["attention.params"] == 2 * 8192 * 8192 + 2 * 1024 * 8192  # the four projections' shapes
    assert found["kv_cache.bytes"] == 2 * 80 * 1024 * 2  # K and V of 1024 values, 80 layers, fp16: 320 KiB a token
    named = mistakes_of({**LLAMA2_70B, "sequence_length": 1})
    assert named[("kv_cache.bytes", "key-value heads not shared")] == 2 * 80 * 8192 * 2


def test_grouped_query_attention_changes_no_score_cost() -> None:
    grouped = answers({**LLAMA2_70B, "sequence_length": 16})
    full = answers({**LLAMA2_70B, "kv_heads": 64, "sequence_length": 16})
    assert grouped["sequence_macs.qk"] == full["sequence_macs.qk"] == 16 * 16 * 8192
    assert full["sequence_macs.projections"] - grouped["sequence_macs.projections"] == 16 * 2 * 8192 * (8192 - 1024)


def test_encoder_has_no_kv_cache() -> None:
    assert "kv_cache.values" not in answers({"d_model": 8, "heads": 2, "sequence_length": 4})


def test_carried_credit_sums_the_students_own_parts() -> None:
    spec, _ = read_given(parse, BERT_BASE)
    assert KIND.dependencies(spec)["total.params"] == ("blocks.params", "embeddings.params", "pooler.params")
    # a student's layer of 7,087,104 (LayerNorms left out) carries to 12 × it
    assert KIND.solve_with(spec, {"layer.params": 7_087_104})["blocks.params"] == 12 * 7_087_104
    own = KIND.solve_with(spec, {"attention.params": 2_359_296})  # biases left out of attention
    assert own["layer.params"] == 7_087_872 - 3072


@pytest.mark.parametrize(
    ("given", "answer", "label", "value"),
    [
        ({"d_model": 512, "heads": 8}, "attention.params", "output projection left out", 3 * 512 * 512 + 3 * 512),
        ({"d_model": 512, "heads": 8}, "attention.params", "every head given d×d projections", 8 * 1_050_624),
        ({"d_model": 512, "heads": 8}, "attention.params", "biases left out", 1_048_576),  # PyTorch's bias=False
        ({"d_model": 512, "heads": 8, "d_ff": 2048}, "layer.params", "layer norms left out", 3_152_384 - 2048),
        ({"d_model": 512, "heads": 8, "d_ff": 2048, "block": "decoder"}, "layer.params", "cross-attention left out",
         3_152_384),  # the encoder layer's count: self-attention, feed-forward, two norms
        (GPT2_SMALL, "total.params", "tied output layer counted again", 163_037_184),  # figures.json's untied count
        (GPT2_SMALL, "total.params", "position embeddings left out", 124_439_808 - 1024 * 768),
        ({**GPT2_SMALL, "sequence_length": 1024}, "kv_cache.values", "keys only cached", 12 * 1024 * 768),
        ({**GPT2_SMALL, "sequence_length": 1024}, "kv_cache.values", "one layer's cache only", 2 * 1024 * 768),
        ({"d_model": 64, "heads": 4, "sequence_length": 10}, "sequence_macs.qk", "QKᵀ and AV counted per token, not per sequence", 640),
        ({"d_model": 64, "heads": 4, "sequence_length": 10}, "sequence_macs.qk", "heads multiplied in", 25_600),
        ({"d_model": 64, "heads": 4, "sequence_length": 10}, "sequence_macs.qk", "FLOPs instead of MACs", 12_800),
    ],
)
def test_mistakes_by_the_value_they_give(given: dict, answer: str, label: str, value: int) -> None:
    assert mistakes_of(given)[(answer, label)] == value


def test_single_head_has_no_head_mistake() -> None:
    assert not any(label == "every head given d×d projections" for _, label in mistakes_of({"d_model": 8, "heads": 1}))


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"d_model": 512, "heads": 7}, "given.heads", "divides d_model = 512"),
        ({"d_model": 512, "heads": 8, "kv_heads": 3}, "given.kv_heads", "divides heads = 8"),
        ({"d_model": 512, "heads": 8, "lm_head": "tied"}, "given.lm_head", "needs a `vocab`"),
        ({"d_model": 512, "heads": 8, "positions": 512}, "given.positions", "need a `vocab`"),
        ({"d_model": 512, "heads": 8, "memory_length": 5}, "given.memory_length", "only a `decoder` block"),
        ({"d_model": 512, "heads": 8, "block": "gpt"}, "given.block", "expected one of encoder, decoder, decoder_only"),
        ({"d_model": 512}, "given.heads", "required but missing"),
        ({"d_model": 512, "heads": 8, "dff": 2048}, "given.dff", "did you mean 'd_ff'"),
    ],
)
def test_invalid_given_values_name_their_field(given: dict, field: str, fragment: str) -> None:
    spec, issues = read_given(parse, given)
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_example_rubric_gives_the_published_counts() -> None:
    from tests.test_examples import key_of

    key = key_of("example-transformer.yaml")["answers"]
    assert key["layers.encoder.layer.params"] == ATTENTION["TransformerEncoderLayer(512,8,2048)"]
    assert key["layers.decoder.layer.params"] == ATTENTION["TransformerDecoderLayer(512,8,2048)"]
    assert key["bert.total.params"] == MODELS["bert_base"]["published_hf_bert_base_uncased_incl_pooler"]
    assert key["gpt2.total.params"] == MODELS["gpt2_small"]["published_hf_gpt2_count"]
    assert key["gpt2.kv_cache.bytes"] == 2 * 12 * 1024 * 768 * 2  # K and V, 12 layers, 1024 tokens, d, fp16
