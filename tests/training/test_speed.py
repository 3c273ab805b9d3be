"""Tests of the switch of the CPU speed devices, ``training.cpu_kernels``."""

import pytest
import tensorflow as tf

from translate import TranslateError
from translate.config.schema import load_config
from translate.model import PlainLoop
from translate.training import speed
from translate.training.speed import LoopKernelsLoop


def test_on_and_off_choose_the_loop():
    assert isinstance(speed.make_loop("on"), LoopKernelsLoop)
    assert isinstance(speed.make_loop("off"), PlainLoop)


def test_auto_is_on_without_a_gpu(monkeypatch):
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    assert speed.use_cpu_kernels("auto")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: ["GPU:0"])
    assert not speed.use_cpu_kernels("auto")
    assert speed.use_cpu_kernels("on")


def test_an_unknown_setting_is_refused():
    with pytest.raises(TranslateError, match="training.cpu_kernels.*'fast'.*auto, on, off"):
        speed.use_cpu_kernels("fast")


@pytest.mark.parametrize(
    "text, expected", [("on", "on"), ("off", "off"), ("auto", "auto"), ("true", "on")]
)
def test_config_key_reads_on_and_off_although_yaml_reads_them_as_booleans(text, expected):
    assert load_config(None, [f"training.cpu_kernels={text}"]).training.cpu_kernels == expected


def test_config_key_defaults_to_auto_and_refuses_other_values():
    assert load_config(None).training.cpu_kernels == "auto"
    with pytest.raises(TranslateError, match="training.cpu_kernels.*allowed: auto, on, off"):
        load_config(None, ["training.cpu_kernels=fast"])
