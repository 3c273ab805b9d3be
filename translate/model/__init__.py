"""Keras layers and the Seq2Seq model."""

from translate.model.attention import BahdanauAttention, LuongAttention
from translate.model.decoder import Decoder
from translate.model.encoder import Encoder
from translate.model.loop import PlainLoop, plain_products
from translate.model.lstm import LSTM
from translate.model.seq2seq import Seq2Seq

__all__ = [
    "LSTM",
    "BahdanauAttention",
    "Decoder",
    "Encoder",
    "LuongAttention",
    "PlainLoop",
    "Seq2Seq",
    "plain_products",
]
