"""Using a trained run: translating, scoring, reranking, evaluating, exporting."""
