from __future__ import annotations

import pytest

from grader.answer_key import AnswerKey, build_answer_key
from grader.rubric import load_rubric
from tests.homework import RUBRIC


@pytest.fixture(scope="session")
def homework_key() -> AnswerKey:
    return build_answer_key(load_rubric(RUBRIC))
