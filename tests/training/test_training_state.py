"""Tests of the training state: its checked JSON form and when a finished run may go on."""

import dataclasses
import json

import pytest

from translate import TranslateError
from translate.config.schema import load_config
from translate.training.state import TrainingState


def test_state_round_trips_through_json():
    state = TrainingState(
        epoch=3,
        step=120,
        best_bleu=21.5,
        best_epoch=2,
        lr_scale=0.5,
        elapsed_seconds=61.25,
        finished=True,
        stop_reason="completed 3 epochs",
    )
    text = json.dumps(dataclasses.asdict(state))
    assert TrainingState.from_json(text, "run/checkpoint/state.json") == state
    assert TrainingState.from_json(b'{"best_bleu": 3}', "x").best_bleu == 3  # an int is a float


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"epoch": 3,', "damaged training state"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"epoch": 1, "colour": "red"}', "unknown field 'colour'"),
        ('{"epoch": "three"}', "field 'epoch' is 'three'"),
        ('{"step": true}', "field 'step' is True"),
        (b'{"stop_reason": "\xff"}', "damaged training state"),
    ],
)
def test_damaged_state_names_the_file_and_the_folder_to_delete(text, expected):
    with pytest.raises(TranslateError) as raised:
        TrainingState.from_json(text, "runs/a/checkpoint/state.json")
    message = str(raised.value)
    assert message.startswith("runs/a/checkpoint/state.json: damaged training state (")
    assert expected in message and "delete the folder runs/a/checkpoint" in message


@pytest.mark.parametrize(
    "state, overrides, expected",
    [
        (TrainingState(epoch=3, stop_reason="completed 3 epochs"), ["training.epochs=5"], True),
        (TrainingState(epoch=3, stop_reason="completed 3 epochs"), ["training.epochs=3"], False),
        (
            TrainingState(epoch=1, step=50, stop_reason="reached training.max_steps=50"),
            ["training.max_steps=80"],
            True,
        ),
        (
            TrainingState(epoch=1, step=50, stop_reason="reached training.max_steps=50"),
            ["training.max_steps=0"],
            True,
        ),
        (
            TrainingState(epoch=1, step=50, stop_reason="reached training.max_steps=50"),
            ["training.max_steps=50"],
            False,
        ),
        (
            TrainingState(
                epoch=1, elapsed_seconds=600, stop_reason="reached training.max_minutes=10"
            ),
            ["training.max_minutes=20"],
            True,
        ),
        (
            TrainingState(epoch=2, stop_reason="no dev BLEU gain for 4 epochs (early stopping)"),
            ["training.epochs=50"],
            False,
        ),
    ],
)
def test_a_finished_run_goes_on_only_when_its_limit_was_raised(state, overrides, expected):
    training = load_config(None, ["training.epochs=20", *overrides]).training
    assert state.limit_raised(training) is expected
